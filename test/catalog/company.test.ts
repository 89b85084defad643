import { randomUUID } from 'node:crypto';
import { useTestBase } from '../support/harness';
import { expectGqlError, expectGqlValidation, expectRestError, expectRestValidation, gqlData, ISO_RE } from '../support/assertions';
import { allBut, freshCaller, rows } from '../support/fixtures';

/**
 * Company metadata (`/api/companies/current`, `basic.company.view` / `.edit`): made with defaults on
 * the first read, only ever the x-org's own, partial updates with validation, both surfaces.
 */
const base = useTestBase();

const DEFAULTS = {
  displayName: null,
  legalName: null,
  currency: 'EUR',
  timezone: 'UTC',
  address: null,
  taxNumber: null,
  logoFileId: null,
  vatRegistered: false,
};

describe('Company: first read', () => {
  test('GET /api/companies/current creates the record with defaults, id = x-org, and returns the same on the second read', async () => {
    const actor = await freshCaller(base);
    expect(await rows(base, 'companies', actor.companyId)).toBe(0);

    const first = await base.rest('GET', '/api/companies/current', { as: actor });
    expect(first.status).toBe(200);
    expect(Object.keys(first.body)).toEqual(['data']);
    const data = first.body.data;
    expect(data).toEqual({
      ...DEFAULTS,
      id: actor.companyId,
      createdAt: data.createdAt,
      updatedAt: data.updatedAt,
      createdBy: actor.userId,
      version: 1,
    });
    expect(data.createdAt).toMatch(ISO_RE);
    expect(await rows(base, 'companies', actor.companyId)).toBe(1);

    const second = await base.rest('GET', '/api/companies/current', { as: actor });
    expect(second.body).toEqual({ data });
    expect(await rows(base, 'companies', actor.companyId)).toBe(1);
  });

  test('GET /api/companies/{x-org} is the same record (any letter case); another id is 404', async () => {
    const actor = await freshCaller(base);
    const current = (await base.rest('GET', '/api/companies/current', { as: actor })).body.data;
    expect((await base.rest('GET', `/api/companies/${actor.companyId}`, { as: actor })).body).toEqual({ data: current });
    expect((await base.rest('GET', `/api/companies/${actor.companyId.toUpperCase()}`, { as: actor })).body).toEqual({ data: current });
    expectRestError(await base.rest('GET', `/api/companies/${randomUUID()}`, { as: actor }), 404, 'NOT_FOUND');
    expectRestError(await base.rest('GET', '/api/companies/not-a-uuid', { as: actor }), 404, 'NOT_FOUND');
  });

  test('GET /api/companies/{x-org} also creates on first read', async () => {
    const actor = await freshCaller(base);
    const res = await base.rest('GET', `/api/companies/${actor.companyId}`, { as: actor });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ ...DEFAULTS, id: actor.companyId, version: 1 });
  });

  test('10 concurrent first reads of a fresh company all answer 200 with the same record, and one row exists', async () => {
    const actor = await freshCaller(base);
    const answers = await Promise.all(Array.from({ length: 10 }, () => base.rest('GET', '/api/companies/current', { as: actor })));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(new Set(answers.map((a) => a.body.data.id))).toEqual(new Set([actor.companyId]));
    expect(new Set(answers.map((a) => a.body.data.createdAt)).size).toBe(1);
    expect(answers.map((a) => a.body.data.version)).toEqual(Array(10).fill(1));
    expect(await rows(base, 'companies', actor.companyId)).toBe(1);
  });

  test('concurrent first reads over GraphQL agree too', async () => {
    const actor = await freshCaller(base);
    const answers = await Promise.all(Array.from({ length: 10 }, () => base.gql('{ company { id version } }', {}, { as: actor })));
    expect(answers.map((a) => gqlData(a))).toEqual(Array(10).fill({ company: { id: actor.companyId, version: 1 } }));
  });
});

