import { parse } from 'graphql';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { composeServices } from '@apollo/composition';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { Caller, useTestBase } from '../support/harness';
import { gqlData } from '../support/assertions';
import { AgencyData, createAgency } from '../support/fixtures';

/** Apollo's start-up notes (inline tracing) are not test output; warnings and errors still show. */
const QUIET = { debug: () => undefined, info: () => undefined, warn: console.warn, error: console.error };

/**
 * Base as an Apollo Federation 2 subgraph: `_service { sdl }` for composition, `_entities` checked
 * per type and per company, and a real gateway in front of Base and a second subgraph.
 */
const base = useTestBase();
let viewer: Caller;
let noView: Caller;
let agency: AgencyData;
let foreign: AgencyData;

const UNKNOWN_ID = '00000000-0000-4000-8000-00000000f00d';

beforeAll(async () => {
  const writerA = await base.caller(undefined, { company: base.companyA });
  const writerB = await base.caller(undefined, { company: base.companyB });
  agency = await createAgency(base, writerA, { name: 'Federated Agency' });
  foreign = await createAgency(base, writerB, { name: 'Other Company Agency' });
  viewer = await base.caller(['basic.agency.view'], { company: base.companyA });
  noView = await base.caller(['basic.agency.create', 'basic.dashboard.view'], { company: base.companyA });
});

const ENTITIES = `query($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Agency { id name key } }
}`;
const rep = (id: string) => ({ __typename: 'Agency', id });

describe('subgraph', () => {
  test('{ _service { sdl } } with no headers → 200, Agency has @key(fields: "id")', async () => {
    const answer = await base.gql<{ _service: { sdl: string } }>('{ _service { sdl } }');
    expect(answer.status).toBe(200);
    const { sdl } = gqlData(answer)._service;
    expect(sdl).toMatch(/type Agency\s+@key\(fields: "id"\)/);
    expect(sdl).toContain('https://specs.apollo.dev/federation/v2');
  });

  test('the printed subgraph SDL (schema/base.graphql) composes to the same supergraph as the live one', async () => {
    const live = gqlData(await base.gql<{ _service: { sdl: string } }>('{ _service { sdl } }'))._service.sdl;
    const compose = (sdl: string) => {
      const result = composeServices([{ name: 'base', typeDefs: parse(sdl), url: 'http://base.invalid/graphql' }]);
      if (result.errors?.length) throw new Error(result.errors.map((e) => e.message).join('; '));
      return result.supergraphSdl;
    };
    expect(compose(base.server.schema.sdl)).toBe(compose(live));
  });

  test('the supergraph keeps the Subscription type: a router passes subscriptions through to Base', () => {
    const result = composeServices([{ name: 'base', typeDefs: parse(base.server.schema.sdl), url: 'http://base.invalid/graphql' }]);
    expect(result.errors).toBeUndefined();
    expect(result.supergraphSdl).toMatch(/type Subscription[^}]*ladderChanged[^}]*notificationAdded/s);
  });

  test('_entities as a member with basic.agency.view → the record', async () => {
    const answer = await base.gql(ENTITIES, { representations: [rep(agency.id)] }, { as: viewer });
    expect(gqlData(answer)).toEqual({ _entities: [{ id: agency.id, name: agency.name, key: agency.key }] });
  });

  test("_entities of another company's id → null; an unknown id → null; order kept", async () => {
    const answer = await base.gql(
      ENTITIES,
      { representations: [rep(foreign.id), rep(agency.id), rep(UNKNOWN_ID), rep('not-a-uuid')] },
      { as: viewer },
    );
    expect(gqlData(answer)).toEqual({ _entities: [null, { id: agency.id, name: agency.name, key: agency.key }, null, null] });
  });

  test('_entities without basic.agency.view → FORBIDDEN on that path, and no data', async () => {
    const answer = await base.gql(ENTITIES, { representations: [rep(agency.id), rep(agency.id)] }, { as: noView });
    expect(answer.status).toBe(200);
    const errors = answer.body.errors ?? [];
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) {
      expect(error.extensions?.code).toBe('FORBIDDEN');
      expect(error.path?.[0]).toBe('_entities');
    }
    // Checked per representation (like a nested field), not by failing the whole entry point.
    expect(errors.map((e) => e.path)).toEqual([
      ['_entities', 0],
      ['_entities', 1],
    ]);
    expect(answer.body.data).toEqual({ _entities: [null, null] });
    expect(JSON.stringify(answer.body)).not.toContain(agency.name);
  });

  test('a refused type does not take the allowed ones down with it (checked per representation)', async () => {
    const writer = await base.caller(undefined, { company: base.companyA });
    const artist = await base.rest('POST', '/api/artists', { as: writer, body: { name: 'Federated Artist' } });
    expect(artist.status).toBe(201);
    const artistsOnly = await base.caller(['basic.artist.view'], { company: base.companyA });
    const answer = await base.gql(
      `query($representations: [_Any!]!) {
        _entities(representations: $representations) { ... on Agency { id name } ... on Artist { id name } }
      }`,
      { representations: [rep(agency.id), { __typename: 'Artist', id: artist.body.data.id }] },
      { as: artistsOnly },
    );
    expect(answer.body.data).toEqual({ _entities: [null, { id: artist.body.data.id, name: 'Federated Artist' }] });
    expect(answer.body.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[['_entities', 0], 'FORBIDDEN']]);
  });

  test('_entities needs a member: no token → 401, no x-org → 400', async () => {
    const anonymous = await base.gql(ENTITIES, { representations: [rep(agency.id)] });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(anonymous.body.data).toBeUndefined();
    const noOrg = await base.gql(ENTITIES, { representations: [rep(agency.id)] }, { headers: { authorization: viewer.headers.authorization } });
    expect(noOrg.status).toBe(400);
    expect(JSON.stringify(noOrg.body)).not.toContain(agency.name);
  });
});

