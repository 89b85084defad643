import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Rules of the codebase that review alone would miss:
 *  - modules reach PostgreSQL only through TenantScope (so no query can skip the company filter);
 *  - domain services know nothing of HTTP or GraphQL;
 *  - nothing outside src/dev (and the start-up that chooses it) loads the dev-only parts;
 *  - only src/jobs reaches across companies (CrossCompanyAccess).
 */
const SRC = join(__dirname, '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}
const source = files(SRC).map((path) => ({ path: relative(SRC, path), text: readFileSync(path, 'utf8') }));

test('modules never touch the data source, an entity manager or raw SQL', () => {
  const offenders = source
    .filter((f) => f.path.startsWith('modules/'))
    .filter((f) => /\b(DataSource|EntityManager|getRepository|createQueryRunner)\b|\.query\(|\.manager\b/.test(f.text))
    .map((f) => f.path);
  expect(offenders).toEqual([]);
});

test('services import neither express nor graphql', () => {
  const services = source.filter((f) => /(^core\/crud-service|\.service)\.ts$/.test(f.path));
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