describe('Company: update', () => {
  test('PUT /api/companies/current changes only the fields sent, incrementing the version', async () => {
    const actor = await freshCaller(base);
    const initial = (await base.rest('GET', '/api/companies/current', { as: actor })).body.data;

    const named = await base.rest('PUT', '/api/companies/current', { as: actor, body: { displayName: 'Kisum Live' } });
    expect(named.status).toBe(200);
    expect(named.body).toEqual({ data: { ...initial, displayName: 'Kisum Live', version: 2, updatedAt: named.body.data.updatedAt } });

    const money = await base.rest('PUT', '/api/companies/current', { as: actor, body: { currency: 'GBP', timezone: 'Europe/London', version: 2 } });
    expect(money.status).toBe(200);
    expect(money.body.data).toEqual({ ...named.body.data, currency: 'GBP', timezone: 'Europe/London', version: 3, updatedAt: money.body.data.updatedAt });

    const address = { line1: '1 High St', city: 'London', postalCode: 'N1 9GU', country: 'GB' };
    const moved = await base.rest('PUT', '/api/companies/current', { as: actor, body: { address } });
    expect(moved.body.data).toEqual({ ...money.body.data, address, version: 4, updatedAt: moved.body.data.updatedAt });

    const cleared = await base.rest('PUT', '/api/companies/current', { as: actor, body: { displayName: null, legalName: 'Kisum Ltd', taxNumber: 'GB999' } });
    expect(cleared.body.data).toEqual({
      ...moved.body.data,
      displayName: null,
      legalName: 'Kisum Ltd',
      taxNumber: 'GB999',
      version: 5,
      updatedAt: cleared.body.data.updatedAt,
    });
    expect((await base.rest('GET', '/api/companies/current', { as: actor })).body).toEqual({ data: cleared.body.data });
  });

  test('PUT before any read creates the record and applies the change', async () => {
    const actor = await freshCaller(base);
    const res = await base.rest('PUT', '/api/companies/current', { as: actor, body: { displayName: 'Fresh' } });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ ...DEFAULTS, id: actor.companyId, displayName: 'Fresh', version: 2 });
    expect(await rows(base, 'companies', actor.companyId)).toBe(1);
  });

  test('invalid values are 400 VALIDATION_FAILED with one detail per field, nothing changed', async () => {
    const actor = await freshCaller(base);
    const initial = (await base.rest('GET', '/api/companies/current', { as: actor })).body.data;
    expectRestValidation(await base.rest('PUT', '/api/companies/current', { as: actor, body: { currency: 'eur' } }), ['currency']);
    expectRestValidation(await base.rest('PUT', '/api/companies/current', { as: actor, body: { timezone: 'Nowhere/City' } }), ['timezone']);
    expectRestValidation(await base.rest('PUT', '/api/companies/current', { as: actor, body: { currency: 'XXQ' } }), ['currency']);
    expectRestValidation(
      await base.rest('PUT', '/api/companies/current', {
        as: actor,
        body: { displayName: 'Changed', currency: 'eur', timezone: 'Nowhere/City', address: { country: 'England' }, logoFileId: 'logo.png' },
      }),
      ['currency', 'timezone', 'address.country', 'logoFileId'],
    );
    expectRestValidation(await base.rest('PUT', '/api/companies/current', { as: actor, body: { currency: null } }), ['currency']);
    expectRestValidation(await base.rest('PUT', '/api/companies/current', { as: actor, body: { members: [] } }), ['members']);
    expect((await base.rest('GET', '/api/companies/current', { as: actor })).body).toEqual({ data: initial });
  });

  test('PUT /api/companies/{x-org} works; PUT /api/companies/{other id} is 404 and changes nothing', async () => {
    const actor = await freshCaller(base);
    const own = await base.rest('PUT', `/api/companies/${actor.companyId}`, { as: actor, body: { displayName: 'Own' } });
    expect(own.status).toBe(200);
    expect(own.body.data).toMatchObject({ id: actor.companyId, displayName: 'Own', version: 2 });
    const other = randomUUID();
    expectRestError(await base.rest('PUT', `/api/companies/${other}`, { as: actor, body: { displayName: 'Other' } }), 404, 'NOT_FOUND');
    expect((await base.rest('GET', '/api/companies/current', { as: actor })).body).toEqual({ data: own.body.data });
    expect(await rows(base, 'companies', other)).toBe(0);
  });

  test('a stale version is 409 CONFLICT and changes nothing', async () => {
    const actor = await freshCaller(base);
    await base.rest('GET', '/api/companies/current', { as: actor });
    const first = await base.rest('PUT', '/api/companies/current', { as: actor, body: { displayName: 'One', version: 1 } });
    expect(first.status).toBe(200);
    expectRestError(await base.rest('PUT', '/api/companies/current', { as: actor, body: { displayName: 'Two', version: 1 } }), 409, 'CONFLICT');
    expect((await base.rest('GET', '/api/companies/current', { as: actor })).body).toEqual({ data: first.body.data });
  });
});

