import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { useTestBase } from '../support/harness';

/**
 * A client generated from the committed OpenAPI document (openapi-typescript's types, openapi-fetch's
 * calls) type-checks a small program (test/http/client/program.ts: a create, an action, a list, and
 * what the types must refuse), and that program runs against a live Base.
 */
const base = useTestBase();
const ROOT = join(__dirname, '..', '..');
const PROGRAM = join(__dirname, 'client', 'program.ts');
const run = promisify(execFile);
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kisum-openapi-client-'));
  const generator = join(ROOT, 'node_modules', 'openapi-typescript', 'bin', 'cli.js');
  await run(process.execPath, [generator, join(ROOT, 'schema', 'openapi.json'), '--output', join(dir, 'openapi.ts')], { cwd: dir });
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: 'ES2022',
        lib: ['ES2023', 'DOM'],
        module: 'node20',
        moduleResolution: 'node16',
        skipLibCheck: true,
        types: [],
        // The program imports the generated types by this name.
        paths: { 'generated-openapi': [join(dir, 'openapi.ts')] },
      },
      files: [PROGRAM],
    }),
  );
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('the program type-checks against the generated client (and the types refuse what the service refuses)', async () => {
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const checked = await run(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { cwd: dir }).then(
    () => '',
    (err: { stdout?: string; message: string }) => err.stdout || err.message,
  );
  expect(checked).toBe('');
}, 60_000);

test('the program runs against a live Base: a create, an action and a list', async () => {
  // Loaded by path: the project's compiler does not see the program (its types are generated above).
  const { bookAndList } = (await import(PROGRAM)) as { bookAndList(url: string, headers: Record<string, string>, name: string): Promise<unknown> };
  const admin = await base.caller();
  const result = await bookAndList(base.url, admin.headers, 'Generated Client Show');
  expect(result).toEqual({ id: expect.any(String), status: 'on_sale', names: ['Generated Client Show'], total: 1, conflict: 'CONFLICT' });
});
