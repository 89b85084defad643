import 'reflect-metadata';
import { FieldNode, FragmentDefinitionNode, GraphQLResolveInfo, Kind, OperationDefinitionNode, parse } from 'graphql';
import { selectedColumns } from '../../src/graphql/selection';
import { familyGraph } from '../../src/graphql/families';
import { asModule, type FamilyModule } from '../../src/core/module';
import { Agency, agencyFamily } from '../../src/modules/agencies';
import { Artist, artistModule } from '../../src/modules/artists';
import { Offer } from '../../src/modules/offers';
import { useTestBase } from '../support/harness';
import { createAgency, createVia, freshCaller } from '../support/fixtures';

/**
 * List and relation reads fetch only the columns the GraphQL selection needs: what it selects of
 * the record, the keys of the relations it follows, the id and the company; every column as soon
 * as it selects anything else or the entity derives values after a load. The answers are the same.
 */
familyGraph(artistModule); // registers Artist.agency and Agency.artists
familyGraph(asModule(agencyFamily) as FamilyModule);

/** The resolve info of the first root field of `document` (what the executor hands a resolver). */
function infoOf(document: string): GraphQLResolveInfo {
  const doc = parse(document);
  const operation = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(
    doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  return { fieldNodes: [operation.selectionSet.selections[0] as FieldNode], fragments } as unknown as GraphQLResolveInfo;
}

describe('selectedColumns', () => {
  test('the selected columns of a page, the id and the company', () => {
    expect(selectedColumns(infoOf('{ artists { total items { id name } } }'), Artist, true)).toEqual(['companyId', 'id', 'name']);
  });

  test('fragments count, a followed relation brings its key, a grouping key is added', () => {
    const info = infoOf('{ artists { items { ...A ... on Artist { genres } agency { id } __typename } } } fragment A on Artist { name }');
    expect(selectedColumns(info, Artist, true, ['agencyId'])).toEqual(['agencyId', 'companyId', 'genres', 'id', 'name']);
    expect(selectedColumns(infoOf('{ artists { items { agency { name } } } }'), Artist, true)).toEqual(['agencyId', 'companyId', 'id']);
  });

  test('a hasMany relation needs only the id; a field that is no column means every column', () => {
    expect(selectedColumns(infoOf('{ agencies { items { key artists { total } } } }'), Agency, true)).toEqual(['companyId', 'id', 'key']);
    expect(selectedColumns(infoOf('{ artists { items { id history { total } } } }'), Artist, true)).toBeUndefined();
  });

  test('a User field reads only the property holding the user id', () => {
    expect(selectedColumns(infoOf('{ artists { items { name createdByUser { id } } } }'), Artist, true)).toEqual(['companyId', 'createdBy', 'id', 'name']);
  });

  test('an entity that derives values after a load is read whole', () => {
    expect(selectedColumns(infoOf('{ offers { items { id } } }'), Offer, true)).toBeUndefined();
  });
});

describe('answers from narrowed reads', () => {
  const base = useTestBase();

  test('a nested page through fragments and a relation answers every field asked', async () => {
    const admin = await base.caller();
    const agency = await createAgency(base, admin);
    await createVia(base, admin, '/api/artists', { name: 'Narrow B', agencyId: agency.id, currency: 'EUR', genres: ['jazz'], city: 'Lyon' });
    await createVia(base, admin, '/api/artists', { name: 'Narrow A', agencyId: agency.id, currency: 'EUR', genres: ['rock'], city: 'Oslo' });
    const answer = await base.gql(
      `query { agencies(limit: 40) { items { id ... on Agency { artists(limit: 10) { total items { ...A agency { id key } } } } } } }
       fragment A on Artist { name genres city }`,
      {},
      { as: admin },
    );
    expect(answer.body.errors).toBeUndefined();
    const mine = answer.body.data.agencies.items.find((a: { id: string }) => a.id === agency.id);
    expect(mine.artists).toEqual({
      total: 2,
      items: [
        { name: 'Narrow A', genres: ['rock'], city: 'Oslo', agency: { id: agency.id, key: agency.key } },
        { name: 'Narrow B', genres: ['jazz'], city: 'Lyon', agency: { id: agency.id, key: agency.key } },
      ],
    });
  });

  test('a belongsTo relation reads only the columns asked of its record, with the same answer', async () => {
    const admin = await base.caller();
    const agency = await createAgency(base, admin);
    await createVia(base, admin, '/api/artists', { name: 'Narrow C', agencyId: agency.id, currency: 'EUR' });
    const texts: string[] = [];
    const listener = { afterQuery: (event: { query: string }) => void texts.push(event.query) };
    base.server.dataSource.subscribers.push(listener as never);
    try {
      const answer = await base.gql('{ artists(filter: { q: "Narrow C" }) { items { name agency { name } } } }', {}, { as: admin });
      expect(answer.body.errors).toBeUndefined();
      expect(answer.body.data.artists.items).toEqual([{ name: 'Narrow C', agency: { name: agency.name } }]);
    } finally {
      base.server.dataSource.subscribers.splice(base.server.dataSource.subscribers.indexOf(listener as never), 1);
    }
    const agencyRead = texts.find((t) => /FROM "[^"]+"\."agencies"/.test(t));
    expect(agencyRead).toBeDefined();
    expect(agencyRead).toMatch(/"name"/);
    expect(agencyRead).not.toMatch(/"created_at"|"version"|"notes"|"key"/);
  });

  test('a GraphQL page counts its total only when the query selects it; REST always counts', async () => {
    const admin = await freshCaller(base);
    for (const name of ['Count A', 'Count B', 'Count C']) await createVia(base, admin, '/api/artists', { name, currency: 'EUR' });
    const texts: string[] = [];
    const listener = { afterQuery: (event: { query: string }) => void texts.push(event.query) };
    const read = async <R>(run: () => Promise<R>): Promise<R> => {
      texts.length = 0;
      base.server.dataSource.subscribers.push(listener as never);
      try {
        return await run();
      } finally {
        base.server.dataSource.subscribers.splice(base.server.dataSource.subscribers.indexOf(listener as never), 1);
      }
    };
    const counts = () => texts.filter((t) => /FROM "[^"]+"\."artists"/.test(t)).map((t) => (t.match(/SELECT count\(\*\)/g) ?? []).length);

    const without = await read(() => base.gql('{ artists(limit: 2) { items { name } } }', {}, { as: admin }));
    expect(without.body.errors).toBeUndefined();
    expect(without.body.data.artists.items.map((a: { name: string }) => a.name)).toEqual(['Count A', 'Count B']);
    expect(counts()).toEqual([0]);

    const withTotal = await read(() => base.gql('{ artists(limit: 2) { total items { name } } }', {}, { as: admin }));
    expect(withTotal.body.data.artists.total).toBe(3);
    expect(counts()).toEqual([1]);

    const rest = await read(() => base.rest('GET', '/api/artists?limit=2', { as: admin }));
    expect(rest.body.meta.total).toBe(3);
    expect(counts()).toEqual([1]);
  });
});
