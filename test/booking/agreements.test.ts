import { agreementFamily } from '../../src/modules/agreements';
import { expectGqlError, expectRestError, expectRestValidation, gqlData } from '../support/assertions';
import { uploadFile } from '../support/files';
import { allBut, createVia, NO_SUCH_ID } from '../support/fixtures';
import { Caller, useTestBase } from '../support/harness';
import { stateMachineSuite } from '../support/state-machine-suite';

/**
 * Agreements (`/api/agreements`, `basic.agreement.*`): made only by accepting an offer; send, sign,
 * cancel; immutable once signed; events naming who made the offer; relations; tenancy.
 */
const base = useTestBase();
let admin: Caller;
let day = 0;
const freshDate = () => `2034-${String((Math.floor(day / 28) % 12) + 1).padStart(2, '0')}-${String((day++ % 28) + 1).padStart(2, '0')}`;

beforeAll(async () => {
  admin = await base.caller();
});

/* eslint-disable @typescript-eslint/no-explicit-any */
/** An offer made by `maker`, sent and accepted by `actor`: its agreement (draft). */
async function agreement(actor = admin, maker = actor): Promise<any> {
  const artistId = (await createVia(base, maker, '/api/artists', { name: 'Band' })).id;
  const venueId = (await createVia(base, maker, '/api/venues', { name: 'Hall' })).id;
  const offer = await createVia(base, maker, '/api/offers', { artistId, venueId, date: freshDate(), dealType: 'flat', guarantee: 5000, terms: 'Rider' });
  expect((await base.rest('POST', `/api/offers/${offer.id}/send`, { as: actor })).status).toBe(200);
  const accepted = await base.rest('POST', `/api/offers/${offer.id}/accept`, { as: actor });
  expect(accepted.status).toBe(200);
  return (await base.rest('GET', `/api/agreements/${accepted.body.data.agreementId}`, { as: actor })).body.data;
}
/** What `sign` takes: who signs (test/documents/contract-signature.test.ts covers the evidence). */
const SIGNER = { signerName: 'Signer', signerEmail: 'signer@example.com' };
const act = (id: string, action: string, actor = admin) =>
  base.rest('POST', `/api/agreements/${id}/${action}`, { as: actor, body: action === 'sign' ? SIGNER : {} });
const read = async (id: string, actor = admin) => (await base.rest('GET', `/api/agreements/${id}`, { as: actor })).body.data;
const signed = async (actor = admin, maker = actor) => {
  const made = await agreement(actor, maker);
  expect((await act(made.id, 'send', actor)).status).toBe(200);
  expect((await act(made.id, 'sign', actor)).status).toBe(200);
  return read(made.id, actor);
};