describe('Company: GraphQL', () => {
  test('company { … } reads (and creates) the x-org company; updateCompany changes only what is sent', async () => {
    const actor = await freshCaller(base);
    const read = gqlData(await base.gql('{ company { id currency timezone displayName version } }', {}, { as: actor }));
    expect(read).toEqual({ company: { id: actor.companyId, currency: 'EUR', timezone: 'UTC', displayName: null, version: 1 } });

    const updated = gqlData(
      await base.gql(
        'mutation { updateCompany(input: { displayName: "Via GraphQL", currency: "USD", address: { city: "Austin", country: "us" } }) { id currency timezone displayName version address { city country } } }',
        {},
        { as: actor },
      ),
    );
    expect(updated).toEqual({
      updateCompany: { id: actor.companyId, currency: 'USD', timezone: 'UTC', displayName: 'Via GraphQL', version: 2, address: { city: 'Austin', country: 'US' } },
    });
    const rest = (await base.rest('GET', '/api/companies/current', { as: actor })).body.data;
    expect(rest).toMatchObject({ currency: 'USD', displayName: 'Via GraphQL', version: 2, address: { city: 'Austin', country: 'US' } });
  });

  test('updateCompany with invalid values is VALIDATION_FAILED with details; a stale version is CONFLICT', async () => {
    const actor = await freshCaller(base);
    const res = await base.gql('mutation { updateCompany(input: { currency: "eur", timezone: "Nowhere/City" }) { id } }', {}, { as: actor });
    expectGqlValidation(res, ['updateCompany'], ['currency', 'timezone']);
    const stale = await base.gql('mutation { updateCompany(input: { displayName: "X", version: 7 }) { id } }', {}, { as: actor });
    expectGqlError(stale, 'CONFLICT', ['updateCompany']);
    expect(gqlData(await base.gql('{ company { currency timezone displayName version } }', {}, { as: actor }))).toEqual({
      company: { currency: 'EUR', timezone: 'UTC', displayName: null, version: 1 },
    });
  });
});

