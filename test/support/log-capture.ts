/**
 * Base's real logger with its destination swapped for memory, so a test reads every line it writes.
 * In a test file (jest hoists the mock above the imports):
 *
 *     jest.mock('pino', () => jest.requireActual('../support/log-capture').pinoToMemory());
 *     const lines = capturedLines();
 */
import { eventually } from './waiting';

type Global = { __logLines?: string[] };

export function capturedLines(): string[] {
  return ((globalThis as Global).__logLines ??= []);
}

/**
 * Resolves once the access line of the request sent with `x-request-id: requestId` is written (on
 * the response's finish, which may come after the answer arrived): every line before it is in too.
 */
export function loggedThrough(requestId: string): Promise<void> {
  return eventually(() => capturedLines().some((l) => l.includes(`"requestId":"${requestId}"`) && l.includes('"msg":"request ')), 5000, `the access line of ${requestId}`);
}

export function pinoToMemory(): unknown {
  const actual = jest.requireActual('pino');
  const { Writable } = jest.requireActual('node:stream');
  const sink = new Writable({
    write(chunk: Buffer, _enc: string, done: () => void) {
      capturedLines().push(chunk.toString('utf8'));
      done();
    },
  });
  const wrapped = (options: unknown, destination?: unknown) => actual(options, destination ?? sink);
  Object.assign(wrapped, actual);
  Object.assign(wrapped, { default: wrapped, pino: wrapped, __esModule: true });
  return wrapped;
}
