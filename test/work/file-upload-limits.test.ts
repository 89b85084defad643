import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { expectRestError } from '../support/assertions';
import { uploadFile } from '../support/files';
import { Caller, useTestBase } from '../support/harness';
import { eventually, sleep } from '../support/waiting';

/**
 * A REST upload holds a database connection while its body arrives, so uploads are bounded: at most
 * FILE_UPLOADS_MAX_CONCURRENT at once on an instance (one more is 429 with Retry-After, at once, not
 * queued for a connection), and one that sends nothing for FILE_UPLOAD_IDLE_MS is dropped with
 * nothing kept — so a slow or stalled sender cannot starve the pool.
 */
type Base = ReturnType<typeof useTestBase>;
const files = async (base: Base) => Number((await base.sql<{ n: string }>(`SELECT count(*) AS n FROM "${base.schema}".files`))[0].n);

/** An upload over a raw socket that sends its headers and the first bytes, then nothing, until `close()`. */
function stalledUpload(base: Base, admin: Caller): { close(): void; closed: Promise<void> } {
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


describe('the upload slots', () => {
  // The idle limit is far off here, so the stalled upload keeps its slot however slow the machine is.
  const base = useTestBase({ FILE_UPLOADS_MAX_CONCURRENT: '1', FILE_UPLOAD_IDLE_MS: '60000' });
  let admin: Caller;
  beforeAll(async () => {
    admin = await base.caller();
  });

  /** The instance's `file_uploads_in_progress` gauge, as an operator sees it. */
  const uploadsInProgress = async () => {
    const gauge = base.server.metrics.registry.getSingleMetric('file_uploads_in_progress');
    return (await gauge!.get()).values[0]?.value ?? 0;
  };

  test('with every upload slot taken, another upload is 429 with Retry-After at once; a freed slot takes the next', async () => {
    const before = await files(base);
    const slow = stalledUpload(base, admin);
    // Nothing else uploads meanwhile, so the stalled upload is the one holding the only slot.
    await eventually(async () => (await uploadsInProgress()) === 1, 15_000);
    const refused = await uploadFile(base, admin, Buffer.from('second'));
    expectRestError(refused, 429, 'RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await uploadsInProgress()).toBe(1);

    slow.close();
    await slow.closed;
    await eventually(async () => (await uploadsInProgress()) === 0, 15_000);
    expect((await uploadFile(base, admin, Buffer.from('third'))).status).toBe(201);
    // The stalled upload kept nothing; the refused one wrote nothing.
    expect(await files(base)).toBe(before + 1);
  });
});

describe('the idle limit', () => {
  const base = useTestBase({ FILE_UPLOADS_MAX_CONCURRENT: '1', FILE_UPLOAD_IDLE_MS: '1500' });
  let admin: Caller;
  beforeAll(async () => {
    admin = await base.caller();
  });

  test('an upload that sends nothing for FILE_UPLOAD_IDLE_MS is dropped: its connection closed, nothing kept, its slot free', async () => {
    const before = await files(base);
    const stalled = stalledUpload(base, admin);
    // Real time: the socket's idle limit is what is tested.
    const started = Date.now();
    // The server closes it (this side never does).
    await stalled.closed;
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await files(base)).toBe(before);
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
        // Real time: 10 × 300 ms = 3 s in all, twice the idle limit, but never idle that long.
        for (let i = 0; i < pieces; i++) {
          socket.write(piece);
          await sleep(300);
        }
        socket.write(tail);
      })());
    });
    expect(answer).toMatch(/^HTTP\/1\.1 201/);
  });
});