describe('made only by accepting an offer', () => {
  test('no create on either surface: POST is 405, createAgreement is not in the schema', async () => {
    expectRestError(await base.rest('POST', '/api/agreements', { as: admin, body: { offerId: NO_SUCH_ID } }), 405, 'METHOD_NOT_ALLOWED');
    const res = await base.gql(`mutation { createAgreement(input: {}) { id } }`, {}, { as: admin });
    expect(res.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  test('the agreement of an accepted offer, listed and filtered by offer, artist and status', async () => {
    const made = await agreement();
    expect(made).toMatchObject({ status: 'draft', signedAt: null, documentFileId: null, createdBy: admin.userId, version: 1 });
    const ids = async (q: string) => (await base.rest('GET', `/api/agreements?${q}`, { as: admin })).body.data.map((a: any) => a.id);
    expect(await ids(`offerId=${made.offerId}`)).toEqual([made.id]);
    expect(await ids(`artistId=${made.artistId}&status=draft`)).toEqual([made.id]);
    expect(await ids(`artistId=${made.artistId}&status=signed`)).toEqual([]);
    expectRestValidation(await base.rest('GET', '/api/agreements?status=done', { as: admin }), ['status']);
  });
});

describe('signing', () => {
  test('sign records signedAt and the signature; the moves are in the history with who made the offer', async () => {
    const maker = await base.caller();
    const made = await agreement(admin, maker);
    expect((await act(made.id, 'send')).status).toBe(200);
    base.clock.advance(86_400_000); // a day on: signedAt is the clock's, not the machine's
    const before = base.clock.now().getTime();
    const res = await act(made.id, 'sign');
    expect(res.body.data).toMatchObject({ status: 'signed', version: 3, signature: { ...SIGNER, signedBy: admin.userId } });
    expect(Date.parse(res.body.data.signedAt)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(res.body.data.signedAt)).toBeLessThanOrEqual(base.clock.now().getTime());
    const history = (await base.rest('GET', `/api/agreements/${made.id}/history`, { as: admin })).body.data;
    expect(history.map((e: any) => [e.type, e.payload.affects])).toEqual([
      ['agreement.signed', [maker.userId]],
      ['agreement.sent', [maker.userId]],
      ['agreement.created', undefined],
    ]);
  });

  test('a signed agreement is immutable: edit, delete and cancel are 409 and change nothing', async () => {
    const done = await signed();
    expect(expectRestError(await base.rest('PUT', `/api/agreements/${done.id}`, { as: admin, body: { documentFileId: NO_SUCH_ID } }), 409, 'CONFLICT').message).toContain('signed');
    expectRestError(await base.rest('DELETE', `/api/agreements/${done.id}`, { as: admin }), 409, 'CONFLICT');
    expectRestError(await act(done.id, 'cancel'), 409, 'CONFLICT');
    expectGqlError(await base.gql(`mutation($id: ID!) { deleteAgreement(id: $id) }`, { id: done.id }, { as: admin }), 'CONFLICT', ['deleteAgreement']);
    expect(await read(done.id)).toEqual(done);
  });

  test('an unsigned agreement takes its document and may be deleted; its offer stays accepted without it', async () => {
    const made = await agreement();
    // The document is a file of the company; an id that names none is refused on the field.
    expectRestValidation(await base.rest('PUT', `/api/agreements/${made.id}`, { as: admin, body: { documentFileId: NO_SUCH_ID } }), ['documentFileId']);
    const document = (await uploadFile(base, admin, Buffer.from('%PDF-1.7 signed'), { name: 'signed.pdf', type: 'application/pdf' })).body.data;
    const res = await base.rest('PUT', `/api/agreements/${made.id}`, { as: admin, body: { documentFileId: document.id, version: 1 } });
    expect(res.body.data).toMatchObject({ documentFileId: document.id, version: 2 });
    // Named by the agreement, the file cannot be deleted; with the agreement gone, it can.
    const refused = expectRestError(await base.rest('DELETE', `/api/files/${document.id}`, { as: admin }), 409, 'CONFLICT');
    expect(refused.details).toEqual([{ referencedBy: 'agreements', field: 'documentFileId', count: 1 }]);
    expectRestValidation(await base.rest('PUT', `/api/agreements/${made.id}`, { as: admin, body: { terms: {} } }), ['terms']);
    expect((await base.rest('DELETE', `/api/agreements/${made.id}`, { as: admin })).status).toBe(204);
    const offer = (await base.rest('GET', `/api/offers/${made.offerId}`, { as: admin })).body.data;
    expect(offer).toMatchObject({ status: 'accepted', agreementId: null });
    const offerHistory = (await base.rest('GET', `/api/offers/${made.offerId}/history?limit=1`, { as: admin })).body.data;
    expect(offerHistory[0]).toMatchObject({ type: 'offer.agreement-deleted', payload: { agreementId: made.id } });
    expect((await base.rest('DELETE', `/api/files/${document.id}`, { as: admin })).status).toBe(204);
  });
});

describe('relations, permissions and tenancy', () => {
  test('GraphQL: Agreement.offer and .artist, each under its own view permission, batched over a list', async () => {
    const actor = await base.caller(undefined, { company: base.companyB });
    const made = [await agreement(actor), await agreement(actor), await agreement(actor)];
    const query = `{ agreements(limit: 10) { items { id status terms offer { id status } artist { id name } } } }`;
    const statements = base.statements();
    const data = gqlData(await base.gql(query, {}, { as: actor }));
    const used = base.statements() - statements;
    expect(data.agreements.items.map((a: any) => [a.id, a.offer.id, a.artist.id])).toEqual(made.map((a) => [a.id, a.offerId, a.artistId]));
    expect(data.agreements.items[0]).toMatchObject({ status: 'DRAFT', terms: { dealType: 'flat', guarantee: 5000, terms: 'Rider' }, offer: { status: 'ACCEPTED' } });
    // One list, one batch of offers, one of artists (each a short unit of work), whatever the count.
    expect(used).toBeLessThanOrEqual(15);
    const noOffers = await base.caller(allBut('basic.offer.view'), { company: base.companyB });
    const denied = await base.gql(`query($id: ID!) { agreement(id: $id) { id offer { id } artist { id } } }`, { id: made[0].id }, { as: noOffers });
    expect(denied.body.errors?.map((e) => [e.extensions?.code, e.path])).toEqual([['FORBIDDEN', ['agreement', 'offer']]]);
    expect(denied.body.data?.agreement).toEqual({ id: made[0].id, offer: null, artist: { id: made[0].artistId } });
  });

  test('each route and action needs its permission', async () => {
    const made = await agreement();
    const cases: [string, string, string, unknown?][] = [
      ['basic.agreement.view', 'GET', `/api/agreements/${made.id}`],
      ['basic.agreement.view', 'GET', '/api/agreements'],
      ['basic.agreement.edit', 'PUT', `/api/agreements/${made.id}`, { documentFileId: null }],
      ['basic.agreement.delete', 'DELETE', `/api/agreements/${made.id}`],
      ...['send', 'sign', 'cancel'].map((a): [string, string, string, unknown] => ['basic.agreement.edit', 'POST', `/api/agreements/${made.id}/${a}`, {}]),
    ];
    for (const [permission, method, path, payload] of cases) {
      const lacking = await base.caller(allBut(permission));
      expect({ path, method, status: (await base.rest(method, path, { as: lacking, body: payload })).status }).toEqual({ path, method, status: 403 });
    }
    expect((await read(made.id)).version).toBe(1);
  });

  test("another company's agreement is absent on every route", async () => {
    const outsider = await base.caller(undefined, { company: base.companyB });
    const theirs = await agreement(outsider);
    for (const [method, path] of [
      ['GET', `/api/agreements/${theirs.id}`],
      ['PUT', `/api/agreements/${theirs.id}`],
      ['DELETE', `/api/agreements/${theirs.id}`],
      ['POST', `/api/agreements/${theirs.id}/sign`],
      ['GET', `/api/agreements/${theirs.id}/history`],
    ]) {
      expectRestError(await base.rest(method, path, { as: admin, body: method === 'PUT' ? { documentFileId: null } : method === 'POST' ? SIGNER : undefined }), 404, 'NOT_FOUND');
    }
    expect(gqlData(await base.gql(`query($id: ID!) { agreement(id: $id) { id } }`, { id: theirs.id }, { as: admin })).agreement).toBeNull();
    expect((await read(theirs.id, outsider)).status).toBe('draft');
  });
});

describe('Agreement machine', () => {
  stateMachineSuite({
    base,
    family: agreementFamily,
    caller: () => base.caller(),
    path: (id) => `/api/agreements/${id}`,
    input: (action) => (action === 'sign' ? SIGNER : undefined),
    async reach(actor, state) {
      const made = await agreement(actor);
      if (state === 'sent' || state === 'signed') expect((await act(made.id, 'send', actor)).status).toBe(200);
      if (state === 'signed') expect((await act(made.id, 'sign', actor)).status).toBe(200);
      if (state === 'cancelled') expect((await act(made.id, 'cancel', actor)).status).toBe(200);
      return made.id;
    },
  });
});
