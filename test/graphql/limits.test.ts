import { useTestBase } from '../support/harness';

/** Operation limits are checked before anything runs: depth and aliases. */
const base = useTestBase({ GRAPHQL_MAX_DEPTH: '6', GRAPHQL_MAX_ALIASES: '3' });

test('a query deeper than GRAPHQL_MAX_DEPTH is refused with GRAPHQL_VALIDATION_FAILED; one at the limit runs', async () => {
  const admin = await base.caller();
  const deep = '{ agencies { items { artists { items { agency { artists { total } } } } } } }';
  const refused = await base.gql(deep, {}, { as: admin });
  expect(refused.status).toBe(400);
  expect(refused.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  expect(refused.body.errors?.[0].message).toMatch(/depth/i);
  expect(base.auth.calls).toBeGreaterThan(0); // the caller was still authenticated first

  const atLimit = await base.gql('{ agencies { items { artists { items { agency { name } } } } } }', {}, { as: admin });
  expect(atLimit.status).toBe(200);
  expect(atLimit.body.errors).toBeUndefined();
});

test('more aliases than GRAPHQL_MAX_ALIASES are refused', async () => {
  const admin = await base.caller();
  const refused = await base.gql('{ a: agencies { total } b: agencies { total } c: agencies { total } d: agencies { total } }', {}, { as: admin });
  expect(refused.status).toBe(400);
  expect(refused.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  const allowed = await base.gql('{ a: agencies { total } b: agencies { total } c: agencies { total } }', {}, { as: admin });
  expect(allowed.body.data).toEqual({ a: { total: 0 }, b: { total: 0 }, c: { total: 0 } });
});

test('introspection (GraphiQL, codegen) is not held to the depth limit', async () => {
  const admin = await base.caller();
  const deepIntrospection = '{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }';
  const answer = await base.gql(deepIntrospection, {}, { as: admin });
  expect(answer.status).toBe(200);
  expect(answer.body.errors).toBeUndefined();
});
