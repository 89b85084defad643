import { Actor, useTestBase } from '../support/harness';
import { createdRecord, expectRestError, expectRestValidation } from '../support/assertions';
import { agencyRow, createAgency, freshActor, rows, rowsWhere, uniqueKey } from '../support/fixtures';

/** Agencies over REST (`/api/agencies`), against a real PostgreSQL schema of this file's own. */
const base = useTestBase();
let admin: Actor;

beforeAll(async () => {
  admin = await base.actor();
});

const MISSING_ID = '00000000-0000-4000-8000-000000000abc';

describe('create and read', () => {
  test('POST answers 201 { data } with every field, createdBy = token sub, version 1; GET returns the same', async () => {
    const input = {
      key: uniqueKey('full'),
      name: 'Full Field Agency',
      email: 'bookings@full.example',
      phone: '+49 30 1234-567',
      website: 'https://full.example/roster',
      notes: 'Line one\nLine two — with unicode ✓',
    };
    const before = Date.now();
    const created = await base.rest('POST', '/api/agencies', { as: admin, body: input });
    expect(created.status).toBe(201);
    expect(Object.keys(created.body)).toEqual(['data']);
    const data = created.body.data;
    expect(data).toEqual(createdRecord(input, admin));
    // The tenant column is the caller's x-org and is not part of the record's shape.
    expect(data).not.toHaveProperty('companyId');
    expect(Date.parse(data.createdAt)).toBeGreaterThanOrEqual(before - 5_000);
    expect(data.createdAt).toMatch(/T.*(Z|[+-]\d\d:\d\d)$/);

    const read = await base.rest('GET', `/api/agencies/${data.id}`, { as: admin });
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ data });

    const row = await agencyRow(base, data.id);
    expect(row).toMatchObject({ company_id: admin.companyId, created_by: admin.userId, key: input.key, version: 1 });
  });

  test('optional fields default to null', async () => {
    const created = await base.rest('POST', '/api/agencies', { as: admin, body: { key: uniqueKey('min'), name: 'Minimal' } });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ email: null, phone: null, website: null, notes: null, version: 1 });
  });

  test('read-only system fields sent by a legacy caller are ignored, never written', async () => {
    const forged = {
      key: uniqueKey('forged'),
      name: 'Forged',
      id: '11111111-1111-4111-8111-111111111111',
      createdBy: 'someone-else',
      companyId: '22222222-2222-4222-8222-222222222222',
    };
    const created = await base.rest('POST', '/api/agencies', { as: admin, body: forged });
    expect(created.status).toBe(201);
    expect(created.body.data.id).not.toBe(forged.id);
    expect(created.body.data.createdBy).toBe(admin.userId);
    expect(await agencyRow(base, created.body.data.id)).toMatchObject({ company_id: admin.companyId });
  });
});

