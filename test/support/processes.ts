import { ChildProcess, execFile, spawn } from 'node:child_process';
import net from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** Running the compiled service and its CLIs as an operator would: `node dist/...` in a child process. */
export const ROOT = join(__dirname, '..', '..');

/** Compile src/ to dist/ (incremental: quick when nothing changed), as `npm start` does. */
export async function buildDist(): Promise<void> {
  await promisify(execFile)(join(ROOT, 'node_modules/.bin/tsc'), ['-b', 'tsconfig.json'], { cwd: ROOT });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** The environment of a fresh shell: none of the test run's database or Auth settings. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (/^(DATABASE_|AUTH_|EMBEDDED_PG_|NODE_ENV|PORT$|JEST|GRAPHQL_|BODY_LIMIT)/.test(key)) delete env[key];
  return { ...env, ...extra };
}

export interface Finished {
  code: number | null;
  output: string;
}

/** Run `node <script>` from the repository to its end; its stdout and stderr together. */
export function runNode(script: string, env: Record<string, string>, timeoutMs = 60_000): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { cwd: ROOT, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not finish within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

export interface Started {
  child: ChildProcess;
  url: string;
  output(): string;
  /** SIGTERM, and wait for the exit. */
  stop(): Promise<number | null>;
}

/**
 * Start `node dist/src/main.js` on a free port and wait until /ready answers 200 and, if given, its
 * output has `readyLine` (or it exits: rejected with its output).
 */
export async function startCompiledBase(env: Record<string, string>, options: { readyLine?: RegExp; timeoutMs?: number } = {}): Promise<Started> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    cwd: ROOT,
    env: cleanEnv({ PORT: String(port), HOST: '127.0.0.1', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await Promise.race([exited.then((code) => ({ code })), new Promise<null>((r) => setTimeout(() => r(null), 200))]);
    if (state) throw new Error(`Base exited (${state.code}) before it was ready:\n${output}`);
    const ready = (options.readyLine?.test(output) ?? true) && (await fetch(`${url}/ready`).then((r) => r.ok, () => false));
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Base was not ready within ${timeoutMs} ms:\n${output}`);
    }
  }
  return {
    child,
    url,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
