import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useTestBase } from '../support/harness';
import { BENCH_WORKLOADS, seedBench, SeededBench } from './workloads';

/**
 * The bench's workloads answer exactly what they answered before the read paths were made lean:
 * each answer, with ids numbered in order of appearance and the seeding's own timestamps and user
 * set aside, equals the committed one in test/bench/expected/. `UPDATE_BENCH_EXPECTED=1` rewrites
 * them (only after checking the difference is intended).
 */
const base = useTestBase();
const EXPECTED = join(__dirname, 'expected');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function normalize(answer: unknown): unknown {
  const ids = new Map<string, string>();
  const walk = (value: unknown, key?: string): unknown => {
    if (Array.isArray(value)) return value.map((v) => walk(v));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
    }
    if (typeof value === 'string' && UUID.test(value)) {
      if (!ids.has(value)) ids.set(value, `uuid#${ids.size + 1}`);
      return ids.get(value);
    }
    if (key === 'createdAt' || key === 'updatedAt') return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? '<written at>' : value;
    if (key === 'createdBy' || key === 'requestId') return typeof value === 'string' ? '<caller>' : value;
    return value;
  };
  return walk(answer);
}

let seeded: SeededBench;
beforeAll(async () => {
  const reader = await base.caller();
  const writer = await base.caller(undefined, { company: base.companyB });
  seeded = await seedBench(base.url, reader.headers, writer.headers, { agencies: 3, artists: 30, venues: 2, events: 6 });
}, 60_000);

test.each(BENCH_WORKLOADS.map((w) => [w.name, w] as const))('%s answers as committed', async (name, workload) => {
  const request = workload.request(seeded);
  const res = await fetch(`${base.url}${request.path}`, {
    method: request.method,
    headers: { ...request.headers, ...(request.body ? { 'content-type': 'application/json' } : {}) },
    body: request.body === undefined ? undefined : JSON.stringify(request.body),
  });
  const answer = { status: res.status, body: normalize(await res.json()) };
  const file = join(EXPECTED, `${name}.json`);
  if (process.env.UPDATE_BENCH_EXPECTED === '1' || !existsSync(file)) {
    if (process.env.CI) throw new Error(`${file} is missing`);
    mkdirSync(EXPECTED, { recursive: true });
    writeFileSync(file, `${JSON.stringify(answer, null, 2)}\n`);
  }
  expect(answer).toEqual(JSON.parse(readFileSync(file, 'utf8')));
});