describe('list', () => {
  test('{ data, meta: { page, limit, total } } ordered by name, defaults page 1 limit 20', async () => {
    const actor = await freshActor(base);
    for (const name of ['Delta Music', 'Alpha Music', 'Charlie Music', 'Bravo Music']) await createAgency(base, actor, { name });
    const list = await base.rest('GET', '/api/agencies', { as: actor });
    expect(list.status).toBe(200);
    expect(Object.keys(list.body).sort()).toEqual(['data', 'meta']);
    expect(list.body.meta).toEqual({ page: 1, limit: 20, total: 4 });
    expect(list.body.data.map((a: { name: string }) => a.name)).toEqual(['Alpha Music', 'Bravo Music', 'Charlie Music', 'Delta Music']);
    expect(list.body.data[0]).toMatchObject({ createdBy: actor.userId, version: 1 });
  });

  test('q filters name or key contains, case-insensitively, with % and _ taken literally', async () => {
    const actor = await freshActor(base);
    const percent = await createAgency(base, actor, { key: 'pct-fifty', name: 'Fifty 50% Agency' });
    const underscore = await createAgency(base, actor, { key: 'under-score', name: 'Under_Score Booking' });
    const byKey = await createAgency(base, actor, { key: 'zeta-keyonly', name: 'Plain Name' });
    const mixed = await createAgency(base, actor, { key: 'mixed-case', name: 'MiXeD CaSe Talent' });
    await createAgency(base, actor, { key: 'other-one', name: 'Fifty Five Agency' }); // matches "fifty" but not "50%"

    const names = async (q: string) => {
      const answer = await base.rest('GET', `/api/agencies?q=${encodeURIComponent(q)}`, { as: actor });
      expect(answer.status).toBe(200);
      expect(answer.body.meta.total).toBe(answer.body.data.length);
      return answer.body.data.map((a: { id: string }) => a.id).sort();
    };

    expect(await names('%')).toEqual([percent.id]);
    expect(await names('50%')).toEqual([percent.id]);
    expect(await names('_')).toEqual([underscore.id]);
    expect(await names('er_sc')).toEqual([underscore.id]);
    // As wildcards these would match "Fifty 50% Agency" (and "Fifty Five Agency"); taken literally, nothing.
    expect(await names('fifty_50')).toEqual([]);
    expect(await names('fifty%agency')).toEqual([]);
    expect(await names('KEYONLY')).toEqual([byKey.id]); // key contains, case-insensitive
    expect(await names('mixed case')).toEqual([mixed.id]); // name contains, case-insensitive
    expect(await names('nothing-like-this')).toEqual([]);
    expect((await names('fifty')).length).toBe(2);
  });

  test('paging: pages follow each other in order, a page beyond the end is empty with the right total', async () => {
    const actor = await freshActor(base);
    const names = Array.from({ length: 25 }, (_, i) => `Paged ${String(i).padStart(2, '0')}`);
    for (const name of [...names].reverse()) await createAgency(base, actor, { name });

    const page1 = await base.rest('GET', '/api/agencies', { as: actor });
    expect(page1.body.meta).toEqual({ page: 1, limit: 20, total: 25 });
    expect(page1.body.data.map((a: { name: string }) => a.name)).toEqual(names.slice(0, 20));

    const page2 = await base.rest('GET', '/api/agencies?page=2', { as: actor });
    expect(page2.status).toBe(200);
    expect(page2.body.meta).toEqual({ page: 2, limit: 20, total: 25 });
    expect(page2.body.data.map((a: { name: string }) => a.name)).toEqual(names.slice(20));

    const small = await base.rest('GET', '/api/agencies?page=3&limit=10', { as: actor });
    expect(small.body.meta).toEqual({ page: 3, limit: 10, total: 25 });
    expect(small.body.data.map((a: { name: string }) => a.name)).toEqual(names.slice(20, 25));

    const max = await base.rest('GET', '/api/agencies?limit=100', { as: actor });
    expect(max.status).toBe(200);
    expect(max.body.meta).toEqual({ page: 1, limit: 100, total: 25 });
    expect(max.body.data).toHaveLength(25);

    const beyond = await base.rest('GET', '/api/agencies?page=9&limit=10', { as: actor });
    expect(beyond.status).toBe(200);
    expect(beyond.body).toEqual({ data: [], meta: { page: 9, limit: 10, total: 25 } });

    const filteredPage = await base.rest('GET', '/api/agencies?q=paged%201&limit=5&page=2', { as: actor });
    expect(filteredPage.body.meta).toEqual({ page: 2, limit: 5, total: 10 });
    expect(filteredPage.body.data.map((a: { name: string }) => a.name)).toEqual(names.slice(15, 20));
  });

  test.each([
    ['page=0', 'page'],
    ['page=-1', 'page'],
    ['page=abc', 'page'],
    ['page=1.5', 'page'],
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=1.5', 'limit'],
    ['limit=-5', 'limit'],
    ['limit=ten', 'limit'],
  ])('%s → 400 VALIDATION_FAILED with one detail for %s', async (query, field) => {
    const answer = await base.rest('GET', `/api/agencies?${query}`, { as: admin });
    expectRestValidation(answer, [field]);
  });

  test('page=0 and limit=500 together → one detail each', async () => {
    const answer = await base.rest('GET', '/api/agencies?page=0&limit=500', { as: admin });
    expectRestValidation(answer, ['page', 'limit']);
  });
});

