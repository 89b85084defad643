import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { expectRestError } from '../support/assertions';
import { uploadFile } from '../support/files';
import { Actor, useTestBase } from '../support/harness';

/**
 * A REST upload holds a database connection while its body arrives, so uploads are bounded: at most
 * FILE_UPLOADS_MAX_CONCURRENT at once on an instance (one more is 429 with Retry-After, at once, not
 * queued for a connection), and one that sends nothing for FILE_UPLOAD_IDLE_MS is dropped with
 * nothing kept — so a slow or stalled sender cannot starve the pool.
 */
const base = useTestBase({ FILE_UPLOADS_MAX_CONCURRENT: '1', FILE_UPLOAD_IDLE_MS: '1500' });
let admin: Actor;
beforeAll(async () => {
  admin = await base.actor();
});

const files = async () => Number((await base.sql<{ n: string }>(`SELECT count(*) AS n FROM "${base.schema}".files`))[0].n);

/** An upload over a raw socket that sends its headers and the first bytes, then nothing, until `close()`. */
function stalledUpload(): { close(): void; closed: Promise<void> } {
  const url = new URL(base.url);
  const socket = net.connect(Number(url.port), url.hostname);
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.on('error', () => undefined);
  socket.on('connect', () => {
    const boundary = 'xSTALLx';
    socket.write(
      `POST /api/files/upload HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: ${admin.headers.authorization}\r\nx-org: ${admin.companyId}\r\n` +
        `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: 1000000\r\n\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="slow.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    );
    socket.write(randomBytes(1000));
  });
  return { close: () => socket.destroy(), closed };
}

const waitFor = async (check: () => Promise<boolean>, ms: number) => {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
};

test('with every upload slot taken, another upload is 429 with Retry-After at once; a freed slot takes the next', async () => {
  const slow = stalledUpload();
  // The slot is taken once the request reached the route; an upload then is refused.
  let refused: Awaited<ReturnType<typeof uploadFile>> | undefined;
  let before = 0; // uploads that got in before the stalled one reached the route
  await waitFor(async () => {
    refused = await uploadFile(base, admin, Buffer.from('second'));
    if (refused.status === 201) before++;
    return refused.status === 429;
  }, 4000);
  expectRestError(refused!, 429, 'RATE_LIMITED');
  expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThan(0);

  slow.close();
  await slow.closed;
  await waitFor(async () => (await uploadFile(base, admin, Buffer.from('third'))).status === 201, 4000);
  expect(await files()).toBe(before + 1);
});

test('an upload that sends nothing for FILE_UPLOAD_IDLE_MS is dropped: its connection closed, nothing kept, its slot free', async () => {
  const before = await files();
  const stalled = stalledUpload();
  const started = Date.now();
  // The server closes it (this side never does).
  await stalled.closed;
  expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(await files()).toBe(before);
  expect((await uploadFile(base, admin, Buffer.from('after'))).status).toBe(201);
});

test('a slow upload that keeps sending is not dropped', async () => {
  const url = new URL(base.url);
  const boundary = 'xSLOWx';
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="trickle.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  const pieces = 10;
  const piece = randomBytes(100);
  const answer = await new Promise<string>((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname);
    let text = '';
    socket.on('data', (d) => (text += d.toString()));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
    socket.on('connect', () => void (async () => {
      socket.write(
        `POST /api/files/upload HTTP/1.1\r\nHost: ${url.host}\r\nConnection: close\r\nAuthorization: ${admin.headers.authorization}\r\nx-org: ${admin.companyId}\r\n` +
          `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${head.length + pieces * piece.length + tail.length}\r\n\r\n${head}`,
      );
      // 10 × 300 ms = 3 s in all, twice the idle limit, but never idle that long.
      for (let i = 0; i < pieces; i++) {
        socket.write(piece);
        await new Promise((r) => setTimeout(r, 300));
      }
      socket.write(tail);
    })());
  });
  expect(answer).toMatch(/^HTTP\/1\.1 201/);
});
