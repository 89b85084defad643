import { MaxItems } from '../../src/core/list-size';
import { Field, Int, ObjectType } from 'type-graphql';
import { defineProcedure } from '../../src/core/procedure';
import { f } from '../../src/core/fields';
import type { ServiceModule } from '../../src/core/module';
import { Agency } from '../../src/modules/agencies';
import { MODULES } from '../../src/modules';
import { expectGqlError, expectRestError, expectRestValidation, gqlData } from '../support/assertions';
import { useTestBase } from '../support/harness';

/**
 * Module procedures (`defineProcedure`), through both surfaces, on a fixture module: the route and the
 * root field each need the procedure's permission; input is validated per field; a part of the answer
 * that needs a permission of its own is left out of REST and null with FORBIDDEN in GraphQL, and is
 * not computed for a caller who may not see it; paged answers; DELETE answers 204.
 */
@ObjectType('KitCount', { description: 'A count in one currency.' })
class KitCount {
  @Field()
  label: string;
  @Field(() => Int)
  count: number;
}

@ObjectType('KitSummary')
class KitSummary {
  @Field()
  greeting: string;
  @Field(() => Int, { nullable: true, description: 'Needs basic.agency.view.' })
  agencies?: number | null;
  @Field(() => [KitCount], { nullable: true, description: 'Needs basic.artist.view.' })
  @MaxItems(10)
  artists?: KitCount[] | null;
}

/** Which parts `run` computed, so a test can see that a hidden part cost nothing. */
const computed: string[] = [];

const summary = defineProcedure<KitSummary>({
  name: 'kitSummary',
  kind: 'query',
  description: 'A greeting with the counts the caller may see.',
  permission: 'basic.dashboard.view',
  rest: { method: 'GET', path: '/kit/summary' },
  input: { name: f.text().required().describe('Who to greet.') },
  returns: () => KitSummary,
  valueTypes: [KitCount],
  parts: { agencies: 'basic.agency.view', artists: 'basic.artist.view' },
  async run(input, scope, access) {
    const answer: KitSummary = { greeting: `Hello ${String(input.name)}` };
    if (access.can('basic.agency.view')) {
      computed.push('agencies');
      answer.agencies = (await scope.repo(Agency).page({ page: 1, limit: 1 })).total;
    }
    if (access.can('basic.artist.view')) {
      computed.push('artists');
      answer.artists = [{ label: 'all', count: 0 }];
    }
    return answer;
  },
});

@ObjectType('KitEcho')
class KitEcho {
  @Field()
  text: string;
  @Field()
  by: string;
}

const echo = defineProcedure<KitEcho>({
  name: 'kitEcho',
  kind: 'mutation',
  description: 'Answers what it was sent.',
  permission: ['basic.ai.use', 'basic.agency.view'],
  rest: { method: 'POST', path: '/kit/echo', status: 201 },
  input: { text: f.text().required(), times: f.int().describe('How often.') },
  returns: () => KitEcho,
  run: async (input, _scope, access) => ({ text: String(input.text).repeat(Number(input.times ?? 1)), by: access.userId }),
});

const forget = defineProcedure<KitEcho>({
  name: 'kitForget',
  kind: 'mutation',
  description: 'Forgets; answers nothing.',
  permission: 'basic.xero.manage',
  rest: { method: 'DELETE', path: '/kit/echo' },
  returns: () => KitEcho,
  run: async () => null,
});

const agencyPage = defineProcedure<Agency>({
  name: 'kitAgencyNames',
  kind: 'query',
  description: 'Agencies, paged, as echoes.',
  permission: 'basic.xero.view',
  rest: { method: 'GET', path: '/kit/agency-names' },
  returns: () => KitEcho,
  page: async (_input, scope, paging) => {
    const page = await scope.repo(Agency).page(paging, (qb, a) => qb.orderBy(`${a}.name`, 'ASC'));
    return { ...page, items: page.items.map((a) => Object.assign(new KitEcho(), { text: a.name, by: a.createdBy })) as never };
  },
});

const kitModule: ServiceModule = { name: 'kit', procedures: [summary, echo, forget, agencyPage] };

const base = useTestBase({}, { modules: [...MODULES, kitModule] });