describe('update', () => {
  test('PUT sending only name changes only name and increments the version', async () => {
    const original = await createAgency(base, admin, {
      email: 'keep@example.com',
      phone: '+1 555 0100',
      website: 'https://keep.example',
      notes: 'keep me',
    });
    const put = await base.rest('PUT', `/api/agencies/${original.id}`, { as: admin, body: { name: 'Renamed Agency' } });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({
      data: { ...original, name: 'Renamed Agency', version: 2, updatedAt: expect.any(String) },
    });
    expect(Date.parse(put.body.data.updatedAt)).toBeGreaterThanOrEqual(Date.parse(original.updatedAt));

    const read = await base.rest('GET', `/api/agencies/${original.id}`, { as: admin });
    expect(read.body.data).toEqual(put.body.data);
  });

  test('null clears a nullable field (email); the rest stays', async () => {
    const original = await createAgency(base, admin, { email: 'clear@example.com', notes: 'stays' });
    const put = await base.rest('PUT', `/api/agencies/${original.id}`, { as: admin, body: { email: null } });
    expect(put.status).toBe(200);
    expect(put.body.data).toMatchObject({ email: null, notes: 'stays', name: original.name, key: original.key, version: 2 });
    expect(await agencyRow(base, original.id)).toMatchObject({ email: null, notes: 'stays' });
  });

  test('null for name → 400 VALIDATION_FAILED naming name; nothing changed', async () => {
    const original = await createAgency(base, admin);
    const put = await base.rest('PUT', `/api/agencies/${original.id}`, { as: admin, body: { name: null } });
    expectRestValidation(put, ['name']);
    expect((await base.rest('GET', `/api/agencies/${original.id}`, { as: admin })).body.data).toEqual(original);
  });

  test('invalid values and unknown fields on PUT → one detail each; nothing changed', async () => {
    const original = await createAgency(base, admin);
    const put = await base.rest('PUT', `/api/agencies/${original.id}`, {
      as: admin,
      body: { name: 'Would Change', key: 'UPPER', website: 'mailto:x@y.z', bogus: true },
    });
    expectRestValidation(put, ['key', 'website', 'bogus']);
    expect((await base.rest('GET', `/api/agencies/${original.id}`, { as: admin })).body.data).toEqual(original);
  });

  test('stale version → 409 CONFLICT and nothing changed; the current version → 200', async () => {
    const original = await createAgency(base, admin, { name: 'Versioned' });
    const first = await base.rest('PUT', `/api/agencies/${original.id}`, { as: admin, body: { name: 'Versioned 2', version: 1 } });
    expect(first.status).toBe(200);
    expect(first.body.data.version).toBe(2);

    const stale = await base.rest('PUT', `/api/agencies/${original.id}`, {
      as: admin,
      body: { name: 'Lost Update', email: 'lost@example.com', version: 1 },
    });
    expectRestError(stale, 409, 'CONFLICT');
    const afterStale = await base.rest('GET', `/api/agencies/${original.id}`, { as: admin });
    expect(afterStale.body.data).toEqual(first.body.data);

    const current = await base.rest('PUT', `/api/agencies/${original.id}`, { as: admin, body: { name: 'Versioned 3', version: 2 } });
    expect(current.status).toBe(200);
    expect(current.body.data).toMatchObject({ name: 'Versioned 3', version: 3 });
  });

  test('PUT to a key another agency holds → 409 CONFLICT naming key; nothing changed', async () => {
    const one = await createAgency(base, admin);
    const two = await createAgency(base, admin);
    const put = await base.rest('PUT', `/api/agencies/${two.id}`, { as: admin, body: { key: one.key } });
    expectRestError(put, 409, 'CONFLICT');
    expect(JSON.stringify(put.body.error.details ?? put.body.error.message)).toContain('key');
    expect((await base.rest('GET', `/api/agencies/${two.id}`, { as: admin })).body.data).toEqual(two);
  });

  test('PUT of a missing id → 404 NOT_FOUND', async () => {
    expectRestError(await base.rest('PUT', `/api/agencies/${MISSING_ID}`, { as: admin, body: { name: 'X' } }), 404, 'NOT_FOUND');
  });
});

