import { Caller, Answer, useTestBase } from '../support/harness';
import { expectRestError } from '../support/assertions';
import { allBut, createVia, freshCaller, rows, uniqueKey } from '../support/fixtures';

/**
 * CSV in: `POST /api/{artists,venues,vendors,agencies}/import` (multipart part `file`, `?dryRun=true`)
 * creates every row through the family's create (validation, uniques, history) in one transaction,
 * or nothing; IMPORT_MAX_ROWS is low here so the bound is reachable.
 */
const IMPORT_MAX_ROWS = 20;
const base = useTestBase({ IMPORT_MAX_ROWS: String(IMPORT_MAX_ROWS) });

/* eslint-disable @typescript-eslint/no-explicit-any */

/** One import: the CSV text in the part `file`. */
async function importCsv(actor: Caller, path: string, text: string | Uint8Array, query = ''): Promise<Answer> {
  const form = new FormData();
  form.append('file', new Blob([typeof text === 'string' ? text : new Uint8Array(text)], { type: 'text/csv' }), 'import.csv');
  const res = await fetch(`${base.url}/api/${path}/import${query}`, { method: 'POST', headers: actor.headers, body: form });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

async function exportCsv(actor: Caller, path: string): Promise<string> {
  const res = await fetch(`${base.url}/api/${path}?format=csv`, { headers: actor.headers });
  expect(res.status).toBe(200);
  return res.text();
}

const list = async (actor: Caller, path: string) => (await base.rest('GET', `/api/${path}?limit=100`, { as: actor })).body.data;

describe('CSV import', () => {
  test('creates every row as POST does, with history; header names REST fields, lists as JSON', async () => {
    const actor = await freshCaller(base);
    const file = [
      'name,genres,country,defaultFee,currency,notes',
      'First Band,"[""rock"",""indie""]",de,120000,USD,"Two\nlines"',
      'Second Band,,,,,',
    ].join('\r\n');
    const res = await importCsv(actor, 'artists', file);
    expect([res.status, res.body]).toEqual([200, { data: { created: 2, errors: [] } }]);
    const artists = await list(actor, 'artists');
    expect(artists.map((a: any) => [a.name, a.genres, a.country, a.defaultFee, a.currency, a.notes])).toEqual([
      ['First Band', ['rock', 'indie'], 'DE', 120000, 'USD', 'Two\nlines'],
      // The create path's defaults apply: the company's currency.
      ['Second Band', [], null, null, 'EUR', null],
    ]);
    const history = await base.rest('GET', `/api/artists/${artists[0].id}/history`, { as: actor });
    expect(history.body.data.map((h: any) => [h.type, h.actorId])).toEqual([['artist.created', actor.userId]]);
  });

  test('all or nothing: several bad rows create nothing, and every error names its row and field', async () => {
    const actor = await freshCaller(base);
    const file = [
      'name,email,website,defaultFee,genres',
      'Good One,good@example.com,,,',
      ',not-an-email,,,', // row 3: name missing, email bad
      'Good Two,,ftp://nope,-5,', // row 4: website, defaultFee
      'Bad Genres,,,,not json', // row 5
    ].join('\n');
    const res = expectRestError(await importCsv(actor, 'artists', file), 400, 'VALIDATION_FAILED');
    const details = (res.details as unknown as { row: number; field: string }[]).map((d) => `${d.row}:${d.field}`).sort();
    expect(details).toEqual(['3:email', '3:name', '4:defaultFee', '4:website', '5:genres']);
    expect(await rows(base, 'artists', actor.companyId)).toBe(0);
  });

  test('a row the database refuses (a duplicate key) rolls every row back and is reported', async () => {
    const actor = await freshCaller(base);
    const key = uniqueKey();
    await createVia(base, actor, '/api/agencies', { key, name: 'Existing' });
    const file = `key,name\n${uniqueKey()},New One\n${key},Duplicate\n`;
    const res = expectRestError(await importCsv(actor, 'agencies', file), 400, 'VALIDATION_FAILED');
    expect(res.details).toEqual([{ row: 3, field: 'key', message: expect.any(String) }]);
    expect(await rows(base, 'agencies', actor.companyId)).toBe(1);
    const events = await base.sql(`select count(*)::int as n from "${base.schema}".domain_events where company_id = $1`, [actor.companyId]);
    expect(events[0].n).toBe(1);
  });

  test('dryRun=true changes nothing: it answers what would be created, or every problem', async () => {
    const actor = await freshCaller(base);
    const good = 'name,category\nSound Co,sound\nLights Ltd,lighting\n';
    expect(await importCsv(actor, 'vendors', good, '?dryRun=true')).toMatchObject({ status: 200, body: { data: { created: 2, errors: [] } } });
    expect(await rows(base, 'vendors', actor.companyId)).toBe(0);
    const bad = 'name,email,category\n,x,sound\n';
    const res = await importCsv(actor, 'vendors', bad, '?dryRun=true');
    expect(res.status).toBe(200);
    expect(res.body.data.created).toBe(0);
    expect(res.body.data.errors.map((e: any) => `${e.row}:${e.field}`).sort()).toEqual(['2:email', '2:name']);
    expect(await rows(base, 'vendors', actor.companyId)).toBe(0);
    // The real import then does it.
    expect((await importCsv(actor, 'vendors', good)).body).toEqual({ data: { created: 2, errors: [] } });
    expect(await rows(base, 'vendors', actor.companyId)).toBe(2);
  });

  test('more than IMPORT_MAX_ROWS rows: 400 naming the bound, nothing created', async () => {
    const actor = await freshCaller(base);
    const file = ['name', ...Array.from({ length: IMPORT_MAX_ROWS + 1 }, (_v, i) => `Venue ${i}`)].join('\n');
    const res = expectRestError(await importCsv(actor, 'venues', file), 400, 'VALIDATION_FAILED');
    expect(res.details![0]).toMatchObject({ field: 'file', message: expect.stringContaining('IMPORT_MAX_ROWS') });
    expect(await rows(base, 'venues', actor.companyId)).toBe(0);
    const atBound = ['name', ...Array.from({ length: IMPORT_MAX_ROWS }, (_v, i) => `Venue ${i}`)].join('\n');
    expect((await importCsv(actor, 'venues', atBound)).body.data.created).toBe(IMPORT_MAX_ROWS);
  });

  test('a header naming an unknown field, a file that is not UTF-8 CSV, no file: 400', async () => {
    const actor = await freshCaller(base);
    const unknown = expectRestError(await importCsv(actor, 'artists', 'name,favouriteColour\nA,blue\n'), 400, 'VALIDATION_FAILED');
    expect(unknown.details).toEqual([{ row: 1, field: 'favouriteColour', message: 'is not a field of Artist' }]);
    const notUtf8 = expectRestError(await importCsv(actor, 'artists', Uint8Array.from([0x6e, 0x61, 0x6d, 0x65, 0x0a, 0xff, 0xfe, 0x41])), 400, 'VALIDATION_FAILED');
    expect(notUtf8.details![0]).toMatchObject({ field: 'file', message: expect.stringContaining('UTF-8') });
    const ragged = expectRestError(await importCsv(actor, 'artists', 'name,city\nA,B,C\n'), 400, 'VALIDATION_FAILED');
    expect(ragged.details![0].field).toBe('file');
    expectRestError(await importCsv(actor, 'artists', ''), 400, 'VALIDATION_FAILED');
    const noFile = await fetch(`${base.url}/api/artists/import`, { method: 'POST', headers: actor.headers, body: new FormData() });
    expect(noFile.status).toBe(400);
    expect(await rows(base, 'artists', actor.companyId)).toBe(0);
  });

  test('a BOM is skipped; a semicolon is not a separator', async () => {
    const actor = await freshCaller(base);
    expect((await importCsv(actor, 'artists', '\uFEFFname,city\nBOM Band,Paris\n')).body.data.created).toBe(1);
    const semi = expectRestError(await importCsv(actor, 'artists', 'name;city\nX;Y\n'), 400, 'VALIDATION_FAILED');
    expect(semi.details![0].field).toBe('name;city');
  });

  test('a body that is not multipart: 415', async () => {
    const actor = await freshCaller(base);
    const res = await base.rest('POST', '/api/artists/import', { as: actor, body: { name: 'x' } });
    expectRestError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  test('without the create permission: 403, nothing created', async () => {
    const owner = await freshCaller(base);
    const viewer = await base.caller(allBut('basic.artist.create'), { company: owner.companyId });
    const res = await importCsv(viewer, 'artists', 'name\nNope\n');
    expect([res.status, res.body.error.code]).toEqual([403, 'FORBIDDEN']);
    expect(await rows(base, 'artists', owner.companyId)).toBe(0);
  });

  test('round trip: an export imports into another company as it is, and exports again the same rows', async () => {
    const from = await freshCaller(base);
    await createVia(base, from, '/api/artists', { name: 'Trip, One', genres: ['jazz'], country: 'FR', defaultFee: 5000, currency: 'USD', notes: '=HYPERLINK("x")\n"quoted"' });
    await createVia(base, from, '/api/artists', { name: '-Minus', website: 'https://minus.example.com', email: 'm@example.com', phone: '+33 1 23' });
    await createVia(base, from, '/api/artists', { name: "'Apostrophe", city: '@home' });
    const exported = await exportCsv(from, 'artists');

    const to = await freshCaller(base);
    const res = await importCsv(to, 'artists', exported);
    expect(res.body).toEqual({ data: { created: 3, errors: [] } });
    const again = await exportCsv(to, 'artists');

    // The same rows, but for what each new record sets itself.
    const own = new Set(['id', 'createdAt', 'updatedAt', 'createdBy']);
    const { parse } = await import('csv-parse/sync');
    const shape = (text: string) => {
      const [header, ...records] = parse(text) as string[][];
      return records.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]]).filter(([h]) => !own.has(h))));
    };
    expect(shape(again)).toEqual(shape(exported));
    expect(shape(again).map((r) => r.name)).toEqual(["'Apostrophe", "'-Minus", 'Trip, One']);
    expect((await list(to, 'artists')).map((a: any) => a.notes)).toContain('=HYPERLINK("x")\n"quoted"');
    expect(await rows(base, 'artists', from.companyId)).toBe(3);
  });
});
