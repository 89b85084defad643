import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isFamilyModule } from '../src/core/module';
import { declarationOf } from '../src/core/record';
import { MODULES } from '../src/modules';

/**
 * Rules of the codebase that review alone would miss:
 *  - imports run one way, down these layers (a file imports from its own layer or a lower one):
 *      composition   src/main, server, entities, cli, dev: builds the server from everything below
 *      surfaces      src/http, src/graphql (neither imports the other), then the request context (src/auth)
 *      families      src/modules: declarations, services and helpers of each family or module
 *      kit           src/core (with src/metrics, src/permissions, src/logger): the generic machinery a
 *                    family is declared with and run by, its jobs and sweeps put on the runner included
 *      data access   src/db: the tenant scope and its repositories, the data source, the wire to PostgreSQL
 *      job queue     src/jobs: scheduling, the runner, retries and call budgets; knows no family and no tenant scope
 *      shared        src/shared: domain errors and money, which every layer above may use
 *      configuration src/config
 *      database      migrations
 *  - a family uses another family only through that family's index;
 *  - families reach PostgreSQL only through TenantScope: its repositories add the company filter to
 *    every query they build, and its raw SQL runs under row-level security;
 *  - domain services know nothing of HTTP or GraphQL;
 *  - nothing outside src/dev (and the start-up that chooses it) loads the dev-only parts;
 *  - only src/jobs reaches across companies (CrossCompanyAccess);
 *  - every outside call goes through src/core/outside-call.ts (no redirect followed).
 */
