import 'reflect-metadata';
import { join } from 'node:path';
import { configOrExit, loadConfig } from './config';
import { MigrationsPendingError } from './db/data-source';
import { createLogger } from './logger';
import { nodeVersionWarning } from './node-version';
import { startServer, BaseServer } from './server';

/**
 * Start-up: config → database (configured, or the embedded dev one) → migrations → server.
 * With no configuration this is the dev default: embedded PostgreSQL, demo company, dev Auth.
 */
async function main(): Promise<void> {
  const config = configOrExit(() => loadConfig(), 'kisum-base');
  const logger = createLogger(config.logLevel);
  const oldNode = nodeVersionWarning();
  if (oldNode) logger.warn({ node: process.version }, oldNode);
  const cleanups: (() => Promise<void>)[] = [];
  // A stray rejection is a bug to see in the logs, not a reason to drop every request in flight.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));

  let databaseUrl = config.database.url;
  if (!databaseUrl) {
    // Only reachable outside production: loadConfig refuses production without DATABASE_URL.
    const { startEmbeddedPostgres } = await import('./dev/embedded-postgres.js');
    const embedded = await startEmbeddedPostgres(config.database.embeddedDir, config.database.embeddedPort, logger);
    databaseUrl = embedded.url;
    cleanups.push(embedded.stop);
  }

  let jwksUrl = config.auth.jwksUrl;
  let authUrl = config.auth.url;
  let dev: { router: import('express').Router; headers: () => Promise<Record<string, string>>; companyId: string } | undefined;
  if (!jwksUrl || !authUrl) {
    const { startDevAuth, DEV_TOKEN_HOURS } = await import('./dev/dev-auth.js');
    const { DEMO_COMPANY_ID } = await import('./dev/seed.js');
    const devAuth = await startDevAuth({
      issuer: config.auth.issuer,
      audience: config.auth.audience,
      companyId: DEMO_COMPANY_ID,
      keyFile: join(config.database.embeddedDir, '..', 'dev-auth-keys.json'),
    });
    jwksUrl = devAuth.jwksUrl;
    authUrl = devAuth.authUrl;
    cleanups.push(devAuth.close);
    dev = {
      router: devAuth.router,
      // Minted per GraphiQL page load: a page opened after days of uptime still has a valid token.
      headers: async () => ({
        Authorization: `Bearer ${await devAuth.issuer.mint({ sub: 'dev-user', name: 'Dev User' }, { expiresIn: DEV_TOKEN_HOURS * 3600 })}`,
        'x-org': DEMO_COMPANY_ID,
      }),
      companyId: DEMO_COMPANY_ID,
    };
    logger.warn('DEV ONLY: embedded dev Auth is running; it grants every basic.* permission in the demo company');
  }

  let server: BaseServer;
  try {
    server = await startServer({
      config,
      logger,
      databaseUrl,
      jwksUrl,
      authUrl,
      devRouter: dev?.router,
      graphiqlHeaders: dev?.headers,
    });
  } catch (err) {
    // The message in full (the err serializer drops a database error's message, which could quote a
    // customer's value): at start-up it is about roles, grants and migrations, and it says what to fix.
    logger.fatal({ err }, `start-up failed: ${err instanceof Error ? err.message : String(err)}`);
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    // A database behind the code is the operator's to fix, like a bad setting: EX_CONFIG.
    process.exit(err instanceof MigrationsPendingError ? 78 : 1);
  }

  if (dev) {
    const { seedDemoCompany } = await import('./dev/seed.js');
    await seedDemoCompany(server.dataSource, server.composition, logger);
    process.stdout.write(
      [
        '',
        `Kisum Base (dev default) is listening on ${server.url}`,
        `  GraphiQL:   ${server.url}/graphql   (headers prefilled with a dev token)`,
        `  demo x-org: ${dev.companyId}`,
        `  a token (DEV ONLY; 12 h by default, POST {"hours": n} for another lifetime):`,
        `    TOKEN=$(curl -s -X POST ${server.url}/dev/token | node -pe 'JSON.parse(require("fs").readFileSync(0)).token')`,
        `  then try:`,
        `    curl -s ${server.url}/api/agencies -H "Authorization: Bearer $TOKEN" -H "x-org: ${dev.companyId}"`,
        '',
      ].join('\n') + '\n',
    );
  } else {
    logger.info({ url: server.url }, 'Kisum Base listening');
  }

  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    try {
      // HTTP drain and the pool first; the embedded database (a cleanup) only after both.
      await server.stop();
      for (const cleanup of cleanups.reverse()) await cleanup();
      logger.info('stopped');
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'unclean shutdown');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

void main();
