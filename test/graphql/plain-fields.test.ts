import 'reflect-metadata';
import { GraphQLObjectType } from 'graphql';
import { buildBaseSchema } from '../../src/graphql/schema';
import { MODULES } from '../../src/modules';

/**
 * A record's plain fields have no resolver in the schema the compiled path runs on, so graphql-jit
 * reads them as properties instead of calling a function per field per row; fields that compute
 * (relations, pages) keep theirs. (The answers themselves are pinned by test/bench/workloads.test.ts.)
 */
test('plain fields of a record read the property; relations keep their resolvers', async () => {
  const { leafChecked } = await buildBaseSchema(MODULES);
  const artist = leafChecked.getType('Artist') as GraphQLObjectType;
  const fields = artist.getFields();
  for (const name of ['id', 'name', 'genres', 'defaultFee', 'createdAt', 'version']) {
    expect([name, fields[name].resolve]).toEqual([name, undefined]);
  }
  expect(typeof fields.agency.resolve).toBe('function');
});