describe('delete', () => {
  test('DELETE 204 with no body, then GET 404, DELETE again 404', async () => {
    const agency = await createAgency(base, admin);
    const del = await base.rest('DELETE', `/api/agencies/${agency.id}`, { as: admin });
    expect(del.status).toBe(204);
    expect(del.body).toBeUndefined();
    expect(await agencyRow(base, agency.id)).toBeNull();
    expectRestError(await base.rest('GET', `/api/agencies/${agency.id}`, { as: admin }), 404, 'NOT_FOUND');
    expectRestError(await base.rest('DELETE', `/api/agencies/${agency.id}`, { as: admin }), 404, 'NOT_FOUND');
    expectRestError(await base.rest('PUT', `/api/agencies/${agency.id}`, { as: admin, body: { name: 'Ghost' } }), 404, 'NOT_FOUND');
  });

  test('the key of a deleted agency is free again', async () => {
    const agency = await createAgency(base, admin);
    expect((await base.rest('DELETE', `/api/agencies/${agency.id}`, { as: admin })).status).toBe(204);
    const again = await base.rest('POST', '/api/agencies', { as: admin, body: { key: agency.key, name: 'Reborn' } });
    expect(again.status).toBe(201);
  });
});

describe('business key', () => {
  test('duplicate key in the same company → 409 CONFLICT naming the field key; one row', async () => {
    const key = uniqueKey('dup');
    await createAgency(base, admin, { key });
    const second = await base.rest('POST', '/api/agencies', { as: admin, body: { key, name: 'Second' } });
    expectRestError(second, 409, 'CONFLICT');
    expect(second.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'key' })]));
    expect(await rowsWhere(base, 'agencies', { key })).toBe(1);
  });

  test('two concurrent POSTs of the same key → exactly one 201 and one 409', async () => {
    for (let round = 0; round < 3; round++) {
      const key = uniqueKey('race');
      const answers = await Promise.all(
        ['Racer A', 'Racer B'].map((name) => base.rest('POST', '/api/agencies', { as: admin, body: { key, name } })),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
      expectRestError(answers.find((a) => a.status === 409)!, 409, 'CONFLICT');
      expect(await rowsWhere(base, 'agencies', { key })).toBe(1);
    }
  });
});

