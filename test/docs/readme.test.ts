import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Pool } from 'pg';
import { buildDist, ROOT, startCompiledBase, Started } from '../support/processes';
import { jobQueueSchema } from '../../migrations/support/job-queue';

/**
 * Every shell command of the README runs here, so its examples cannot rot: the fenced `sh` blocks of
 * README.md, and every `curl` line of a shell block in docs/. Base runs as the README's dev default
 * (dev Auth, demo company seeded) over the test database. What the test cannot run verbatim is
 * mapped, never dropped: `npm install`/`npm start`/`npm test` (with settings in front or arguments
 * after) are the installed tree and the Base this test already started, and `http://localhost:3099`
 * is that Base's address. Every `curl` answer must be a success, valid JSON, GraphQL without errors.
 */
const README_BLOCK = /```sh\n([\s\S]*?)```/g;
const SHELL_BLOCK = /```(?:sh|bash|shell)\n([\s\S]*?)```/g;
/** Installing, starting or testing (npm install with its arguments too: the suite runs on an installed Node 24). */
const MAPPED = /^(\w+=\S+\s+)*npm (install|ci|start|test|run dev)( .*)?$/;

interface Block {
  source: string;
  commands: string[];
}

/** A block's commands, one per logical line (a trailing backslash continues it), comments left out. */
function commandsOf(text: string): string[] {
  return text
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
}

function documentedBlocks(): Block[] {
  const blocks: Block[] = [...readFileSync(join(ROOT, 'README.md'), 'utf8').matchAll(README_BLOCK)].map((m, i) => ({
    source: `README.md sh block ${i + 1}`,
    commands: commandsOf(m[1]),
  }));
  for (const file of readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md'))) {
    const text = readFileSync(join(ROOT, 'docs', file), 'utf8');
    for (const [i, m] of [...text.matchAll(SHELL_BLOCK)].entries()) {
      const curls = commandsOf(m[1]).filter((c) => /(^|\$\()curl /.test(c));
      if (curls.length) blocks.push({ source: `docs/${file} shell block ${i + 1}`, commands: curls });
    }
  }
  return blocks;
}

/** curl as written, made strict: a failing status fails the block, and every answer is kept to check. */
const STRICT_CURL = `curl() {
  local answer
  answer=$(command curl --fail-with-body --show-error "$@") || { printf 'curl failed: %s\\n' "$answer" >&2; return 1; }
  printf '%s\\0' "$answer" >>"$DOCS_ANSWERS"
  printf '%s' "$answer"
}
`;

const adminUrl = process.env.DATABASE_URL!;
const schema = `docs_${randomBytes(5).toString('hex')}`;
const scratch = mkdtempSync(join(tmpdir(), 'kisum-docs-'));
let base: Started;

beforeAll(async () => {
  await buildDist();
  base = await startCompiledBase({
    DATABASE_URL: adminUrl,
    DATABASE_SCHEMA: schema,
    LOG_LEVEL: 'warn',
    JOBS: 'false',
    // The dev Auth keeps its keys beside the embedded database's folder: a scratch one here.
    EMBEDDED_PG_DIR: join(scratch, 'postgres'),
    // Ready once it prints its address: the demo company is seeded by then, as a reader of the README sees it.
  }, { readyLine: /is listening on/ });
}, 180_000);

afterAll(async () => {
  await base?.stop();
  const admin = new Pool({ connectionString: adminUrl, max: 1 });
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.query(`DROP SCHEMA IF EXISTS ${jobQueueSchema(schema)} CASCADE`);
  await admin.end();
  rmSync(scratch, { recursive: true, force: true });
});

const blocks = documentedBlocks();

test('the README has shell examples to run (the extraction found them)', () => {
  expect(blocks.filter((b) => b.source.startsWith('README.md')).length).toBeGreaterThanOrEqual(3);
  expect(blocks.flatMap((b) => b.commands).some((c) => c.includes('curl'))).toBe(true);
});

test.each(blocks.map((b) => [b.source, b] as const))('%s runs, every answer a success', async (_source, block) => {
  const answers = join(scratch, `answers-${randomBytes(4).toString('hex')}`);
  const script = block.commands.map((c) => (MAPPED.test(c) ? ': mapped to the running Base' : c.replaceAll('http://localhost:3099', base.url))).join('\n');
  const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', `${STRICT_CURL}${script}`], {
    cwd: scratch,
    env: { ...process.env, DOCS_ANSWERS: answers, PATH: `${dirname(process.execPath)}:${process.env.PATH}` },
  }).catch((err: { stderr?: string; message: string }) => {
    throw new Error(`${block.source} failed:\n${script}\n${err.stderr ?? err.message}`);
  });
  const curls = block.commands.filter((c) => !MAPPED.test(c)).reduce((n, c) => n + (c.match(/(^|\$\(|\s)curl /g)?.length ?? 0), 0);
  const bodies = curls ? readFileSync(answers, 'utf8').split('\0').filter(Boolean) : [];
  expect(bodies).toHaveLength(curls);
  for (const body of bodies) {
    const parsed = JSON.parse(body);
    expect({ errors: parsed.errors, error: parsed.error }).toEqual({ errors: undefined, error: undefined });
  }
  expect(stdout).toBeDefined();
});

test('the demo dashboard, asked for nothing but its default period, shows the seeded holds', async () => {
  const { token, companyId } = await (await fetch(`${base.url}/dev/token`, { method: 'POST' })).json();
  const res = await fetch(`${base.url}/graphql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'x-org': companyId, 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ dashboard { activeHolds { total firstHolds } } }' }),
  });
  expect(await res.json()).toEqual({ data: { dashboard: { activeHolds: { total: 2, firstHolds: 1 } } } });
});
