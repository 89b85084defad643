import {
  getNamedType,
  getNullableType,
  GraphQLArgument,
  GraphQLField,
  GraphQLInputType,
  isInputObjectType,
  isListType,
  isNonNullType,
} from 'graphql';
import { z } from 'zod';
import type { Caller, Answer } from '../support/harness';
import { useTestBase } from '../support/harness';
import { createAgency, NO_SUCH_ID } from '../support/fixtures';

/**
 * Hostile values into every REST route (path, query, body — from the mounted route table and its
 * validators) and every GraphQL root field's arguments and input fields (from the executable
 * schema), as a member holding every permission: no answer is a 500 or INTERNAL_SERVER_ERROR, and
 * no row is added or removed. Every value is invalid wherever it goes, so nothing may be written.
 */
const base = useTestBase();

const DEEP = `${'['.repeat(300)}${']'.repeat(300)}`;
/** Hostile JSON values, as JSON text (so deep nesting and prototype keys arrive as sent). */
const HOSTILE_JSON: Record<string, string> = {
  nul: JSON.stringify('a\u0000b'),
  loneSurrogate: JSON.stringify('a\ud800b'),
  int32Overflow: '2147483648',
  int64Overflow: '9223372036854775808',
  huge: '1e308',
  negativeHuge: '-1e308',
  array: '[1, {"a": null}]',
  object: '{"a": {"b": 1}}',
  boolean: 'true',
  deep: DEEP,
  prototype: '{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 1}}}',
  overlong: JSON.stringify('x'.repeat(30_000)),
};
/** The same in a path segment or query string, where everything is text. */
const HOSTILE_TEXT = ['%00', 'a%00b', '%ED%A0%80', '%zz', '2147483648', '9223372036854775808', '1e308', '-1', 'true', 'x'.repeat(5000), '__proto__', 'constructor'];

let admin: Caller;
const problems: string[] = [];

async function tableCounts(): Promise<Record<string, number>> {
  const tables = await base.sql<{ table_name: string }>(
    `select table_name from information_schema.tables where table_schema = $1 and table_type = 'BASE TABLE' order by 1`,
    [base.schema],
  );
  const counts: Record<string, number> = {};
  for (const { table_name: t } of tables) {
    const [row] = await base.sql<{ n: string }>(`select count(*) as n from "${base.schema}"."${t}"`);
    counts[t] = Number(row.n);
  }
  return counts;
}

function check(label: string, answer: Answer): void {
  const body = JSON.stringify(answer.body ?? '');
  if (answer.status >= 500 || body.includes('INTERNAL_SERVER_ERROR')) problems.push(`${label} → ${answer.status} ${body.slice(0, 300)}`);
}

/** Runs the cases a few at a time (the machine is shared). */
async function runAll(cases: (() => Promise<void>)[], parallel = 6): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next < cases.length) await cases[next++]();
  }));
}

beforeAll(async () => {
  admin = await base.caller();
  await createAgency(base, admin);
  await base.rest('GET', '/api/companies/current', { as: admin }); // the company row exists before counting
});

test('every REST route survives hostile path parameters, query parameters and bodies', async () => {
  const before = await tableCounts();
  const cases: (() => Promise<void>)[] = [];
  const send = (method: string, path: string, rawBody?: string) => async () => {
    const answer = await base.rest(method, path, { as: admin, ...(rawBody !== undefined ? { rawBody } : {}) });
    check(`${method} ${path.slice(0, 120)} ${rawBody?.slice(0, 80) ?? ''}`, answer);
  };
  for (const route of base.server.routes) {
    // A record that does not exist: a request that got past validation still writes nothing.
    const concrete = `/api${route.path.replace(/:(\w+)/g, () => NO_SUCH_ID)}`;
    const write = route.method === 'POST' || route.method === 'PUT' || route.method === 'PATCH';
    // Path parameters.
    if (route.path.includes(':')) {
      for (const text of HOSTILE_TEXT) cases.push(send(route.method, `/api${route.path.replace(/:(\w+)/g, text)}`, write ? '{}' : undefined));
    }
    // Query parameters, one at a time, plus repeated and bracketed forms.
    for (const key of Object.keys(route.doc?.query ?? {})) {
      for (const text of HOSTILE_TEXT) cases.push(send(route.method, `${concrete}?${key}=${text}`));
      cases.push(send(route.method, `${concrete}?${key}=1&${key}=2`));
      cases.push(send(route.method, `${concrete}?${key}[a]=1`));
    }
    if (!write) continue;
    // Whole bodies, then each field of the body's validator.
    for (const raw of Object.values(HOSTILE_JSON)) cases.push(send(route.method, concrete, raw));
    const shape = route.doc?.body instanceof z.ZodObject ? Object.keys(route.doc.body.shape) : [];
    for (const field of [...shape, '__proto__', 'constructor']) {
      for (const raw of Object.values(HOSTILE_JSON)) cases.push(send(route.method, concrete, `{${JSON.stringify(field)}: ${raw}}`));
    }
  }
  expect(cases.length).toBeGreaterThan(200);
  await runAll(cases);
  expect(problems).toEqual([]);
  expect(await tableCounts()).toEqual(before);
}, 120_000);

