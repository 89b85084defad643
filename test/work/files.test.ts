import { createHash, randomBytes } from 'node:crypto';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expectRestError, expectRestValidation, UUID_RE } from '../support/assertions';
import { download, uploadFile } from '../support/files';
import { allBut, createVia, NO_SUCH_ID } from '../support/fixtures';
import { Caller, useTestBase } from '../support/harness';
import { eventually, sleep } from '../support/waiting';

/**
 * Files (`/api/files`, `basic.file.*`): streamed uploads into PostgreSQL and streamed downloads,
 * byte for byte, with ranges and ETags; the size limit; uploads cut short; attachments to records of
 * the company; references that keep a file; GraphQL uploads and their CSRF rule.
 */
const LIMIT = 1024 * 1024;
const base = useTestBase({ FILE_MAX_BYTES: String(LIMIT) });
let admin: Caller;

beforeAll(async () => {
  admin = await base.caller();
});

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const countFiles = async (companyId = admin.companyId) =>
  Number((await base.sql<{ n: string }>(`SELECT count(*) AS n FROM "${base.schema}".files WHERE company_id = $1`, [companyId]))[0].n);
const countChunks = async (companyId = admin.companyId) =>
  Number((await base.sql<{ n: string }>(`SELECT count(*) AS n FROM "${base.schema}".file_chunks WHERE company_id = $1`, [companyId]))[0].n);