const SRC = join(__dirname, '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}
const source = files(SRC).map((path) => ({ path: relative(SRC, path), text: readFileSync(path, 'utf8') }));

/** Each folder's place: a file may import only from its own layer or a lower one. */
const LAYERS: [RegExp, number, string][] = [
  [/^(main|server|entities|node-version)$|^(cli|dev)(\/|$)/, 9, 'composition'],
  [/^(http|graphql)(\/|$)/, 8, 'surface'],
  [/^auth(\/|$)/, 7, 'request context'],
  [/^modules(\/|$)/, 6, 'family'],
  [/^(core|metrics|permissions)(\/|$)|^logger$/, 5, 'kit'],
  [/^db(\/|$)/, 4, 'data access'],
  [/^jobs(\/|$)/, 3, 'job queue'],
  [/^shared(\/|$)/, 2, 'shared'],
  [/^config$/, 1, 'configuration'],
  [/^migrations(\/|$)/, 0, 'database'],
];
/** The layer of a source path or import target (extension optional). */
const layerOf = (path: string) => {
  const bare = path.replace(/\.(ts|js)$/, '');
  const found = LAYERS.find(([re]) => re.test(bare));
  if (!found) throw new Error(`${path} belongs to no layer: add its folder to LAYERS`);
  return { rank: found[1], name: found[2] };
};
const ROOT = join(SRC, '..');
const importsOf = (file: { path: string; text: string }) =>
  [...file.text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => {
    const target = relative(SRC, join(SRC, file.path, '..', m[1]));
    return target.startsWith('..') ? relative(ROOT, join(SRC, target)) : target;
  });

test('every import runs one way: composition → surfaces → families → kit → data access → job queue → shared → database', () => {
  const upward: string[] = [];
  for (const file of source) {
    const from = layerOf(file.path);
    for (const target of importsOf(file)) {
      const to = layerOf(target);
      const sideways = /^http\//.test(file.path) && /^graphql\//.test(target) || /^graphql\//.test(file.path) && /^http\//.test(target);
      if (to.rank > from.rank || sideways) upward.push(`${file.path} (${from.name}) imports ${target} (${to.name})`);
    }
  }
  expect(upward).toEqual([]);
});

test('the direction check sees an upward import (it can fail)', () => {
  const probe = { path: 'core/probe.ts', text: "import { x } from '../http/rest';" };
  expect(importsOf(probe)).toEqual(['http/rest']);
  expect(layerOf('http/rest.ts').rank).toBeGreaterThan(layerOf(probe.path).rank);
  // core, db and jobs are layers of their own, in that order, above what they share.
  const ranks = ['core/x', 'db/x', 'jobs/x', 'shared/x', 'config'].map((path) => layerOf(path).rank);
  expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
  expect(new Set(ranks).size).toBe(ranks.length);
});

test('a family reaches another family only through its index', () => {
  const offenders = source
    .filter((f) => f.path.startsWith('modules/'))
    .flatMap((f) => importsOf(f).map((t) => ({ from: f.path, to: t })))
    .filter(({ from, to }) => to.startsWith('modules/') && from.split('/')[1] !== to.split('/')[1] && to.split('/').length > 2)
    .map(({ from, to }) => `${from} → ${to}`);
  expect(offenders).toEqual([]);
});

const moduleFolders = readdirSync(join(SRC, 'modules')).filter((n) => statSync(join(SRC, 'modules', n)).isDirectory());
/** A module folder's files by role: `index.ts`, `*.family.ts`, `*.module.ts`, …; plain files (`settlement-math.ts`) as `*.ts`. */
const rolesOf = (folder: string) =>
  readdirSync(join(SRC, 'modules', folder))
    .map((n) => (n === 'index.ts' ? n : n.replace(/^[a-z-]+\./, '*.')))
    .sort();

test('a family is its declaration and its index; a service or wiring file only where it holds more than the kit makes', () => {
  expect(moduleFolders.length).toBeGreaterThan(3);
  for (const folder of moduleFolders) {
    const names = rolesOf(folder);
    const text = (role: string) => {
      const file = readdirSync(join(SRC, 'modules', folder)).find((n) => n.endsWith(role.slice(1)) && n !== 'index.ts');
      return file ? readFileSync(join(SRC, 'modules', folder, file), 'utf8') : '';
    };
    // Besides its role files a module may hold what serves it alone: plain files named for what they
    // hold (`settlement-math.ts`) and the wire client of an outside service it talks to.
    const roles = names.filter((n) => n !== '*.ts' && n !== '*.client.ts');
    if (!names.includes('*.family.ts')) {
      // A service module (procedures, an integration, helpers): its wiring and index; its tables and its service are optional.
      expect({ folder, files: roles.filter((n) => !['*.entity.ts', '*.service.ts'].includes(n)) }).toEqual({ folder, files: ['*.module.ts', 'index.ts'] });
      continue;
    }
    expect({ folder, files: roles.filter((n) => n !== '*.module.ts' && n !== '*.service.ts') }).toEqual({ folder, files: ['*.family.ts', 'index.ts'] });
    // No ceremony: a service file is more than the kit's service, a wiring file more than the family and its service.
    if (names.includes('*.service.ts')) expect({ folder, kitServiceOnly: /=\s*new FamilyService</.test(text('*.service.ts')) }).toEqual({ folder, kitServiceOnly: false });
    if (names.includes('*.module.ts')) {
      const parts = /\b(relations|computedReads|sweeps|retention|handlers|jobs|procedures|entities|notices|configure|subscriptions)\s*:/.test(text('*.module.ts'));
      expect({ folder, moduleDeclaresParts: parts }).toEqual({ folder, moduleDeclaresParts: true });
    }
  }
});

test('a family declares its record in its family file (defineRecord): one source for each field', () => {
  const families = MODULES.filter(isFamilyModule);
  expect(families.length).toBeGreaterThan(3);
  // The folder whose family file declares it.
  const folderOf = (singular: string) =>
    moduleFolders.find((folder) =>
      readdirSync(join(SRC, 'modules', folder)).some(
        (n) => n.endsWith('.family.ts') && readFileSync(join(SRC, 'modules', folder, n), 'utf8').includes(`singular: '${singular}'`),
      ),
    ) ?? singular;
  const found = families.map((m) => ({ folder: folderOf(m.family.singular), declared: declarationOf(m.family.entity) !== undefined }));
  expect(found.filter((f) => !f.declared).map((f) => f.folder)).toEqual([]);
});

test('families never touch the data source, an entity manager or raw SQL', () => {
  const offenders = source
    .filter((f) => f.path.startsWith('modules/'))
    .filter((f) => /\b(DataSource|EntityManager|getRepository|createQueryRunner)\b|\.query\(|\.manager\b/.test(f.text))
    .map((f) => f.path);
  expect(offenders).toEqual([]);
});

test('services import neither express nor graphql', () => {
  const services = source.filter((f) => /(^core\/service|\.service)\.ts$/.test(f.path));
  expect(services.length).toBeGreaterThan(1);
  const offenders = services.filter((f) => /from '(express|graphql|type-graphql|@apollo\/[^']+)'/.test(f.text)).map((f) => f.path);
  expect(offenders).toEqual([]);
});

test('dev-only parts are loaded only by start-up, lazily, and by the seed', () => {
  const offenders = source
    .filter((f) => !f.path.startsWith('dev/') && f.path !== 'main.ts')
    .filter((f) => /from '\.\.?\/(\.\.\/)*dev\//.test(f.text))
    .map((f) => f.path);
  expect(offenders).toEqual([]);
  const main = source.find((f) => f.path === 'main.ts')!.text;
  expect(main).not.toMatch(/^import .* from '\.\/dev\//m); // only `await import(...)` inside the dev branch
});

test('only src/jobs imports the cross-company scope', () => {
  const importers = source
    .filter((f) => /(from|import\(|require\()\s*'[^']*\/cross-company(\.js)?'/.test(f.text))
    .map((f) => f.path);
  expect(importers.length).toBeGreaterThan(0); // the rule is not vacuous: the runner uses it
  expect(importers.filter((path) => !path.startsWith('jobs/'))).toEqual([]);
});

test('outside calls go through fetchOutside (no redirect followed, a deadline required): no other fetch in src', () => {
  const callers = source.filter((f) => /(^|[^\w.])fetch\s*\(/.test(f.text.replace(/^\s*(\/\/|\*).*$/gm, ''))).map((f) => f.path);
  expect(callers).toEqual(['core/outside-call.ts']);
  expect(source.filter((f) => /\bfetchOutside\(/.test(f.text)).length).toBeGreaterThan(3); // the rule is not vacuous
});

/**
 * Time is an input: domain code, the sweeps and the caches read the server's clock
 * (src/shared/clock.ts: the scope's now(), a job's clock), and SQL takes its now as a parameter.
 * These files read real time on purpose, and why.
 */
const REAL_TIME: Record<string, string> = {
  'shared/clock.ts': 'the machine clock itself',
  'http/request-log.ts': "a request's duration in the access log",
  'metrics/metrics.ts': 'durations in the metrics',
  'auth/access-client.ts': "the Auth call's latency in the metrics",
  'core/outside-call.ts': "a webhook delivery's duration, kept with its attempt",
  'db/one-round-trip.ts': "a statement's execution time in the log",
  'db/data-source.ts': 'the wait for the migration lock, a timeout',
  'db/tenant-repository.ts': "updated_at: the database's stamp of a write, as created_at is",
  'modules/files/file.service.ts': "updated_at: the database's stamp of a write",
  'jobs/queue.ts': "the queue's due times: graphile-worker compares them with the database's now()",
  'dev/seed.ts': 'the demo data, dated from the day it is seeded',
  'dev/token-issuer.ts': "the dev Auth, which mints on the machine's time as Auth does",
};
const WALL_CLOCK = /\bnew Date\(\)|\bDate\.now\(\)|\bperformance\.now\(\)|process\.hrtime|(?<![.\w])now\(\)(?!\s*[:{])|clock_timestamp\(|current_timestamp|localtimestamp/i;
const withoutComments = (text: string) => text.replace(/^\s*(\/\/|\/?\*).*$/gm, '').replace(/\/\/.*$/gm, '');

test('domain code reads the injected clock, not the machine or the database: only the listed files read real time', () => {
  const readers = source.filter((f) => WALL_CLOCK.test(withoutComments(f.text))).map((f) => f.path).sort();
  expect(readers).toEqual(Object.keys(REAL_TIME).sort());
});

test('the wall-clock check sees each way of reading real time (it can fail)', () => {
  for (const line of ['new Date()', 'Date.now()', 'performance.now()', "`expires_at <= now()`", 'clock_timestamp()', 'CURRENT_TIMESTAMP']) {
    expect({ line, found: WALL_CLOCK.test(withoutComments(line)) }).toEqual({ line, found: true });
  }
  for (const line of ['scope.now()', 'tx.now()', 'clock.now()', 'now(): Date {', 'new Date(at)', '// the database now()']) {
    expect({ line, found: WALL_CLOCK.test(withoutComments(line)) }).toEqual({ line, found: false });
  }
});

/**
 * One composition root: what a server is made of (event handlers, notices, families by name, the
 * modules' configured clients) is built by `startServer` into its Composition and passed down, so two
 * servers in one process share none of it. The kit, data access and the job queue keep no state of
 * their own at module level, except these, each the same in every server, and why.
 */
const MODULE_STATE: Record<string, string> = {
  'core/module.ts ownModules': 'keyed by declarations: the module a bare family declaration stands for',
  'core/service.ts services': "keyed by declarations: the kit's service of a family",
  'core/family.ts familyEntities': "keyed by declarations: the record classes of families",
  'core/record.ts declarations': 'keyed by declarations: the record declaration of each entity class',
  'core/record.ts transient': 'keyed by declarations: the fields of a record class shown in some answers only (a secret shown once)',
  'core/record.ts storedValues': 'keyed by records: the value a read-as-of-now field has stored (a ladder level), for the record alone',
  'core/csv.ts columnsByEntity': "keyed by declarations: the CSV columns of a family's record",
  'core/enums.ts enums': 'keyed by declarations: the GraphQL enum made of each enum object',
  'core/listing.ts filterSchemas': 'keyed by declarations: the validation of a filter map',
  'core/listing.ts inputTypes': "type-graphql's metadata is process-wide: one GraphQL filter input class per name",
  'core/fields.ts inputTypes': "type-graphql's metadata is process-wide: one GraphQL input class per name",
  'core/listing.ts paramSeq': "only makes a statement's parameter names unique",
  'core/fields.ts CURRENCIES': 'a constant table (ISO 4217 codes), never written',
  'core/fields.ts TIME_ZONES': 'a constant table (IANA zones), never written',
  'db/owned-by.ts owners': 'keyed by entity classes: what a decorator declared',
  'db/record-mapper.ts mappers': "keyed by TypeORM's metadata, which belongs to one data source",
  'db/record-mapper.ts AS_IS': 'a constant table (column types read as they come), never written',
  'db/availability.ts UNAVAILABLE_SQLSTATES': 'a constant table, never written',
  'db/availability.ts UNAVAILABLE_NET_CODES': 'a constant table, never written',
};
const MODULE_STATE_LINE = /^(?:export\s+)?(?:(?:let|var)\s+(\w+)|const\s+(\w+)\s*(?::[^=]+)?=\s*new\s+(?:Map|Set|WeakMap|WeakSet)\b)/gm;
const moduleStateOf = (file: { path: string; text: string }) =>
  [...file.text.matchAll(MODULE_STATE_LINE)].map((m) => `${file.path} ${m[1] ?? m[2]}`);

test('the kit, data access and the job queue keep no module-level state but the listed (the composition holds the rest)', () => {
  const found = source.filter((f) => /^(core|db|jobs)\//.test(f.path)).flatMap(moduleStateOf).sort();
  expect(found).toEqual(Object.keys(MODULE_STATE).sort());
});

test('the module-state check sees a registry and a singleton (it can fail)', () => {
  const probe = { path: 'core/probe.ts', text: "let registry = new Map<string, string>();\nconst handlers: Map<string, number> = new Map();\nexport let current: string | null = null;\n  let local = 1;\nconst RULES = ['a'];" };
  expect(moduleStateOf(probe)).toEqual(['core/probe.ts registry', 'core/probe.ts handlers', 'core/probe.ts current']);
});
