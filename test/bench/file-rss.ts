import { fork } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { once } from 'node:events';
import { startTestBase } from '../support/harness';

/**
 * The service's peak RSS while a 100 MiB file goes up (`POST /api/files/upload`) and comes back
 * (`GET /api/files/{id}/content`). The service runs in a child process (this file, with `child`) so
 * its memory is its own; the parent streams the bytes from a 1 MiB pattern and samples the child's
 * VmRSS from /proc. Streaming both ways, the peak must stay far below the file's size.
 */
const FILE_MIB = Number(process.env.BENCH_FILE_MIB ?? 100);
const MIB = 1024 * 1024;
const SAMPLE_MS = 20;

interface Ready {
  url: string;
  headers: Record<string, string>;
}

/** In the child: one Base (fresh schema, fake Auth), its address and an actor's headers sent up. */
async function child(): Promise<void> {
  const base = await startTestBase({ FILE_MAX_BYTES: String((FILE_MIB + 1) * MIB) });
  const actor = await base.actor();
  process.send!({ url: base.url, headers: actor.headers } satisfies Ready);
  process.on('message', (m) => {
    if (m === 'stop') void base.close().finally(() => process.exit(0));
  });
}

const rssKib = (pid: number): number => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
};

/** Peak RSS of `pid` (MiB) while `work` runs. */
async function peakWhile(pid: number, work: () => Promise<void>): Promise<number> {
  let peak = rssKib(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssKib(pid))), SAMPLE_MS);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, rssKib(pid)) / 1024;
}

async function upload(ready: Ready, pattern: Buffer): Promise<{ id: string; sha256: string }> {
  const boundary = `bench${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const req = http.request(`${ready.url}/api/files/upload`, {
    method: 'POST',
    headers: { ...ready.headers, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(head.length + FILE_MIB * MIB + tail.length) },
  });
  const answer = once(req, 'response') as Promise<[http.IncomingMessage]>;
  req.write(head);
  for (let i = 0; i < FILE_MIB; i++) if (!req.write(pattern)) await once(req, 'drain');
  req.end(tail);
  const [res] = await answer;
  let text = '';
  for await (const chunk of res) text += chunk;
  if (res.statusCode !== 201) throw new Error(`upload answered ${res.statusCode}: ${text.slice(0, 300)}`);
  return JSON.parse(text).data;
}

async function download(ready: Ready, id: string): Promise<string> {
  const req = http.get(`${ready.url}/api/files/${id}/content`, { headers: ready.headers });
  const [res] = (await once(req, 'response')) as [http.IncomingMessage];
  if (res.statusCode !== 200) throw new Error(`download answered ${res.statusCode}`);
  const hash = createHash('sha256');
  for await (const chunk of res) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Runs the measurement and prints one line per direction. */
export async function benchFileRss(): Promise<void> {
  const service = fork(__filename, ['child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const [ready] = (await once(service, 'message')) as [Ready];
    const pid = service.pid!;
    const pattern = randomBytes(MIB);
    const idle = rssKib(pid) / 1024;
    let file!: { id: string; sha256: string };
    const up = await peakWhile(pid, async () => void (file = await upload(ready, pattern)));
    let downloaded = '';
    const down = await peakWhile(pid, async () => void (downloaded = await download(ready, file.id)));
    if (downloaded !== file.sha256) throw new Error('the downloaded bytes differ from the uploaded ones');
    const line = (label: string, mib: number) =>
      console.log(`${label.padEnd(58)} peak RSS ${mib.toFixed(0).padStart(5)} MiB   (idle ${idle.toFixed(0)} MiB, file ${FILE_MIB} MiB)`);
    line(`File upload ${FILE_MIB} MiB (service in a child process)`, up);
    line(`File download ${FILE_MIB} MiB`, down);
  } finally {
    service.send('stop');
    await Promise.race([once(service, 'exit'), new Promise((r) => setTimeout(r, 10_000))]);
    service.kill();
  }
}

if (process.argv[2] === 'child') {
  child().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