describe('entities beyond the families', () => {
  const entities = (fragment: string) => `query($representations: [_Any!]!) { _entities(representations: $representations) { ${fragment} } }`;
  const HISTORY = entities('... on HistoryEntry { id type entityId }');
  const SYNC_ITEM = entities('... on XeroSyncItem { id recordType status }');

  /** The first history entry of an agency (its `agency.created`), as its owner reads it. */
  async function createdEntryOf(agencyId: string, company: string): Promise<string> {
    const owner = await base.caller(undefined, { company });
    const answer = await base.gql(`{ agency(id: "${agencyId}") { history { items { id type } } } }`, {}, { as: owner });
    const entry = gqlData(answer).agency.history.items.find((e: { type: string }) => e.type === 'agency.created');
    return entry.id;
  }

  test('a HistoryEntry by id: with the view permission of its record’s family → the entry; without → FORBIDDEN; another company’s → null', async () => {
    const own = await createdEntryOf(agency.id, base.companyA);
    const theirs = await createdEntryOf(foreign.id, base.companyB);
    const rep = (id: string) => ({ __typename: 'HistoryEntry', id });

    const allowed = await base.gql(HISTORY, { representations: [rep(own), rep(theirs), rep(UNKNOWN_ID)] }, { as: viewer });
    expect(gqlData(allowed)).toEqual({ _entities: [{ id: own, type: 'agency.created', entityId: agency.id }, null, null] });

    const refused = await base.gql(HISTORY, { representations: [rep(own)] }, { as: noView });
    expect(refused.body.data).toEqual({ _entities: [null] });
    expect(refused.body.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[['_entities', 0], 'FORBIDDEN']]);
  });

  test('a HistoryEntry of a family without a history (a notification, one user’s own) → null', async () => {
    const [row] = await base.sql<{ id: string }>(
      `INSERT INTO domain_events (company_id, type, entity_type, entity_id, actor_id, payload) VALUES ($1, 'notification.read', 'Notification', $2, 'someone', '{}') RETURNING id`,
      [base.companyA, UNKNOWN_ID],
    );
    const admin = await base.caller(undefined, { company: base.companyA });
    const answer = await base.gql(HISTORY, { representations: [{ __typename: 'HistoryEntry', id: row.id }] }, { as: admin });
    expect(gqlData(answer)).toEqual({ _entities: [null] });
  });

  test('a XeroSyncItem by id: with basic.xero.view → the item; without → FORBIDDEN; another company’s → null', async () => {
    const insert = (company: string) =>
      base.sql<{ id: string }>(
        `INSERT INTO xero_sync_items (company_id, record_type, record_id, status, attempts, created_by) VALUES ($1, 'vendor', $2, 'pending', 0, 'someone') RETURNING id`,
        [company, UNKNOWN_ID],
      );
    const [own] = await insert(base.companyA);
    const [theirs] = await insert(base.companyB);
    const rep = (id: string) => ({ __typename: 'XeroSyncItem', id });

    const xeroViewer = await base.caller(['basic.xero.view'], { company: base.companyA });
    const allowed = await base.gql(SYNC_ITEM, { representations: [rep(own.id), rep(theirs.id)] }, { as: xeroViewer });
    expect(gqlData(allowed)).toEqual({ _entities: [{ id: own.id, recordType: 'VENDOR', status: 'PENDING' }, null] });

    const refused = await base.gql(SYNC_ITEM, { representations: [rep(own.id)] }, { as: viewer });
    expect(refused.body.data).toEqual({ _entities: [null] });
    expect(refused.body.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[['_entities', 0], 'FORBIDDEN']]);
  });

  test('User is named here, never resolved: a User representation is refused at its index, the others still resolve', async () => {
    const answer = await base.gql(
      entities('... on User { id } ... on Agency { name }'),
      { representations: [{ __typename: 'User', id: 'someone' }, rep(agency.id)] },
      { as: viewer },
    );
    expect(answer.body.data).toEqual({ _entities: [null, { name: agency.name }] });
    expect(answer.body.errors?.map((e) => [e.path, e.extensions?.code, e.extensions?.details])).toEqual([
      [['_entities', 0], 'VALIDATION_FAILED', [{ field: 'representations.0.__typename', message: 'is not an entity type of this subgraph' }]],
    ]);
  });

  test('every entity type in the SDL is resolvable by id here, but User (resolvable: false)', () => {
    const keyed = [...base.server.schema.sdl.matchAll(/^type (\w+)\s+@key\(fields: "id"(, resolvable: false)?\)/gm)];
    expect(keyed.filter(([, , unresolvable]) => unresolvable).map(([, name]) => name)).toEqual(['User']);
    expect(keyed.map(([, name]) => name)).toEqual(expect.arrayContaining(['HistoryEntry', 'XeroSyncItem', 'Notification', 'Agency', 'Task', 'Expense']));
  });
});