describe('Company: permissions', () => {
  test('REST: GET needs basic.company.view, PUT needs basic.company.edit', async () => {
    const company = randomUUID();
    const owner = await base.caller(undefined, { company });
    const initial = (await base.rest('GET', '/api/companies/current', { as: owner })).body.data;

    const noView = await base.caller(allBut('basic.company.view'), { company });
    expectRestError(await base.rest('GET', '/api/companies/current', { as: noView }), 403, 'FORBIDDEN');
    expectRestError(await base.rest('GET', `/api/companies/${company}`, { as: noView }), 403, 'FORBIDDEN');
    const onlyView = await base.caller(['basic.company.view'], { company });
    expect((await base.rest('GET', '/api/companies/current', { as: onlyView })).body).toEqual({ data: initial });
    expect((await base.rest('GET', `/api/companies/${company}`, { as: onlyView })).body).toEqual({ data: initial });

    const noEdit = await base.caller(allBut('basic.company.edit'), { company });
    expectRestError(await base.rest('PUT', '/api/companies/current', { as: noEdit, body: { displayName: 'Nope' } }), 403, 'FORBIDDEN');
    expectRestError(await base.rest('PUT', `/api/companies/${company}`, { as: noEdit, body: { displayName: 'Nope' } }), 403, 'FORBIDDEN');
    expect((await base.rest('GET', '/api/companies/current', { as: owner })).body).toEqual({ data: initial });
    const onlyEdit = await base.caller(['basic.company.edit'], { company });
    const edited = await base.rest('PUT', '/api/companies/current', { as: onlyEdit, body: { displayName: 'Edited' } });
    expect(edited.status).toBe(200);
    expect(edited.body.data).toEqual({ ...initial, displayName: 'Edited', version: 2, updatedAt: edited.body.data.updatedAt });
  });

  test('GraphQL: company needs basic.company.view, updateCompany needs basic.company.edit', async () => {
    const company = randomUUID();
    const owner = await base.caller(undefined, { company });

    const noView = await base.caller(allBut('basic.company.view'), { company });
    const denied = await base.gql('{ company { id } }', {}, { as: noView });
    expectGqlError(denied, 'FORBIDDEN', ['company']);
    expect(denied.body.data).toBeNull();
    const onlyView = await base.caller(['basic.company.view'], { company });
    expect(gqlData(await base.gql('{ company { id currency } }', {}, { as: onlyView }))).toEqual({ company: { id: company, currency: 'EUR' } });

    const noEdit = await base.caller(allBut('basic.company.edit'), { company });
    expectGqlError(await base.gql('mutation { updateCompany(input: { displayName: "Nope" }) { id } }', {}, { as: noEdit }), 'FORBIDDEN', ['updateCompany']);
    expect(gqlData(await base.gql('{ company { displayName version } }', {}, { as: owner }))).toEqual({ company: { displayName: null, version: 1 } });
    const onlyEdit = await base.caller(['basic.company.edit'], { company });
    expect(gqlData(await base.gql('mutation { updateCompany(input: { displayName: "Edited" }) { __typename } }', {}, { as: onlyEdit }))).toEqual({
      updateCompany: { __typename: 'Company' },
    });
    expect(gqlData(await base.gql('{ company { displayName version } }', {}, { as: owner }))).toEqual({ company: { displayName: 'Edited', version: 2 } });
  });
});

describe('Company: isolation', () => {
  test('two companies never see or change each other’s metadata', async () => {
    const a = await freshCaller(base);
    const b = await freshCaller(base);
    const aCo = await base.rest('PUT', '/api/companies/current', { as: a, body: { displayName: 'A Co', currency: 'CHF' } });
    const bCo = await base.rest('PUT', '/api/companies/current', { as: b, body: { displayName: 'B Co' } });
    expect(aCo.body.data).toMatchObject({ id: a.companyId, displayName: 'A Co', currency: 'CHF' });
    expect(bCo.body.data).toMatchObject({ id: b.companyId, displayName: 'B Co', currency: 'EUR' });

    expect((await base.rest('GET', '/api/companies/current', { as: a })).body).toEqual({ data: aCo.body.data });
    expect((await base.rest('GET', '/api/companies/current', { as: b })).body).toEqual({ data: bCo.body.data });
    expect(gqlData(await base.gql('{ company { id displayName } }', {}, { as: b }))).toEqual({ company: { id: b.companyId, displayName: 'B Co' } });

    expectRestError(await base.rest('GET', `/api/companies/${a.companyId}`, { as: b }), 404, 'NOT_FOUND');
    expectRestError(await base.rest('PUT', `/api/companies/${a.companyId}`, { as: b, body: { displayName: 'Taken' } }), 404, 'NOT_FOUND');
    expect((await base.rest('GET', '/api/companies/current', { as: a })).body).toEqual({ data: aCo.body.data });
    expect((await base.rest('GET', '/api/companies/current', { as: b })).body).toEqual({ data: bCo.body.data });

    const stored = await base.sql<{ id: string; display_name: string }>(
      `select id, display_name from "${base.schema}".companies where id = any($1::uuid[]) order by display_name`,
      [[a.companyId, b.companyId]],
    );
    expect(stored).toEqual([
      { id: a.companyId, display_name: 'A Co' },
      { id: b.companyId, display_name: 'B Co' },
    ]);
  });
});
