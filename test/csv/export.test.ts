import { parse } from 'csv-parse/sync';
import { Caller, Answer, useTestBase } from '../support/harness';
import { expectRestError } from '../support/assertions';
import { allBut, createAgency, createVia, freshCaller } from '../support/fixtures';

/**
 * CSV out: every family's list answers `text/csv` (`?format=csv` or `Accept: text/csv`) with the
 * same filters and order as its JSON pages, every matching row (paging aside), walked along the
 * keyset cursor; EXPORT_MAX_ROWS bounds it (low here, so the bound is reachable).
 */
const EXPORT_MAX_ROWS = 700; // more than one page of the walk (500 rows)
const base = useTestBase({ EXPORT_MAX_ROWS: String(EXPORT_MAX_ROWS) });

/* eslint-disable @typescript-eslint/no-explicit-any */

/** A CSV answer: status, headers, the raw text and its records (the header first). */
async function csv(actor: Caller, path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${base.url}${path}`, { headers: { ...actor.headers, ...headers } });
  const text = await res.text();
  const records: string[][] = res.headers.get('content-type')?.startsWith('text/csv') ? parse(text, { relax_column_count: false }) : [];
  return { status: res.status, headers: res.headers, text, records };
}

/** The JSON list's ids, every page (following the cursor). */
async function jsonIds(actor: Caller, path: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const res: Answer = await base.rest('GET', `${path}${sep}limit=100${cursor ? `&cursor=${cursor}` : ''}`, { as: actor });
    expect(res.status).toBe(200);
    ids.push(...res.body.data.map((r: any) => r.id));
    cursor = res.body.meta.nextCursor;
  } while (cursor);
  return ids;
}

const artist = (actor: Caller, body: Record<string, unknown>) => createVia(base, actor, '/api/artists', body);

describe('CSV out of a list', () => {
  let actor: Caller;
  let agencyId: string;

  beforeAll(async () => {
    actor = await freshCaller(base);
    agencyId = (await createAgency(base, actor, { name: 'Agency, "Quoted"' })).id;
    await artist(actor, { name: 'Comma, Artist', genres: ['rock', 'indie'], agencyId, defaultFee: 150000, currency: 'USD', city: 'Berlin' });
    await artist(actor, { name: 'Quote "Q" Artist', notes: 'line one\nline two\r\nline three' });
    await artist(actor, { name: 'Plain Artist', agencyId, country: 'DE' });
  });

  test('?format=csv: a header row of the REST fields in order, then every row in the JSON order, as an attachment', async () => {
    const res = await csv(actor, '/api/artists?format=csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    const day = base.clock.now().toISOString().slice(0, 10);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename=artists-${day}.csv`);
    const [header, ...rows] = res.records;
    expect(header).toEqual(['id', 'createdAt', 'updatedAt', 'createdBy', 'version', 'name', 'agencyId', 'genres', 'country', 'city', 'email', 'phone', 'website', 'notes', 'defaultFee', 'currency']);
    expect(rows.map((r) => r[0])).toEqual(await jsonIds(actor, '/api/artists'));
    // RFC 4180: CRLF between records, quotes doubled inside quoted cells.
    expect(res.text.split('\r\n')[0]).toBe(header.join(','));
    expect(res.text).toContain('"Comma, Artist"');
    expect(res.text).toContain('"Quote ""Q"" Artist"');
    expect(res.text).toContain('"line one\nline two\r\nline three"');
    const comma = Object.fromEntries(header.map((h, i) => [h, rows[0][i]]));
    expect(comma).toMatchObject({ name: 'Comma, Artist', agencyId, genres: '["rock","indie"]', defaultFee: '150000', currency: 'USD', city: 'Berlin', email: '', version: '1' });
    const json = (await base.rest('GET', `/api/artists/${comma.id}`, { as: actor })).body.data;
    expect(comma.createdAt).toBe(json.createdAt);
    const quoted = rows.find((r) => r[header.indexOf('name')] === 'Quote "Q" Artist')!;
    expect(quoted[header.indexOf('notes')]).toBe('line one\nline two\r\nline three');
  });

  test('Accept: text/csv answers CSV too; */* and no Accept keep JSON; format wins over Accept', async () => {
    const byAccept = await csv(actor, '/api/artists', { accept: 'text/csv' });
    expect(byAccept.status).toBe(200);
    expect(byAccept.records.length).toBe(4);
    const plain = await base.rest('GET', '/api/artists', { as: actor, headers: { accept: '*/*' } });
    expect(plain.headers.get('content-type')).toMatch(/json/);
    const json = await base.rest('GET', '/api/artists?format=json', { as: actor, headers: { accept: 'text/csv' } });
    expect([json.status, json.body.data.length]).toEqual([200, 3]);
    expectRestError(await base.rest('GET', '/api/artists?format=xml', { as: actor }), 400, 'VALIDATION_FAILED');
  });

  test('filters and order are the JSON list’s; page and limit do not apply', async () => {
    const res = await csv(actor, `/api/artists?format=csv&agencyId=${agencyId}&page=2&limit=1`);
    expect(res.records.slice(1).map((r) => r[0])).toEqual(await jsonIds(actor, `/api/artists?agencyId=${agencyId}`));
    expect(res.records.slice(1).map((r) => r[5])).toEqual(['Comma, Artist', 'Plain Artist']);
  });

  test('a cell a spreadsheet would run as a formula starts with an apostrophe', async () => {
    const own = await freshCaller(base);
    const cases = ['=SUM(A1:A2)', '+1+1', '-2+3', '@cmd', '\tTabbed', '\rReturned', "'=quoted", "'plain"];
    for (const notes of cases) await artist(own, { name: `N ${cases.indexOf(notes)}`, notes });
    const res = await csv(own, '/api/artists?format=csv');
    const notes = res.records.slice(1).map((r) => r[res.records[0].indexOf('notes')]);
    expect(notes).toEqual(["'=SUM(A1:A2)", "'+1+1", "'-2+3", "'@cmd", "'\tTabbed", "'\rReturned", "''=quoted", "'plain"]);
  });

  test('nested lists answer CSV too (an event’s incomes)', async () => {
    const venue = await createVia(base, actor, '/api/venues', { name: 'Hall' });
    const event = await createVia(base, actor, '/api/events', { name: 'Show', venueId: venue.id, startsAt: '2030-05-01T19:00:00Z' });
    await createVia(base, actor, `/api/events/${event.id}/incomes`, { category: 'bar', description: '=1+1', amount: 1000 });
    const res = await csv(actor, `/api/events/${event.id}/incomes`, { accept: 'text/csv' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename=incomes-\d{4}-\d{2}-\d{2}\.csv$/);
    const [header, row] = res.records;
    expect(header.slice(0, 6)).toEqual(['id', 'createdAt', 'updatedAt', 'createdBy', 'version', 'eventId']);
    expect(row[header.indexOf('description')]).toBe("'=1+1");
    expect(row[header.indexOf('amount')]).toBe('1000');
  });

  test('only the caller’s company: another company’s rows are absent', async () => {
    const other = await freshCaller(base);
    await artist(other, { name: 'Other Company Artist' });
    const res = await csv(actor, '/api/artists?format=csv');
    expect(res.records.map((r) => r[5])).not.toContain('Other Company Artist');
    const theirs = await csv(other, '/api/artists?format=csv');
    expect(theirs.records.slice(1).map((r) => r[5])).toEqual(['Other Company Artist']);
  });

  test('without the view permission: 403', async () => {
    const denied = await base.caller(allBut('basic.artist.view'), { company: actor.companyId });
    const res = await fetch(`${base.url}/api/artists?format=csv`, { headers: denied.headers });
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('FORBIDDEN');
  });

  test('more than EXPORT_MAX_ROWS matching: 400 naming the bound, before anything is sent; up to it, every row across pages', async () => {
    const big = await freshCaller(base);
    const companyId = big.companyId;
    // Rows arranged directly (the subject is the export, not 700 creates).
    await base.sql(
      `insert into "${base.schema}".artists (company_id, created_by, name, currency)
       select $1, 'seed', 'Bulk ' || lpad(g::text, 4, '0'), 'EUR' from generate_series(1, $2) g`,
      [companyId, EXPORT_MAX_ROWS],
    );
    const whole = await csv(big, '/api/artists?format=csv');
    expect(whole.status).toBe(200);
    expect(whole.records.length).toBe(EXPORT_MAX_ROWS + 1);
    expect(whole.records.slice(1).map((r) => r[0])).toEqual(await jsonIds(big, '/api/artists'));
    await artist(big, { name: 'One too many' });
    const res = await fetch(`${base.url}/api/artists?format=csv`, { headers: big.headers });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.message).toContain(`${EXPORT_MAX_ROWS}`);
    expect(body.error.details[0].message).toContain('EXPORT_MAX_ROWS');
    // A filter that narrows below the bound answers again.
    const narrowed = await csv(big, '/api/artists?format=csv&q=too%20many');
    expect(narrowed.records.slice(1).map((r) => r[5])).toEqual(['One too many']);
  });
});