describe('people as User entities', () => {
  test('every record has createdByUser, and a family’s user fields give the User its text field names', async () => {
    const writer = await base.caller(undefined, { company: base.companyA });
    const task = await base.rest('POST', '/api/tasks', { as: writer, body: { title: 'Federated task', assigneeId: 'user-ada' } });
    expect(task.status).toBe(201);
    const unassigned = await base.rest('POST', '/api/tasks', { as: writer, body: { title: 'Nobody’s task' } });
    const answer = await base.gql(
      `{ tasks(filter: { q: "task" }) { items { title assigneeId assignee { id } createdBy createdByUser { id } } } }`,
      {},
      { as: writer },
    );
    const items = gqlData(answer).tasks.items;
    expect(items).toEqual(
      expect.arrayContaining([
        { title: 'Federated task', assigneeId: 'user-ada', assignee: { id: 'user-ada' }, createdBy: writer.userId, createdByUser: { id: writer.userId } },
        { title: 'Nobody’s task', assigneeId: null, assignee: null, createdBy: writer.userId, createdByUser: { id: writer.userId } },
      ]),
    );
    expect(unassigned.status).toBe(201);
  });

  test('a history entry names who caused it as a User (actor) beside actorId', async () => {
    const writer = await base.caller(undefined, { company: base.companyA });
    const task = await base.rest('POST', '/api/tasks', { as: writer, body: { title: 'Task with a history' } });
    const answer = await base.gql(`{ task(id: "${task.body.data.id}") { history { items { type actorId actor { id } } } } }`, {}, { as: writer });
    expect(gqlData(answer).task.history.items).toEqual([{ type: 'task.created', actorId: writer.userId, actor: { id: writer.userId } }]);
    // REST carries the text field alone: the User is GraphQL's.
    const rest = await base.rest('GET', `/api/tasks/${task.body.data.id}/history`, { as: writer });
    expect(rest.body.data[0]).toMatchObject({ actorId: writer.userId });
    expect(rest.body.data[0]).not.toHaveProperty('actor');
  });

  test('a User field is under its type’s permission, like the text field beside it', async () => {
    const writer = await base.caller(undefined, { company: base.companyA });
    const task = await base.rest('POST', '/api/tasks', { as: writer, body: { title: 'Guarded task', assigneeId: 'user-bob' } });
    const agenciesOnly = await base.caller(['basic.agency.view'], { company: base.companyA });
    const answer = await base.gql(`{ task(id: "${task.body.data.id}") { assignee { id } } }`, {}, { as: agenciesOnly });
    expect(answer.body.data?.task ?? null).toBeNull();
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(JSON.stringify(answer.body)).not.toContain('user-bob');
  });
});

