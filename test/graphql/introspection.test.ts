import { useTestBase } from '../support/harness';

/**
 * GRAPHQL_INTROSPECTION (default false in production): `__schema` and `__type` are refused and the
 * "Did you mean" hints leave validation errors, while `_service { sdl }` (the router's read) and
 * `__typename` keep working. On (the default outside production) introspection answers as before.
 */
const off = useTestBase({ GRAPHQL_INTROSPECTION: 'false' });
const on = useTestBase();

test('off: __schema and __type are refused as a validation error', async () => {
  const admin = await off.caller();
  for (const query of ['{ __schema { queryType { name } } }', '{ __type(name: "Agency") { fields { name } } }']) {
    const res = await off.gql(query, {}, { as: admin });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.body.data).toBeUndefined();
  }
});

test('off: a misspelt field is refused without suggesting the real one', async () => {
  const admin = await off.caller();
  const res = await off.gql('{ agencie { total } }', {}, { as: admin });
  expect(res.status).toBe(400);
  expect(res.body.errors?.[0].message).toBe('Cannot query field "agencie" on type "Query".');
  expect(JSON.stringify(res.body)).not.toMatch(/Did you mean/);
});

test('off: a misspelt enum value or input field in the variables is refused without a suggestion', async () => {
  const admin = await off.caller();
  const enumValue = await off.gql('query($s: EventStatus) { events(filter: { status: $s }) { total } }', { s: 'ON_SAL' }, { as: admin });
  expect(enumValue.body.errors?.[0].message).toBe('Variable "$s" got invalid value "ON_SAL"; Value "ON_SAL" does not exist in "EventStatus" enum.');
  const field = await off.gql('query($f: EventFilter) { events(filter: $f) { total } }', { f: { statu: 'ON_SALE' } }, { as: admin });
  expect(field.body.errors?.[0].message).toBe('Variable "$f" got invalid value { statu: "ON_SALE" }; Field "statu" is not defined by type "EventFilter".');
});

test('off: the router still reads the SDL through _service, and __typename answers', async () => {
  const sdl = await off.gql('{ _service { sdl } }');
  expect(sdl.status).toBe(200);
  expect(sdl.body.data._service.sdl).toContain('type Agency');
  const admin = await off.caller();
  const typename = await off.gql('{ __typename agencies { __typename total } }', {}, { as: admin });
  expect(typename.body).toEqual({ data: { __typename: 'Query', agencies: { __typename: 'AgencyPage', total: 0 } } });
});

test('on: introspection answers and validation errors keep their suggestions', async () => {
  const admin = await on.caller();
  const schema = await on.gql('{ __schema { queryType { name } } }', {}, { as: admin });
  expect(schema.body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  const misspelt = await on.gql('{ agencie { total } }', {}, { as: admin });
  expect(misspelt.body.errors?.[0].message).toMatch(/Did you mean "agencies"/);
});