/** `true` is no hostile value for a Boolean (`vatRegistered: true` is a real change): that case is left out. */
const validFor = (type: GraphQLInputType, kind: string): boolean => kind === 'boolean' && getNamedType(type).name === 'Boolean';

/** A type's name as written in a variable definition. */
const typeName = (type: GraphQLInputType): string => type.toString();

/**
 * JSON text of a value of the right type for what must be present but is not being fuzzed: ids of
 * no record, empty text (no required text field takes it), so the case still fails validation.
 */
function filler(type: GraphQLInputType): string | undefined {
  if (!isNonNullType(type)) return undefined;
  const inner = getNullableType(type);
  if (isListType(inner)) return '[]';
  const named = getNamedType(type);
  if (named.name === 'ID') return JSON.stringify(NO_SUCH_ID);
  if (named.name === 'Int') return '1';
  if (named.name === '_Any') return '{}';
  if (isInputObjectType(named)) {
    const fields = Object.values(named.getFields()).map((f) => [f.name, filler(f.type)] as const).filter(([, v]) => v !== undefined);
    return `{${fields.map(([k, v]) => `${JSON.stringify(k)}: ${v}`).join(', ')}}`;
  }
  return '""';
}

test('every GraphQL root field survives hostile arguments and input fields', async () => {
  const schema = base.server.schema.unguarded;
  const before = await tableCounts();
  const cases: (() => Promise<void>)[] = [];
  const roots = [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
  ] as const;
  for (const [operation, root] of roots) {
    if (!root) continue;
    for (const field of Object.values(root.getFields()) as GraphQLField<unknown, unknown>[]) {
      if (!field.args.length) continue;
      const named = getNamedType(field.type);
      const selection = 'getFields' in named || named.name === '_Entity' ? '{ __typename }' : '';
      const definitions = field.args.map((a) => `$${a.name}: ${typeName(a.type)}`).join(', ');
      const query = `${operation}(${definitions}) { ${field.name}(${field.args.map((a) => `${a.name}: $${a.name}`).join(', ')}) ${selection} }`;
      const baseVariables = (except: GraphQLArgument) =>
        field.args.filter((a) => a !== except).map((a) => [a.name, filler(a.type)] as const).filter(([, v]) => v !== undefined);
      const send = (variablesText: string, label: string) => async () => {
        const answer = await base.rest('POST', '/graphql', { as: admin, rawBody: `{"query": ${JSON.stringify(query)}, "variables": ${variablesText}}` });
        check(`${field.name} ${label}`, answer);
      };
      for (const arg of field.args) {
        const others = baseVariables(arg).map(([k, v]) => `${JSON.stringify(k)}: ${v}`);
        const withArg = (raw: string) => `{${[...others, `${JSON.stringify(arg.name)}: ${raw}`].join(', ')}}`;
        // The argument itself.
        for (const [kind, raw] of Object.entries(HOSTILE_JSON)) if (!validFor(arg.type, kind)) cases.push(send(withArg(raw), `${arg.name}=${kind}`));
        // Each field of an input object argument, the others filled where they must be.
        const inputType = getNamedType(arg.type);
        if (isInputObjectType(inputType)) {
          const inputFields = Object.values(inputType.getFields());
          for (const inputField of inputFields) {
            const rest = inputFields
              .filter((f) => f !== inputField)
              .map((f) => [f.name, filler(f.type)] as const)
              .filter(([, v]) => v !== undefined)
              .map(([k, v]) => `${JSON.stringify(k)}: ${v}`);
            for (const [kind, raw] of Object.entries(HOSTILE_JSON)) {
              if (validFor(inputField.type, kind)) continue;
              cases.push(send(withArg(`{${[...rest, `${JSON.stringify(inputField.name)}: ${raw}`].join(', ')}}`), `${arg.name}.${inputField.name}=${kind}`));
            }
          }
        }
        // A list argument (`_entities`): hostile items beside a valid one.
        if (isListType(getNullableType(arg.type))) {
          for (const [kind, raw] of Object.entries(HOSTILE_JSON)) {
            cases.push(send(withArg(`[${raw}, {"__typename": "Agency", "id": ${raw}}, {"__typename": ${raw}, "id": "x"}]`), `${arg.name}[]=${kind}`));
          }
        }
      }
    }
  }
  expect(cases.length).toBeGreaterThan(200);
  await runAll(cases);
  expect(problems).toEqual([]);
  expect(await tableCounts()).toEqual(before);
}, 120_000);