describe('through a real gateway', () => {
  let gigs: ApolloServer;
  let people: ApolloServer;
  let gatewayServer: ApolloServer<GatewayContext>;
  let gatewayUrl: string;

  interface GatewayContext {
    authorization?: string;
    org?: string;
  }

  beforeAll(async () => {
    // A second subgraph that points at Base's agencies by id only.
    const gigTypeDefs = parse(`
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
      type Gig @key(fields: "id") { id: ID! title: String! agency: Agency }
      type Agency @key(fields: "id", resolvable: false) { id: ID! }
      type Query { gigs: [Gig!]! }
    `);
    const gigRows = [
      { id: 'gig-1', title: 'Own agency', agencyId: agency.id },
      { id: 'gig-2', title: 'Other company', agencyId: foreign.id },
      { id: 'gig-3', title: 'Unknown agency', agencyId: UNKNOWN_ID },
      { id: 'gig-4', title: 'No agency', agencyId: null },
    ];
    gigs = new ApolloServer({
      logger: QUIET,
      schema: buildSubgraphSchema({
        typeDefs: gigTypeDefs,
        resolvers: {
          Query: { gigs: () => gigRows },
          Gig: { agency: (g: { agencyId: string | null }) => (g.agencyId ? { __typename: 'Agency', id: g.agencyId } : null) },
        } as never,
      }),
    });
    const { url: gigsUrl } = await startStandaloneServer(gigs, { listen: { port: 0, host: '127.0.0.1' } });

    // A subgraph of people that adds a name to Base's users.
    const peopleTypeDefs = parse(`
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
      type User @key(fields: "id") { id: ID! name: String }
    `);
    people = new ApolloServer({
      logger: QUIET,
      schema: buildSubgraphSchema({
        typeDefs: peopleTypeDefs,
        resolvers: { User: { __resolveReference: (user: { id: string }) => ({ id: user.id, name: NAMES[user.id] ?? null }) } } as never,
      }),
    });
    const { url: peopleUrl } = await startStandaloneServer(people, { listen: { port: 0, host: '127.0.0.1' } });

    // Compose from Base's live SDL, as a router's composition step would.
    const live = await base.gql<{ _service: { sdl: string } }>('{ _service { sdl } }');
    const baseSdl = gqlData(live)._service.sdl;
    const composed = composeServices([
      { name: 'base', typeDefs: parse(baseSdl), url: `${base.url}/graphql` },
      { name: 'gigs', typeDefs: gigTypeDefs, url: gigsUrl },
      { name: 'people', typeDefs: peopleTypeDefs, url: peopleUrl },
    ]);
    if (composed.errors?.length) throw new Error(`composition failed: ${composed.errors.map((e) => e.message).join('; ')}`);
    const supergraphSdl = composed.supergraphSdl!;

    const gateway = new ApolloGateway({
      logger: QUIET,
      supergraphSdl,
      buildService: ({ url }) =>
        new RemoteGraphQLDataSource<GatewayContext>({
          url,
          willSendRequest({ request, context }) {
            if (context.authorization) request.http?.headers.set('authorization', context.authorization);
            if (context.org) request.http?.headers.set('x-org', context.org);
          },
        }),
    });
    gatewayServer = new ApolloServer<GatewayContext>({ gateway, logger: QUIET });
    const started = await startStandaloneServer(gatewayServer, {
      listen: { port: 0, host: '127.0.0.1' },
      context: async ({ req }) => ({
        authorization: req.headers.authorization,
        org: typeof req.headers['x-org'] === 'string' ? req.headers['x-org'] : undefined,
      }),
    });
    gatewayUrl = started.url;
    expect(new URL(gatewayUrl).port).not.toBe('0');
  });

  afterAll(async () => {
    await gatewayServer?.stop();
    await gigs?.stop();
    await people?.stop();
  });

  /** The people subgraph's names, by Auth user id. */
  const NAMES: Record<string, string> = { 'user-ada': 'Ada Assignee' };

  async function viaGateway(query: string, as?: Caller) {
    const res = await fetch(gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(as?.headers ?? {}) },
      body: JSON.stringify({ query }),
    });
    return { status: res.status, body: (await res.json()) as { data?: any; errors?: any[] } }; // eslint-disable-line @typescript-eslint/no-explicit-any
  }

  const GIGS = '{ gigs { id agency { name } } }';

  test('an actor with basic.agency.view gets the names from Base; other company and unknown → null', async () => {
    const answer = await viaGateway(GIGS, viewer);
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data).toEqual({
      gigs: [
        { id: 'gig-1', agency: { name: agency.name } },
        { id: 'gig-2', agency: null },
        { id: 'gig-3', agency: null },
        { id: 'gig-4', agency: null },
      ],
    });
    expect(JSON.stringify(answer.body)).not.toContain(foreign.name);
  });

  test('an actor in the other company sees its own agency and not A’s', async () => {
    const other = await base.caller(['basic.agency.view'], { company: base.companyB });
    const answer = await viaGateway(GIGS, other);
    expect(answer.body.data.gigs.map((g: { agency: unknown }) => g.agency)).toEqual([null, { name: foreign.name }, null, null]);
    expect(JSON.stringify(answer.body)).not.toContain(agency.name);
  });

  test('an actor without basic.agency.view → agency null with FORBIDDEN; the rest still arrives', async () => {
    const answer = await viaGateway(GIGS, noView);
    expect(answer.status).toBe(200);
    expect(answer.body.data.gigs.map((g: { id: string }) => g.id)).toEqual(['gig-1', 'gig-2', 'gig-3', 'gig-4']);
    for (const gig of answer.body.data.gigs) expect(gig.agency).toBeNull();
    // One FORBIDDEN per agency Base was asked for, on the gateway's own path (gig-4 has none).
    expect(answer.body.errors!.map((e: { path?: unknown[]; extensions?: { code?: string; serviceName?: string } }) => [e.path, e.extensions?.code, e.extensions?.serviceName])).toEqual([
      [['gigs', 0, 'agency'], 'FORBIDDEN', 'base'],
      [['gigs', 1, 'agency'], 'FORBIDDEN', 'base'],
      [['gigs', 2, 'agency'], 'FORBIDDEN', 'base'],
    ]);
    expect(JSON.stringify(answer.body)).not.toContain(agency.name);
  });

  test('the gateway cannot read around Base: no caller headers → no agency data', async () => {
    const answer = await viaGateway(GIGS);
    for (const gig of answer.body.data?.gigs ?? []) expect(gig.agency).toBeNull();
    expect(answer.body.errors?.length).toBeGreaterThan(0);
    expect(JSON.stringify(answer.body)).not.toContain(agency.name);
  });

  test('a task’s assignee and creator get their names from the people subgraph', async () => {
    const writer = await base.caller(undefined, { company: base.companyA });
    NAMES[writer.userId] = 'Wanda Writer';
    const task = await base.rest('POST', '/api/tasks', { as: writer, body: { title: 'Through the router', assigneeId: 'user-ada' } });
    const taskViewer = await base.caller(['basic.task.view'], { company: base.companyA });
    const answer = await viaGateway(`{ task(id: "${task.body.data.id}") { title assignee { id name } createdByUser { name } } }`, taskViewer);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data).toEqual({
      task: { title: 'Through the router', assignee: { id: 'user-ada', name: 'Ada Assignee' }, createdByUser: { name: 'Wanda Writer' } },
    });
  });

  test('without basic.task.view the router gets no task from Base, so no person to name', async () => {
    const writer = await base.caller(undefined, { company: base.companyA });
    const task = await base.rest('POST', '/api/tasks', { as: writer, body: { title: 'Not for you', assigneeId: 'user-ada' } });
    const answer = await viaGateway(`{ task(id: "${task.body.data.id}") { title assignee { id name } } }`, noView);
    expect(answer.body.data?.task ?? null).toBeNull();
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(JSON.stringify(answer.body)).not.toContain('Ada Assignee');
  });
});
