import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { once } from 'node:events';

/**
 * The service's peak RSS while a 100 MiB file goes up (`POST /api/files/upload`) and comes back
 * (`GET /api/files/{id}/content`), measured on the bench's own Base (a child process in production
 * settings, started with FILE_MAX_BYTES above the file): the bench streams the bytes from a 1 MiB
 * pattern and samples the service's VmRSS from /proc. Streaming both ways, the peak must stay far
 * below the file's size.
 */
export const FILE_MIB = Number(process.env.BENCH_FILE_MIB ?? 100);
const MIB = 1024 * 1024;
const SAMPLE_MS = 20;

interface Ready {
  url: string;
  headers: Record<string, string>;
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

/** Runs the measurement against the running service and prints one line per direction. */
export async function measureFileRss(target: Ready & { pid: number }): Promise<void> {
  const { pid } = target;
  const pattern = randomBytes(MIB);
  const idle = rssKib(pid) / 1024;
  let file!: { id: string; sha256: string };
  const up = await peakWhile(pid, async () => void (file = await upload(target, pattern)));
  let downloaded = '';
  const down = await peakWhile(pid, async () => void (downloaded = await download(target, file.id)));
  if (downloaded !== file.sha256) throw new Error('the downloaded bytes differ from the uploaded ones');
  // What matters is the growth over the RSS before, and that it does not grow with the file (BENCH_FILE_MIB).
  const line = (label: string, mib: number) =>
    console.log(`${label.padEnd(34)} peak RSS ${mib.toFixed(0).padStart(5)} MiB = ${idle.toFixed(0)} MiB before + ${(mib - idle).toFixed(0)} MiB (file ${FILE_MIB} MiB)`);
  console.log('');
  line(`File upload ${FILE_MIB} MiB`, up);
  line(`File download ${FILE_MIB} MiB`, down);
}
