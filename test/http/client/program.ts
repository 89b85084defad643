import createClient from 'openapi-fetch';
// Generated from schema/openapi.json by the test (openapi-typescript), into a temporary folder.
import type { components, paths } from 'generated-openapi';

/**
 * A small program a client team would write against the generated REST client: a create, an
 * action and a list, typed end to end by the OpenAPI document. test/http/generated-client.test.ts
 * type-checks it against freshly generated types (so this folder is outside the project's tsconfig)
 * and runs it against a live Base.
 */
type Event = components['schemas']['Event'];

export async function bookAndList(baseUrl: string, headers: Record<string, string>, name: string) {
  // JSON answers: a list's 200 also documents text/csv (`format=csv`), which this program does not ask for.
  const api = createClient<paths, 'application/json'>({ baseUrl, headers });

  const created = await api.POST('/api/events', { body: { name, startsAt: '2031-06-01T20:00:00Z', capacity: 500 } });
  if (!created.data) throw new Error(`createEvent: ${created.response.status} ${JSON.stringify(created.error)}`);
  const event: Event = created.data.data;

  const opened = await api.POST('/api/events/{id}/open-sales', { params: { path: { id: event.id } } });
  if (!opened.data) throw new Error(`openSalesEvent: ${opened.response.status} ${JSON.stringify(opened.error)}`);
  const status: Event['status'] = opened.data.data.status;

  const listed = await api.GET('/api/events', { params: { query: { q: name, type: 'upcoming', limit: 5 } } });
  if (!listed.data) throw new Error(`listEvents: ${listed.response.status} ${JSON.stringify(listed.error)}`);
  const names: string[] = listed.data.data.map((e) => e.name);
  const total: number = listed.data.meta.total;

  const refused = await api.POST('/api/events/{id}/open-sales', { params: { path: { id: event.id } } });
  const conflict: components['schemas']['Error']['error']['code'] | undefined = refused.error?.error.code;

  return { id: event.id, status, names, total, conflict };
}

/** What the generated types refuse, checked by the compiler only (never called). */
export async function refusedByTheTypes(api: ReturnType<typeof createClient<paths>>) {
  // @ts-expect-error a query parameter the operation does not take
  await api.GET('/api/events', { params: { query: { bogus: 1 } } });
  // @ts-expect-error a date-time is text, not a number
  await api.POST('/api/events', { body: { name: 'x', startsAt: 0 } });
  // @ts-expect-error a status the enum does not list
  await api.GET('/api/events', { params: { query: { status: 'open' } } });
  // @ts-expect-error a required field left out
  await api.POST('/api/artists', { body: {} });
}
