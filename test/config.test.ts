import { ConfigError, loadConfig } from '../src/config';

/** Start-up configuration: production refuses the dev-only parts; bad values name themselves. */
const PROD_OK = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://base@db:5432/base',
  AUTH_JWKS_URL: 'https://auth.internal/.well-known/jwks.json',
  AUTH_URL: 'https://auth.internal',
};

test('no configuration is the dev default: embedded database, dev Auth, port 3099, GraphiQL on', () => {
  const config = loadConfig({});
  expect(config.production).toBe(false);
  expect(config.port).toBe(3099);
  expect(config.database.url).toBeNull();
  expect(config.auth.jwksUrl).toBeNull();
  expect(config.auth).toMatchObject({ issuer: 'kisum-auth', audience: 'kisum-base', timeoutMs: 2000, cacheTtlMs: 10000 });
  expect(config.graphiql).toBe(true);
});

test('production without a database is refused with a message naming DATABASE_URL', () => {
  const { DATABASE_URL: _omit, ...env } = PROD_OK;
  expect(() => loadConfig(env)).toThrow(ConfigError);
  expect(() => loadConfig(env)).toThrow(/DATABASE_URL/);
});

test('production without Auth is refused: the dev Auth never runs there', () => {
  const { AUTH_JWKS_URL: _a, AUTH_URL: _b, ...env } = PROD_OK;
  expect(() => loadConfig(env)).toThrow(/AUTH_JWKS_URL and AUTH_URL/);
});

test('a complete production configuration loads, with GraphiQL off unless asked for', () => {
  const config = loadConfig(PROD_OK);
  expect(config.production).toBe(true);
  expect(config.graphiql).toBe(false);
  expect(loadConfig({ ...PROD_OK, GRAPHIQL: 'true' }).graphiql).toBe(true);
});

test('half an Auth configuration is refused', () => {
  expect(() => loadConfig({ AUTH_JWKS_URL: 'http://auth/jwks' })).toThrow(/go together/);
  expect(() => loadConfig({ AUTH_URL: 'http://auth' })).toThrow(/go together/);
});

test('bad values are named', () => {
  expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
  expect(() => loadConfig({ AUTH_TIMEOUT_MS: '-1' })).toThrow(/AUTH_TIMEOUT_MS/);
  expect(() => loadConfig({ DATABASE_SCHEMA: 'Robert"); DROP' })).toThrow(/DATABASE_SCHEMA/);
  expect(() => loadConfig({ DATABASE_URL: 'not a url' })).toThrow(/DATABASE_URL/);
});
