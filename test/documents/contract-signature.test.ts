import { ALL_PERMISSIONS } from '../../src/permissions/catalog';
import { expectGqlError, expectGqlValidation, expectRestError, expectRestValidation, gqlData } from '../support/assertions';
import { allBut, createVia } from '../support/fixtures';
import { Caller, useTestBase } from '../support/harness';
import { errorCode, getPdf, pdfText, sha256 } from '../support/pdf';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * The contract (`GET /api/agreements/{id}/document`, `Agreement.documentUrl`) and its signature
 * (`POST /api/agreements/{id}/sign`, `signAgreement`): the document shows the terms kept when the
 * offer was accepted; signing keeps exactly those bytes as a file of the agreement with the evidence
 * (signer, time, caller, address, user agent, SHA-256), and the document answers them from then on.
 */
const base = useTestBase();
let admin: Caller;
let day = 0;
const SIGNER = { signerName: 'Jónsi Birgisson', signerEmail: 'jonsi@example.com' };

beforeAll(async () => {
  admin = await base.caller(ALL_PERMISSIONS, { company: base.companyA });
  const res = await base.rest('PUT', '/api/companies/current', { as: admin, body: { displayName: 'Harbour Live', legalName: 'Harbour Live LLC' } });
  expect(res.status).toBe(200);
});

/** An accepted offer's agreement (draft), and `sent` when asked. */
async function agreement(actor = admin, sent = true): Promise<any> {
  const artist = await createVia(base, actor, '/api/artists', { name: 'The Band' });
  const venue = await createVia(base, actor, '/api/venues', { name: 'Hall' });
  const date = `2035-03-${String((day++ % 28) + 1).padStart(2, '0')}`;
  const offer = await createVia(base, actor, '/api/offers', {
    artistId: artist.id, venueId: venue.id, date, dealType: 'plus', currency: 'EUR', guarantee: 120000, percentage: 7000, percentageOf: 'net',
    expenseCap: 80000, promoterProfit: 1000, radius: { km: 100, days: 14 }, terms: 'Two dressing rooms.',
  });
  for (const action of ['send', 'accept']) expect((await base.rest('POST', `/api/offers/${offer.id}/${action}`, { as: actor, body: {} })).status).toBe(200);
  const id = (await base.rest('GET', `/api/offers/${offer.id}`, { as: actor })).body.data.agreementId;
  if (sent) expect((await base.rest('POST', `/api/agreements/${id}/send`, { as: actor, body: {} })).status).toBe(200);
  return { ...(await base.rest('GET', `/api/agreements/${id}`, { as: actor })).body.data, date, artist };
}

const sign = (id: string, body: unknown, actor = admin, headers: Record<string, string> = {}) =>
  base.rest('POST', `/api/agreements/${id}/sign`, { as: actor, body, headers });

test('the contract shows the parties and the kept terms; signing keeps exactly those bytes with the evidence', async () => {
  const made = await agreement();
  const before = await getPdf(base, admin, `/api/agreements/${made.id}/document`);
  expect(before.status).toBe(200);
  expect(before.headers.get('content-disposition')).toBe(`inline; filename=contract-The-Band-${made.date}.pdf`);
  const text = await pdfText(before.bytes);
  for (const line of [
    'Harbour Live',
    'Performance agreement',
    'Promoter Harbour Live, Harbour Live LLC',
    'Artist The Band',
    'Venue Hall',
    'Guarantee EUR 1,200.00',
    'Percentage 70% of net (after deal expenses)',
    'Expense cap EUR 800.00',
    'Promoter profit 10% of the deal expenses',
    'No other public performance within 100 km for 14 days before and after the show.',
    'Two dressing rooms.',
  ]) {
    expect(text).toContain(line);
  }

  const started = Date.now();
  const res = await sign(made.id, SIGNER, admin, { 'user-agent': 'ContractTest/1.0', 'x-forwarded-for': '203.0.113.7' });
  expect(res.status).toBe(200);
  const signed = res.body.data;
  expect(signed).toMatchObject({
    status: 'signed',
    documentFileId: expect.any(String),
    signature: { ...SIGNER, signedBy: admin.userId, documentSha256: sha256(before.bytes), ipAddress: '203.0.113.7', userAgent: 'ContractTest/1.0' },
  });
  expect(signed.signature.signedAt).toBe(signed.signedAt);
  expect(new Date(signed.signedAt).getTime()).toBeGreaterThanOrEqual(started - 1000);

  // The kept file is the document as signed, attached to the agreement.
  const file = (await base.rest('GET', `/api/files/${signed.documentFileId}`, { as: admin })).body.data;
  expect(file).toMatchObject({ sha256: sha256(before.bytes), size: before.bytes.length, contentType: 'application/pdf', entityType: 'Agreement', entityId: made.id });

  // Renaming the artist changes what a new contract would say, not the signed one.
  expect((await base.rest('PUT', `/api/artists/${made.artistId}`, { as: admin, body: { name: 'The Renamed Band' } })).status).toBe(200);
  const after = await getPdf(base, admin, `/api/agreements/${made.id}/document`);
  expect(after.bytes.equals(before.bytes)).toBe(true);
  expect(after.headers.get('etag')).toBe(`"${signed.signature.documentSha256}"`);
  expect((await getPdf(base, admin, `/api/agreements/${made.id}/document`, { 'if-none-match': `"${signed.signature.documentSha256}"` })).status).toBe(304);

  // Signed once: again is 409, and nothing changes.
  expectRestError(await sign(made.id, SIGNER), 409, 'CONFLICT');
  expect((await base.rest('GET', `/api/agreements/${made.id}`, { as: admin })).body.data).toEqual(signed);
});

