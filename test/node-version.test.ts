import { nodeVersionWarning } from '../src/node-version';

/** Start-up warns (once, a log line) on a Node older than the 24 Base is built and tested on. */
test('a Node older than 24 gets a warning naming its version and .nvmrc; 24 and later none', () => {
  expect(nodeVersionWarning('22.11.0')).toBe('Node.js 22.11.0 is older than 24, the version Base is built and tested on (see .nvmrc); upgrade Node');
  expect(nodeVersionWarning('v20.0.0')).toMatch(/^Node.js 20.0.0 is older than 24/);
  expect(nodeVersionWarning('24.0.0')).toBeNull();
  expect(nodeVersionWarning('25.1.0')).toBeNull();
  expect(nodeVersionWarning(process.versions.node)).toBeNull();
});