describe('validation and framing', () => {
  test('several bad fields → 400 VALIDATION_FAILED with exactly one detail per field; nothing written', async () => {
    const before = await rows(base, 'agencies');
    const answer = await base.rest('POST', '/api/agencies', {
      as: admin,
      body: { key: 'Bad Key!', email: 'nope', website: 'ftp://x', foo: 'bar' },
    });
    expectRestValidation(answer, ['key', 'name', 'email', 'website', 'foo']);
    expect(await rows(base, 'agencies')).toBe(before);
  });

  test.each([
    ['key too short', { key: 'a', name: 'X' }, ['key']],
    ['key starting with a dash', { key: '-abc', name: 'X' }, ['key']],
    ['blank name', { key: uniqueKey(), name: '   ' }, ['name']],
    ['null name', { key: uniqueKey(), name: null }, ['name']],
    ['name of the wrong type', { key: uniqueKey(), name: 42 }, ['name']],
    ['bad phone', { key: uniqueKey(), name: 'X', phone: 'call me' }, ['phone']],
    ['missing key and name', {}, ['key', 'name']],
  ])('%s → one detail per offending field, nothing written', async (_label, body, fields) => {
    const before = await rows(base, 'agencies');
    const answer = await base.rest('POST', '/api/agencies', { as: admin, body });
    expectRestValidation(answer, fields);
    expect(await rows(base, 'agencies')).toBe(before);
  });

  test('malformed JSON body → 400 BAD_REQUEST (POST and PUT); nothing written', async () => {
    const before = await rows(base, 'agencies');
    expectRestError(await base.rest('POST', '/api/agencies', { as: admin, rawBody: '{"key": "x",' }), 400, 'BAD_REQUEST');
    const agency = await createAgency(base, admin);
    expectRestError(await base.rest('PUT', `/api/agencies/${agency.id}`, { as: admin, rawBody: '{name' }), 400, 'BAD_REQUEST');
    expect(await rows(base, 'agencies')).toBe(before + 1);
    expect((await base.rest('GET', `/api/agencies/${agency.id}`, { as: admin })).body.data).toEqual(agency);
  });

  test('a JSON body that is not an object → 400 VALIDATION_FAILED', async () => {
    const answer = await base.rest('POST', '/api/agencies', { as: admin, rawBody: '["key", "name"]' });
    expectRestError(answer, 400, 'VALIDATION_FAILED');
  });

  test.each(['GET', 'PUT', 'DELETE'])('%s with a non-UUID id in the path → 404 NOT_FOUND', async (method) => {
    const answer = await base.rest(method, '/api/agencies/not-a-uuid', {
      as: admin,
      ...(method === 'PUT' ? { body: { name: 'X' } } : {}),
    });
    expectRestError(answer, 404, 'NOT_FOUND');
  });

  test('GET of a missing UUID → 404 NOT_FOUND', async () => {
    expectRestError(await base.rest('GET', `/api/agencies/${MISSING_ID}`, { as: admin }), 404, 'NOT_FOUND');
  });

  test('unknown route under /api → 404 NOT_FOUND with the error shape, with or without a token', async () => {
    expectRestError(await base.rest('GET', '/api/no-such-family', { as: admin }), 404, 'NOT_FOUND');
    expectRestError(await base.rest('POST', '/api/no-such-family/x/y', { as: admin, body: {} }), 404, 'NOT_FOUND');
    expectRestError(await base.rest('GET', '/api/no-such-family'), 404, 'NOT_FOUND');
    expectRestError(await base.rest('GET', '/api/agencies/a/b', { as: admin }), 404, 'NOT_FOUND');
  });

  test('the caller’s x-request-id comes back in the header and the error body', async () => {
    const answer = await base.rest('GET', `/api/agencies/${MISSING_ID}`, { as: admin, headers: { 'x-request-id': 'trace-abc.123' } });
    expectRestError(answer, 404, 'NOT_FOUND');
    expect(answer.body.error.requestId).toBe('trace-abc.123');
    const ok = await base.rest('GET', '/api/agencies', { as: admin, headers: { 'x-request-id': 'trace-ok' } });
    expect(ok.headers.get('x-request-id')).toBe('trace-ok');
  });
});

describe('access', () => {
  test('no token → 401 UNAUTHENTICATED; missing x-org → 400 BAD_REQUEST; nothing written', async () => {
    const before = await rows(base, 'agencies');
    expectRestError(await base.rest('POST', '/api/agencies', { body: { key: uniqueKey(), name: 'X' } }), 401, 'UNAUTHENTICATED');
    const noOrg = await base.rest('POST', '/api/agencies', {
      headers: { authorization: admin.headers.authorization },
      body: { key: uniqueKey(), name: 'X' },
    });
    expectRestError(noOrg, 400, 'BAD_REQUEST');
    expect(await rows(base, 'agencies')).toBe(before);
  });

  test.each([
    ['GET', '/api/agencies', 'basic.agency.view'],
    ['POST', '/api/agencies', 'basic.agency.create'],
    ['GET', '/api/agencies/:id', 'basic.agency.view'],
    ['PUT', '/api/agencies/:id', 'basic.agency.edit'],
    ['DELETE', '/api/agencies/:id', 'basic.agency.delete'],
  ])('%s %s needs %s: without it 403 FORBIDDEN, with only it allowed', async (method, path, permission) => {
    const agency = await createAgency(base, admin);
    const url = path.replace(':id', agency.id);
    const body = method === 'POST' ? { key: uniqueKey(), name: 'Perm' } : method === 'PUT' ? { name: 'Perm Edit' } : undefined;
    const others = await base.actor(
      ['basic.agency.view', 'basic.agency.create', 'basic.agency.edit', 'basic.agency.delete'].filter((p) => p !== permission),
    );
    expectRestError(await base.rest(method, url, { as: others, body }), 403, 'FORBIDDEN');
    expect((await base.rest('GET', `/api/agencies/${agency.id}`, { as: admin })).body.data).toEqual(agency);

    const only = await base.actor([permission]);
    const allowed = await base.rest(method, url, { as: only, body });
    expect(allowed.status).toBe({ GET: 200, POST: 201, PUT: 200, DELETE: 204 }[method]);
  });
});