describe('a query procedure with parts', () => {
  test('REST: the caller with every permission gets every part', async () => {
    const actor = await base.caller(['basic.dashboard.view', 'basic.agency.view', 'basic.artist.view', 'basic.agency.create']);
    await base.rest('POST', '/api/agencies', { as: actor, body: { key: 'one', name: 'One' } });
    const res = await base.rest('GET', '/api/kit/summary?name=Ann', { as: actor });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ greeting: 'Hello Ann', agencies: 1, artists: [{ label: 'all', count: 0 }] });
  });

  test('REST leaves out a part the caller may not see, and it is not computed', async () => {
    const actor = await base.caller(['basic.dashboard.view', 'basic.artist.view']);
    computed.length = 0;
    const res = await base.rest('GET', '/api/kit/summary?name=Bo', { as: actor });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ greeting: 'Hello Bo', artists: [{ label: 'all', count: 0 }] });
    expect(computed).toEqual(['artists']);
  });

  test('GraphQL nulls a part the caller may not see with FORBIDDEN on its path; the rest arrives', async () => {
    const actor = await base.caller(['basic.dashboard.view', 'basic.agency.view']);
    const res = await base.gql('query { kitSummary(name: "Cy") { greeting agencies artists { label count } } }', {}, { as: actor });
    expectGqlError(res, 'FORBIDDEN', ['kitSummary', 'artists']);
    expect(res.body.data).toEqual({ kitSummary: { greeting: 'Hello Cy', agencies: expect.any(Number), artists: null } });
  });

  test('without the procedure permission: 403 and FORBIDDEN', async () => {
    const actor = await base.caller(['basic.agency.view', 'basic.artist.view']);
    expectRestError(await base.rest('GET', '/api/kit/summary?name=Di', { as: actor }), 403, 'FORBIDDEN');
    expectGqlError(await base.gql('query { kitSummary(name: "Di") { greeting } }', {}, { as: actor }), 'FORBIDDEN', ['kitSummary']);
  });

  test('input is validated per field on both surfaces', async () => {
    const actor = await base.caller(['basic.dashboard.view']);
    expectRestValidation(await base.rest('GET', '/api/kit/summary', { as: actor }), ['name']);
    const res = await base.gql('query { kitSummary(name: "") { greeting } }', {}, { as: actor });
    expect(res.body.errors?.[0].extensions?.code).toBe('VALIDATION_FAILED');
  });
});

describe('mutation procedures', () => {
  test('REST answers with the declared status; GraphQL takes an input object', async () => {
    const actor = await base.caller(['basic.ai.use', 'basic.agency.view']);
    const res = await base.rest('POST', '/api/kit/echo', { as: actor, body: { text: 'ab', times: 2 } });
    expect([res.status, res.body.data]).toEqual([201, { text: 'abab', by: actor.userId }]);
    const gql = gqlData(await base.gql('mutation { kitEcho(input: { text: "x", times: 3 }) { text by } }', {}, { as: actor }));
    expect(gql).toEqual({ kitEcho: { text: 'xxx', by: actor.userId } });
  });

  test('every permission of a combined requirement is needed; bad input is 400 and runs nothing', async () => {
    const partial = await base.caller(['basic.ai.use']);
    expectRestError(await base.rest('POST', '/api/kit/echo', { as: partial, body: { text: 'a' } }), 403, 'FORBIDDEN');
    const actor = await base.caller(['basic.ai.use', 'basic.agency.view']);
    expectRestValidation(await base.rest('POST', '/api/kit/echo', { as: actor, body: { times: 'many' } }), ['text', 'times']);
    expectRestError(await base.rest('POST', '/api/kit/echo', { as: actor, rawBody: 'text=a', headers: { 'content-type': 'text/plain' } }), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  test('a DELETE answering nothing is 204, and null in GraphQL', async () => {
    const actor = await base.caller(['basic.xero.manage']);
    const res = await base.rest('DELETE', '/api/kit/echo', { as: actor });
    expect(res.status).toBe(204);
    expect(gqlData(await base.gql('mutation { kitForget { text } }', {}, { as: actor }))).toEqual({ kitForget: null });
  });
});

describe('a paged procedure', () => {
  test('pages on both surfaces, in the company only', async () => {
    const writer = await base.caller(['basic.agency.create']);
    for (const key of ['p-a', 'p-b', 'p-c']) await base.rest('POST', '/api/agencies', { as: writer, body: { key, name: key.toUpperCase() } });
    const other = await base.caller(['basic.agency.create'], { company: base.companyB });
    await base.rest('POST', '/api/agencies', { as: other, body: { key: 'elsewhere', name: 'Elsewhere' } });

    const reader = await base.caller(['basic.xero.view']);
    const res = await base.rest('GET', '/api/kit/agency-names?limit=2&page=1', { as: reader });
    expect(res.status).toBe(200);
    expect(res.body.meta).toEqual({ page: 1, limit: 2, total: 4, totalIsEstimate: false, nextCursor: expect.any(String) });
    expect(res.body.data.map((e: { text: string }) => e.text)).toEqual(['One', 'P-A']);
    const gql = gqlData(await base.gql('query { kitAgencyNames(page: 2, limit: 2) { total items { text } } }', {}, { as: reader }));
    expect(gql.kitAgencyNames).toEqual({ total: 4, items: [{ text: 'P-B' }, { text: 'P-C' }] });
  });
});

test('the OpenAPI description documents each procedure with its permission', async () => {
  const actor = await base.caller([]);
  const doc = (await base.rest('GET', '/api/openapi.json', { as: actor })).body;
  expect(doc.paths['/api/kit/summary'].get['x-permission']).toBe('basic.dashboard.view');
  expect(doc.paths['/api/kit/echo'].post['x-permission']).toBe('basic.ai.use + basic.agency.view');
  expect(Object.keys(doc.paths['/api/kit/echo'].delete.responses)).toContain('204');
  expect(doc.components.schemas.KitSummary.properties).toHaveProperty('agencies');
});
