import type { Caller } from '../support/harness';
import { useTestBase } from '../support/harness';
import { expectGqlError } from '../support/assertions';

/**
 * The executor checks every leaf rule of an operation once before it runs: all held → the compiled
 * operation without per-row leaf checks; any refused → the fully guarded schema, which refuses that
 * leaf on each row exactly as before. Both ways, through fields, fragments and aliases.
 */
const base = useTestBase();
let creator: Caller; // basic.agency.create, not view
let full: Caller;
beforeAll(async () => {
  creator = await base.caller(['basic.agency.create']);
  full = await base.caller(['basic.agency.create', 'basic.agency.view'], { company: undefined });
});

const CREATE = `mutation($input: AgencyCreateInput!) { createAgency(input: $input) { ...Made } }
fragment Made on Agency { id label: name }`;

test('a leaf the caller may not read, reached through a fragment and an alias, is refused on its path; the rest of the rules hold', async () => {
  const refused = await base.gql(CREATE, { input: { key: 'exec-refused', name: 'Refused' } }, { as: creator });
  expectGqlError(refused, 'FORBIDDEN', ['createAgency', 'label']);
  // `name` and `createAgency` are non-null: the refusal nulls the whole answer, as graphql-js does.
  expect(refused.body.data).toBeNull();
});

test('the same operation by a caller allowed every leaf answers in full, twice (compiled once, run again)', async () => {
  for (const key of ['exec-allowed-1', 'exec-allowed-2']) {
    const answer = await base.gql(CREATE, { input: { key, name: key } }, { as: full });
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data).toEqual({ createAgency: { id: expect.any(String), label: key } });
  }
});

test('a page of records read by the compiled operation equals the guarded answer of a caller refused nothing else', async () => {
  const query = '{ agencies(limit: 5) { total items { id key name } } }';
  const answer = await base.gql(query, undefined, { as: full });
  expect(answer.body.errors).toBeUndefined();
  expect(answer.body.data.agencies.items.map((a: { key: string }) => a.key)).toEqual(expect.arrayContaining(['exec-allowed-1', 'exec-allowed-2']));
  const withoutView = await base.gql(query, undefined, { as: creator });
  expectGqlError(withoutView, 'FORBIDDEN', ['agencies']);
});
