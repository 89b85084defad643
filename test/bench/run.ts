import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { execute, GraphQLSchema, parse } from 'graphql';
import { RequestContext } from '../../src/auth/request-context';
import { TenantScope } from '../../src/db/tenant-scope';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { ALL_PERMISSIONS } from '../../src/permissions/catalog';
import { startTestBase, TestBase } from '../support/harness';
import { benchFileRss } from './file-rss';

/**
 * `npm run bench`: timings that do not belong in tests, against DATABASE_URL or, when it is unset,
 * the embedded dev PostgreSQL (a scratch schema is made and dropped either way). Reports per-request latency of the list surfaces and graphql-shield's own cost on a
 * large list (the same query executed in-process with and without the shield middleware).
 */
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200);

const ARTIST_PAGE = `query { artists(limit: 100) { total items {
  id name agencyId genres country city email phone website notes defaultFee currency createdAt updatedAt createdBy version
  agency { id key name }
} } }`;

async function time(label: string, run: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 10; i++) await run(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const pct = (p: number) => samples[Math.min(samples.length - 1, Math.floor(samples.length * p))].toFixed(2);
  const mean = (samples.reduce((a, b) => a + b, 0) / samples.length).toFixed(2);
  console.log(`${label.padEnd(58)} mean ${mean.padStart(7)} ms   p50 ${pct(0.5).padStart(7)}   p95 ${pct(0.95).padStart(7)}`);
}

async function seed(base: TestBase): Promise<void> {
  const admin = await base.actor();
  const agencies: string[] = [];
  for (let i = 0; i < 20; i++) {
    const res = await base.rest('POST', '/api/agencies', { as: admin, body: { key: `agency-${i}`, name: `Agency ${i}` } });
    agencies.push(res.body.data.id);
  }
  for (let i = 0; i < 100; i++) {
    await base.rest('POST', '/api/artists', {
      as: admin,
      body: { name: `Artist ${i}`, agencyId: agencies[i % agencies.length], genres: ['rock', 'jazz'], defaultFee: 100000 + i, email: `a${i}@example.com` },
    });
  }
}

async function main(): Promise<void> {
  let embedded: { stop(): Promise<void> } | undefined;
  if (!process.env.DATABASE_URL) {
    const config = loadConfig();
    const { startEmbeddedPostgres } = await import('../../src/dev/embedded-postgres.js');
    const started = await startEmbeddedPostgres(config.database.embeddedDir, config.database.embeddedPort, createLogger('warn'));
    embedded = started;
    process.env.DATABASE_URL = started.url;
  }
  const base = await startTestBase().catch(async (err) => {
    await embedded?.stop();
    throw err;
  });
  try {
    await seed(base);
    const admin = await base.actor();
    console.log(`${ITERATIONS} iterations each, 100 artists with their agency per page\n`);
    await time('REST   GET /api/artists?limit=100', () => base.rest('GET', '/api/artists?limit=100', { as: admin }));
    await time('GraphQL artists(limit: 100) + agency over HTTP', () => base.gql(ARTIST_PAGE, {}, { as: admin }));

    const document = parse(ARTIST_PAGE);
    const context = () =>
      new RequestContext(
        'bench',
        createLogger('silent'),
        { userId: admin.userId, companyId: admin.companyId, permissions: new Set(ALL_PERMISSIONS) },
        new TenantScope(base.server.dataSource.manager, { companyId: admin.companyId, userId: admin.userId }),
      );
    const run = (schema: GraphQLSchema) => async () => {
      const result = await execute({ schema, document, contextValue: context() });
      if (result.errors) throw result.errors[0];
    };
    await time('Apollo executeOperation (no HTTP)', async () => {
      const r = await base.server.apollo.executeOperation({ query: ARTIST_PAGE }, { contextValue: context() });
      if (r.body.kind !== 'single' || r.body.singleResult.errors) throw new Error('bench query failed');
    });
    await time('in-process execute, shield (every field guarded)', run(base.server.schema.schema));
    await time('in-process execute, no shield (reference only)', run(base.server.schema.unguarded));
    console.log('');
    await benchFileRss();
  } finally {
    await base.close();
    await embedded?.stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
