/**
 * The bench's workloads and the data they read, shared by `npm run bench` (run.ts), its raw
 * baseline (raw-server.ts answers the same operations) and the guard test that pins Base's answers
 * to them (test/bench/workloads.test.ts). The data is deterministic: names, dates and order are
 * fixed, so answers can be compared once ids and timestamps are set aside.
 */
export type Headers = Record<string, string>;

export interface BenchRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Headers;
  body?: unknown;
}

export interface SeededBench {
  reader: Headers;
  writer: Headers;
}

export interface BenchWorkload {
  name: string;
  label: string;
  /** Base's req/s over the raw server's that the issue asks for. */
  target?: number;
  /** It changes data (compared by shape, not value). */
  writes?: boolean;
  request(seeded: SeededBench): BenchRequest;
}

export const ARTIST_PAGE = `query ArtistPage($limit: Int!) { artists(limit: $limit) { total items {
  id name agencyId genres country city email phone website notes defaultFee currency createdAt updatedAt createdBy version
  agency { id key name }
} } }`;

export const AGENCY_ARTISTS = `query AgencyArtists($limit: Int!, $perAgency: Int!) { agencies(limit: $limit) { total items {
  id key name
  # the heaviest nested screen the cost limit admits (20 × 50 artists ≈ 4100 of GRAPHQL_MAX_COST 5000)
  artists(limit: $perAgency) { total items { id name } }
} } }`;

export const EVENTS_PAGE = `query EventsPage($limit: Int!) { events(limit: $limit) { total items {
  id name startsAt endsAt doorsAt status capacity currency
  venue { id name timezone capacity }
  lineup { id name genres }
  tickets(limit: 20) { total items { id name price currency quantity sold status } }
} } }`;

const gql = (headers: Headers, operationName: string, query: string, variables: Record<string, unknown>): BenchRequest => ({
  method: 'POST',
  path: '/graphql',
  headers,
  body: { operationName, query, variables },
});

export const BENCH_WORKLOADS: BenchWorkload[] = [
  { name: 'rest-list', label: 'REST GET /api/artists?limit=50', target: 0.9, request: (s) => ({ method: 'GET', path: '/api/artists?limit=50', headers: s.reader }) },
  { name: 'gql-50', label: 'GraphQL 50 artists with agency', target: 0.7, request: (s) => gql(s.reader, 'ArtistPage', ARTIST_PAGE, { limit: 50 }) },
  { name: 'gql-100', label: 'GraphQL 100 artists with agency', target: 0.6, request: (s) => gql(s.reader, 'ArtistPage', ARTIST_PAGE, { limit: 100 }) },
  {
    name: 'nested',
    label: 'GraphQL 20 agencies → 50 artists each',
    target: 0.4,
    request: (s) => gql(s.reader, 'AgencyArtists', AGENCY_ARTISTS, { limit: 20, perAgency: 50 }),
  },
  // 10 events: a lineup counts at its 100 artists, so 20 with their tiers (≈ 9900) pass no longer GRAPHQL_MAX_COST 5000 (10 ≈ 4970).
  { name: 'events', label: 'GraphQL events page (10, venue/lineup/tiers)', target: 0.4, request: (s) => gql(s.reader, 'EventsPage', EVENTS_PAGE, { limit: 10 }) },
  {
    name: 'rest-write',
    label: 'REST POST /api/artists',
    writes: true,
    request: (s) => ({ method: 'POST', path: '/api/artists', headers: s.writer, body: { name: 'Bench Artist', currency: 'EUR', genres: ['rock'] } }),
  },
];

export interface SeedScale {
  agencies: number;
  artists: number;
  venues: number;
  events: number;
}
export const BENCH_SCALE: SeedScale = { agencies: 20, artists: 2000, venues: 10, events: 40 };

const pad = (n: number, width = 4) => String(n).padStart(width, '0');

/** Runs `work` over 0..n-1, `concurrency` at a time, keeping results in order. */
async function inParallel<T>(n: number, concurrency: number, work: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      while (next < n) {
        const i = next++;
        results[i] = await work(i);
      }
    }),
  );
  return results;
}

/** Seeds the reader's company through Base's REST API; answers the callers the workloads use. */
export async function seedBench(baseUrl: string, reader: Headers, writer: Headers, scale: SeedScale = BENCH_SCALE): Promise<SeededBench> {
  const post = async (path: string, body: unknown): Promise<string> => {
    const res = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { ...reader, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const answer = (await res.json()) as { data?: { id: string } };
    if (res.status !== 201 || !answer.data) throw new Error(`seeding ${path} answered ${res.status}: ${JSON.stringify(answer)}`);
    return answer.data.id;
  };
  const agencies = await inParallel(scale.agencies, 8, (i) =>
    post('/api/agencies', { key: `agency-${pad(i)}`, name: `Agency ${pad(i)}`, email: `desk${i}@agency.example` }),
  );
  const artists = await inParallel(scale.artists, 8, (i) =>
    post('/api/artists', {
      name: `Artist ${pad(i)}`,
      // Every tenth artist has no agency; the rest are spread over the agencies.
      agencyId: i % 10 === 9 ? null : agencies[i % agencies.length],
      genres: i % 3 ? ['rock', 'jazz'] : [],
      country: i % 4 ? 'GB' : null,
      city: `City ${i % 17}`,
      email: `artist${i}@example.com`,
      defaultFee: i % 7 ? 100_000 + i : null,
      currency: 'EUR',
    }),
  );
  const venues = await inParallel(scale.venues, 8, (i) =>
    post('/api/venues', { name: `Venue ${pad(i)}`, timezone: 'Europe/London', capacity: i % 3 ? 500 + i : null }),
  );
  const day = Date.parse('2031-03-01T19:00:00Z');
  const events = await inParallel(scale.events, 8, (i) =>
    post('/api/events', {
      name: `Event ${pad(i)}`,
      venueId: i % 5 === 4 ? null : venues[i % venues.length],
      startsAt: new Date(day + i * 86_400_000).toISOString(),
      endsAt: i % 2 ? new Date(day + i * 86_400_000 + 3 * 3_600_000).toISOString() : null,
      doorsAt: new Date(day + i * 86_400_000 - 3_600_000).toISOString(),
      capacity: 1000,
      currency: 'EUR',
      lineup: [0, 1, 2].map((k) => artists[(i * 3 + k) % artists.length]),
    }),
  );
  await inParallel(events.length * 3, 8, (j) => {
    const [name, price] = [['General admission', 2500], ['Early bird', 1500], ['VIP', 9000]][j % 3] as [string, number];
    return post(`/api/events/${events[Math.floor(j / 3)]}/tickets`, { name, price, quantity: 100 + (j % 3) });
  });
  return { reader, writer };
}