test('a sign without a signer is 400 naming each field, and so is a bad email; from draft it is 409', async () => {
  const made = await agreement();
  expectRestValidation(await sign(made.id, {}), ['signerName', 'signerEmail']);
  expectRestValidation(await sign(made.id, { signerName: '  ', signerEmail: 'not-an-email' }), ['signerName', 'signerEmail']);
  expect((await base.rest('GET', `/api/agreements/${made.id}`, { as: admin })).body.data).toMatchObject({ status: 'sent', signature: null, documentFileId: null });
  const draft = await agreement(admin, false);
  expect(expectRestError(await sign(draft.id, SIGNER), 409, 'CONFLICT').message).toContain('is draft');
});

test('GraphQL: signAgreement records the same evidence; Agreement.signature, documentFileId and documentUrl', async () => {
  const made = await agreement();
  const expected = sha256((await getPdf(base, admin, `/api/agreements/${made.id}/document`)).bytes);
  const missing = await base.gql(`mutation($id: ID!) { signAgreement(id: $id) { id } }`, { id: made.id }, { as: admin });
  expect(missing.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  expectGqlValidation(
    await base.gql(`mutation($id: ID!, $input: AgreementSignInput!) { signAgreement(id: $id, input: $input) { id } }`, { id: made.id, input: { signerName: 'A', signerEmail: 'nope' } }, { as: admin }),
    ['signAgreement'],
    ['signerEmail'],
  );
  const data = gqlData(
    await base.gql(
      `mutation($id: ID!, $input: AgreementSignInput!) { signAgreement(id: $id, input: $input) { status documentFileId documentUrl signature { signerName signerEmail signedAt signedBy documentSha256 } } }`,
      { id: made.id, input: SIGNER },
      { as: admin, headers: { 'user-agent': 'GraphQLTest/2.0' } },
    ),
  );
  expect(data.signAgreement).toEqual({
    status: 'SIGNED',
    documentFileId: expect.any(String),
    documentUrl: `/api/agreements/${made.id}/document`,
    signature: { ...SIGNER, signedAt: expect.any(String), signedBy: admin.userId, documentSha256: expected },
  });
  const read = gqlData(await base.gql(`query($id: ID!) { agreement(id: $id) { signature { userAgent } } }`, { id: made.id }, { as: admin }));
  expect(read.agreement.signature).toEqual({ userAgent: 'GraphQLTest/2.0' });
  expectGqlError(
    await base.gql(`mutation($id: ID!, $input: AgreementSignInput!) { signAgreement(id: $id, input: $input) { id } }`, { id: made.id, input: SIGNER }, { as: admin }),
    'CONFLICT',
    ['signAgreement'],
  );
});

test('two signatures at once: one wins, one file is kept', async () => {
  const made = await agreement();
  const answers = await Promise.all([1, 2, 3].map((n) => sign(made.id, { ...SIGNER, signerName: `Signer ${n}` })));
  expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409]);
  const files = (await base.rest('GET', `/api/files?entityType=Agreement&entityId=${made.id}`, { as: admin })).body.data;
  expect(files.map((f: any) => f.id)).toEqual([answers.find((a) => a.status === 200)!.body.data.documentFileId]);
});

test('the document needs basic.agreement.view and signing basic.agreement.edit; another company\'s agreement is 404', async () => {
  const made = await agreement();
  const noView = await base.caller(allBut('basic.agreement.view'), { company: base.companyA });
  const refused = await getPdf(base, noView, `/api/agreements/${made.id}/document`);
  expect([refused.status, errorCode(refused)]).toEqual([403, 'FORBIDDEN']);
  expectRestError(await sign(made.id, SIGNER, await base.caller(allBut('basic.agreement.edit'), { company: base.companyA })), 403, 'FORBIDDEN');
  const outsider = await base.caller(ALL_PERMISSIONS, { company: base.companyB });
  const foreign = await getPdf(base, outsider, `/api/agreements/${made.id}/document`);
  expect([foreign.status, errorCode(foreign)]).toEqual([404, 'NOT_FOUND']);
  expectRestError(await sign(made.id, SIGNER, outsider), 404, 'NOT_FOUND');
  expect((await base.rest('GET', `/api/agreements/${made.id}`, { as: admin })).body.data.status).toBe('sent');
});