describe('Files: upload and download', () => {
  test('a binary file goes in and comes out byte for byte, with its metadata, hash and history', async () => {
    const bytes = randomBytes(700 * 1024 + 13); // three chunks, the last a short one
    const res = await uploadFile(base, admin, bytes, { name: 'rider.pdf', type: 'application/pdf' });
    expect(res.status).toBe(201);
    const file = res.body.data;
    expect(file).toMatchObject({
      name: 'rider.pdf',
      contentType: 'application/pdf',
      size: bytes.length,
      sha256: sha256(bytes),
      entityType: null,
      entityId: null,
      createdBy: admin.userId,
      version: 1,
    });
    expect(file.id).toMatch(UUID_RE);
    expect((await base.rest('GET', `/api/files/${file.id}`, { as: admin })).body.data).toEqual(file);

    const got = await download(base, admin, file.id);
    expect(got.status).toBe(200);
    expect(got.bytes.equals(bytes)).toBe(true);
    expect(got.headers.get('content-type')).toBe('application/pdf');
    expect(got.headers.get('content-length')).toBe(String(bytes.length));
    expect(got.headers.get('etag')).toBe(`"${sha256(bytes)}"`);
    expect(got.headers.get('accept-ranges')).toBe('bytes');
    expect(got.headers.get('content-disposition')).toBe('inline; filename=rider.pdf');
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');

    const history = (await base.rest('GET', `/api/files/${file.id}/history`, { as: admin })).body.data;
    expect(history.map((e: { type: string }) => e.type)).toEqual(['file.created']);
  });

  test('a Range request answers 206 with exactly those bytes (across a chunk boundary); outside the file is 416', async () => {
    const bytes = randomBytes(600 * 1024);
    const file = (await uploadFile(base, admin, bytes)).body.data;
    const from = 256 * 1024 - 10;
    const to = 256 * 1024 + 9;
    const part = await download(base, admin, file.id, { range: `bytes=${from}-${to}` });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes ${from}-${to}/${bytes.length}`);
    expect(part.bytes.equals(bytes.subarray(from, to + 1))).toBe(true);

    const tail = await download(base, admin, file.id, { range: 'bytes=-100' });
    expect(tail.status).toBe(206);
    expect(tail.bytes.equals(bytes.subarray(bytes.length - 100))).toBe(true);

    const outside = await download(base, admin, file.id, { range: `bytes=${bytes.length}-` });
    expect(outside.status).toBe(416);
    expect(outside.headers.get('content-range')).toBe(`bytes */${bytes.length}`);
    expect(JSON.parse(outside.bytes.toString()).error.code).toBe('RANGE_NOT_SATISFIABLE');

    // An If-Range that no longer matches gets the whole file.
    const stale = await download(base, admin, file.id, { range: 'bytes=0-9', 'if-range': '"other"' });
    expect(stale.status).toBe(200);
    expect(stale.bytes.length).toBe(bytes.length);
  });

  test('If-None-Match with the ETag is 304 without a body; an empty file downloads empty', async () => {
    const bytes = Buffer.from('hello');
    const file = (await uploadFile(base, admin, bytes, { name: 'a.txt', type: 'text/plain' })).body.data;
    const again = await download(base, admin, file.id, { 'if-none-match': `"${sha256(bytes)}"` });
    expect(again.status).toBe(304);
    expect(again.bytes.length).toBe(0);

    const empty = (await uploadFile(base, admin, new Uint8Array(0), { name: 'empty.bin' })).body.data;
    expect(empty).toMatchObject({ size: 0, sha256: sha256(new Uint8Array(0)) });
    const got = await download(base, admin, empty.id);
    expect(got.status).toBe(200);
    expect(got.bytes.length).toBe(0);
  });

  test('anything a browser would run is served as an attachment, sandboxed, with a sanitised name', async () => {
    const sent = await uploadFile(base, admin, Buffer.from('<script>alert(1)</script>'), { name: 'C:\\fakepath\\..\\../evil x.html', type: 'text/html' });
    expect(sent.status).toBe(201);
    const html = sent.body.data;
    expect(html.name).toBe('evil x.html');
    const got = await download(base, admin, html.id);
    expect(got.headers.get('content-type')).toBe('text/html');
    expect(got.headers.get('content-disposition')).toBe('attachment; filename="evil x.html"');
    expect(got.headers.get('content-security-policy')).toContain('sandbox');
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');

    const svg = (await uploadFile(base, admin, Buffer.from('<svg/>'), { name: 'ünïcode logo.svg', type: 'image/svg+xml' })).body.data;
    const disposition = (await download(base, admin, svg.id)).headers.get('content-disposition');
    expect(disposition).toBe(`attachment; filename="?n?code logo.svg"; filename*=UTF-8''%C3%BCn%C3%AFcode%20logo.svg`);

    const text = (await uploadFile(base, admin, Buffer.from('x'), { type: 'text/plain; format=flowed; charset=UTF-8' })).body.data;
    expect(text.contentType).toBe('text/plain');
  });
});

const hasCurl = spawnSync('curl', ['--version']).status === 0;
(hasCurl ? test : test.skip)(`the integration guide's own example, curl -F 'file=@example.pdf', uploads and downloads byte for byte${hasCurl ? '' : ' (skipped: no curl on this machine)'}`, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kisum-files-'));
  try {
    const bytes = randomBytes(LIMIT); // as large as allowed: curl asks `Expect: 100-continue` first
    await writeFile(join(dir, 'example.pdf'), bytes);
    const auth = ['-H', `Authorization: ${admin.headers.authorization}`, '-H', `x-org: ${admin.companyId}`];
    const run = promisify(execFile);
    const { stdout } = await run('curl', ['-s', '-X', 'POST', `${base.url}/api/files/upload`, ...auth, '-F', `file=@${join(dir, 'example.pdf')}`]);
    const file = JSON.parse(stdout).data;
    expect(file).toMatchObject({ name: 'example.pdf', contentType: 'application/pdf', size: bytes.length, sha256: sha256(bytes) });
    await run('curl', ['-s', '-o', join(dir, 'back.pdf'), `${base.url}/api/files/${file.id}/content`, ...auth]);
    expect((await readFile(join(dir, 'back.pdf'))).equals(bytes)).toBe(true);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

describe('Files: the limit and uploads that fail', () => {
  test('a file over FILE_MAX_BYTES is 413 PAYLOAD_TOO_LARGE and nothing is stored', async () => {
    const before = [await countFiles(), await countChunks()];
    const res = await uploadFile(base, admin, randomBytes(LIMIT + 1));
    expectRestError(res, 413, 'PAYLOAD_TOO_LARGE');
    expect([await countFiles(), await countChunks()]).toEqual(before);
    // Exactly the limit is fine.
    expect((await uploadFile(base, admin, randomBytes(LIMIT))).status).toBe(201);
  });

  test('a body whose declared length cannot fit is refused before it is read', async () => {
    const answer = await rawUpload({ declaredLength: 50 * LIMIT, send: 1000, end: false });
    expect(answer).toMatch(/^HTTP\/1.1 413/);
  });

  test('an upload whose connection drops mid-way leaves nothing behind', async () => {
    const before = [await countFiles(), await countChunks()];
    // More than one chunk arrives (and is written) before the sender goes away.
    await rawUpload({ declaredLength: 900 * 1024, send: 700 * 1024, end: true });
    // The rollback happens on the server's side of the closed socket, after the sender is gone.
    await eventually(async () => (await countChunks()) === before[1], 5000, 'the cut upload rolled back');
    expect([await countFiles(), await countChunks()]).toEqual(before);
    // The service still answers.
    expect((await uploadFile(base, admin, Buffer.from('after'))).status).toBe(201);
  });

  test('bad forms are 400 or 415 and store nothing', async () => {
    const before = await countFiles();
    expectRestError(await base.rest('POST', '/api/files/upload', { as: admin, body: { file: 'x' } }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    const noFile = new FormData();
    noFile.append('entityType', 'Event');
    const res = await fetch(`${base.url}/api/files/upload`, { method: 'POST', headers: admin.headers, body: noFile });
    expect(res.status).toBe(400);
    expect((await res.json()).error.details).toEqual([expect.objectContaining({ field: 'file' })]);
    expectRestValidation(await uploadFile(base, admin, Buffer.from('x'), { fields: { entityType: 'Event' } }), ['entityId']);
    expectRestValidation(await uploadFile(base, admin, Buffer.from('x'), { fields: { entityType: 'Nothing', entityId: NO_SUCH_ID } }), ['entityType']);
    expectRestValidation(await uploadFile(base, admin, Buffer.from('x'), { fields: { colour: 'red' } }), ['colour']);
    const bad = await fetch(`${base.url}/api/files/upload`, { method: 'POST', headers: { ...admin.headers, 'content-type': 'multipart/form-data' }, body: 'x' });
    expect(bad.status).toBe(400);
    expect(await countFiles()).toBe(before);
  });
});

/**
 * A multipart upload over a raw socket: the headers declare `declaredLength`, `send` bytes of the
 * body go out, then the socket ends (or is destroyed). Answers what the server sent back, if anything.
 */
function rawUpload(options: { declaredLength: number; send: number; end: boolean }): Promise<string> {
  const url = new URL(base.url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(url.port), url.hostname);
    let answer = '';
    socket.on('data', (d) => (answer += d.toString()));
    socket.on('close', () => resolve(answer));
    socket.on('error', () => resolve(answer));
    socket.on('connect', () => void (async () => {
      const boundary = 'xBOUNDARYx';
      const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`;
      socket.write(
        `POST /api/files/upload HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: ${admin.headers.authorization}\r\nx-org: ${admin.companyId}\r\n` +
          `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${options.declaredLength}\r\n\r\n${head}`,
      );
      socket.write(randomBytes(options.send));
      if (options.end) {
        // Real time: the server takes in (and writes) what was sent, inside the upload's transaction,
        // where nothing outside it can see the progress; then the sender goes away mid-body.
        await sleep(500);
        socket.destroy();
      } else {
        // A bound, not a wait: the server answers and closes first.
        setTimeout(() => socket.destroy(), 2000);
      }
    })());
  });
}

describe('Files: attachments, references and delete', () => {
  test('attached to a record of the company, listed by entity; another company\'s record or an unknown id is 404; attaching needs the view permission of the record', async () => {
    const artist = await createVia(base, admin, '/api/artists', { name: 'Attached Band' });
    const fields = { entityType: 'Artist', entityId: artist.id };
    const attached = await uploadFile(base, admin, Buffer.from('press kit'), { name: 'kit.txt', type: 'text/plain', fields });
    expect(attached.status).toBe(201);
    expect(attached.body.data).toMatchObject(fields);
    const listed = await base.rest('GET', `/api/files?entityType=Artist&entityId=${artist.id}`, { as: admin });
    expect(listed.body.data.map((f: { id: string }) => f.id)).toEqual([attached.body.data.id]);
    expect(listed.body.meta.total).toBe(1);

    const other = await base.caller(undefined, { company: base.companyB });
    const foreign = await createVia(base, other, '/api/artists', { name: 'Foreign Band' });
    const before = await countFiles();
    expectRestError(await uploadFile(base, admin, Buffer.from('x'), { fields: { entityType: 'Artist', entityId: foreign.id } }), 404, 'NOT_FOUND');
    expectRestError(await uploadFile(base, admin, Buffer.from('x'), { fields: { entityType: 'Artist', entityId: NO_SUCH_ID } }), 404, 'NOT_FOUND');
    const blind = await base.caller(allBut('basic.artist.view'));
    expectRestError(await uploadFile(base, blind, Buffer.from('x'), { fields }), 403, 'FORBIDDEN');
    expect(await countFiles()).toBe(before);
  });

  test('a file attached to a record that is deleted stays, detached, with the detachment in its history', async () => {
    const artist = await createVia(base, admin, '/api/artists', { name: 'Short-lived Band' });
    const file = (await uploadFile(base, admin, Buffer.from('photo'), { fields: { entityType: 'Artist', entityId: artist.id } })).body.data;
    expect((await base.rest('DELETE', `/api/artists/${artist.id}`, { as: admin })).status).toBe(204);
    const after = (await base.rest('GET', `/api/files/${file.id}`, { as: admin })).body.data;
    expect(after).toMatchObject({ entityType: null, entityId: null, version: 2 });
    const history = (await base.rest('GET', `/api/files/${file.id}/history`, { as: admin })).body.data;
    expect(history[0]).toMatchObject({ type: 'file.updated', payload: { detachedFrom: { entityType: 'Artist', entityId: artist.id } } });
    expect((await download(base, admin, file.id)).bytes.toString()).toBe('photo');
  });

  test("the company's logo must be a file of the company, and a file in use cannot be deleted (409 naming what uses it)", async () => {
    const logo = (await uploadFile(base, admin, randomBytes(100), { name: 'logo.png', type: 'image/png' })).body.data;
    expectRestValidation(await base.rest('PUT', '/api/companies/current', { as: admin, body: { logoFileId: NO_SUCH_ID } }), ['logoFileId']);
    const other = await base.caller(undefined, { company: base.companyB });
    const foreign = (await uploadFile(base, other, Buffer.from('theirs'))).body.data;
    expectRestValidation(await base.rest('PUT', '/api/companies/current', { as: admin, body: { logoFileId: foreign.id } }), ['logoFileId']);
    expectRestError(await base.rest('GET', `/api/files/${foreign.id}/content`, { as: admin }), 404, 'NOT_FOUND');
    expectRestError(await base.rest('DELETE', `/api/files/${foreign.id}`, { as: admin }), 404, 'NOT_FOUND');

    expect((await base.rest('PUT', '/api/companies/current', { as: admin, body: { logoFileId: logo.id } })).status).toBe(200);
    const refused = expectRestError(await base.rest('DELETE', `/api/files/${logo.id}`, { as: admin }), 409, 'CONFLICT');
    expect(refused.details).toEqual([{ referencedBy: 'companies', field: 'logoFileId', count: 1 }]);
    expect((await download(base, admin, logo.id)).status).toBe(200);

    expect((await base.rest('PUT', '/api/companies/current', { as: admin, body: { logoFileId: null } })).status).toBe(200);
    const chunksBefore = await countChunks();
    expect((await base.rest('DELETE', `/api/files/${logo.id}`, { as: admin })).status).toBe(204);
    expect(await countChunks()).toBe(chunksBefore - 1);
    expectRestError(await base.rest('GET', `/api/files/${logo.id}/content`, { as: admin }), 404, 'NOT_FOUND');
  });

  test('permissions: view to list, read and download; create to upload; delete to delete', async () => {
    const file = (await uploadFile(base, admin, Buffer.from('guarded'))).body.data;
    const noView = await base.caller(allBut('basic.file.view'));
    for (const path of ['/api/files', `/api/files/${file.id}`, `/api/files/${file.id}/content`]) {
      expectRestError(await base.rest('GET', path, { as: noView }), 403, 'FORBIDDEN');
    }
    expectRestError(await uploadFile(base, await base.caller(allBut('basic.file.create')), Buffer.from('x')), 403, 'FORBIDDEN');
    expectRestError(await base.rest('DELETE', `/api/files/${file.id}`, { as: await base.caller(allBut('basic.file.delete')) }), 403, 'FORBIDDEN');
    expectRestError(await uploadFile(base, null, Buffer.from('x')), 401, 'UNAUTHENTICATED');
  });
});

describe('Files: GraphQL', () => {
  const UPLOAD = `mutation($file: Upload!, $entityType: String, $entityId: ID) {
    uploadFile(file: $file, entityType: $entityType, entityId: $entityId) { id name contentType size sha256 entityType entityId contentPath }
  }`;
  /** A graphql-multipart-request-spec request. */
  const multipart = (bytes: Uint8Array, variables: Record<string, unknown> = {}) => {
    const form = new FormData();
    form.append('operations', JSON.stringify({ query: UPLOAD, variables: { ...variables, file: null } }));
    form.append('map', JSON.stringify({ 0: ['variables.file'] }));
    form.append('0', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), 'pixel.png');
    return form;
  };

  test('uploadFile with the auth headers or apollo-require-preflight stores the file; contentPath gives its bytes', async () => {
    const bytes = randomBytes(300 * 1024);
    const res = await fetch(`${base.url}/graphql`, { method: 'POST', headers: admin.headers, body: multipart(bytes) });
    const body = await res.json();
    expect(body.errors).toBeUndefined();
    const file = body.data.uploadFile;
    expect(file).toMatchObject({ name: 'pixel.png', contentType: 'image/png', size: bytes.length, sha256: sha256(bytes), entityType: null });
    expect(file.contentPath).toBe(`/api/files/${file.id}/content`);
    const got = await fetch(`${base.url}${file.contentPath}`, { headers: admin.headers });
    expect(Buffer.from(await got.arrayBuffer()).equals(bytes)).toBe(true);

    const read = await base.gql(`query($id: ID!) { file(id: $id) { id size } files(filter: { entityType: "Nothing" }) { total } }`, { id: file.id }, { as: admin });
    expect(read.body.data).toEqual({ file: { id: file.id, size: bytes.length }, files: { total: 0 } });
    expect((await base.gql(`mutation($id: ID!) { deleteFile(id: $id) }`, { id: file.id }, { as: admin })).body.data).toEqual({ deleteFile: file.id });
  });

  test('a multipart request without a preflight header is refused before it is read; nothing is stored', async () => {
    const before = await countFiles();
    const res = await fetch(`${base.url}/graphql`, { method: 'POST', body: multipart(Buffer.from('csrf')) });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(body.errors[0].message).toContain('apollo-require-preflight');
    // With the preflight header but no token it gets as far as authentication.
    const anonymous = await fetch(`${base.url}/graphql`, { method: 'POST', headers: { 'apollo-require-preflight': 'true' }, body: multipart(Buffer.from('csrf')) });
    expect(anonymous.status).toBe(401);
    expect(await countFiles()).toBe(before);
  });

  test('over the limit is PAYLOAD_TOO_LARGE; attaching to another company\'s record is NOT_FOUND; nothing is stored', async () => {
    const before = [await countFiles(), await countChunks()];
    const big = await (await fetch(`${base.url}/graphql`, { method: 'POST', headers: admin.headers, body: multipart(randomBytes(LIMIT + 1)) })).json();
    expect(big.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    const other = await base.caller(undefined, { company: base.companyB });
    const foreign = await createVia(base, other, '/api/artists', { name: 'Not yours' });
    const res = await (await fetch(`${base.url}/graphql`, { method: 'POST', headers: admin.headers, body: multipart(Buffer.from('x'), { entityType: 'Artist', entityId: foreign.id }) })).json();
    expect(res.errors[0].extensions.code).toBe('NOT_FOUND');
    expect([await countFiles(), await countChunks()]).toEqual(before);
  });
});
