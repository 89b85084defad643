import { ConfigError, loadConfig, loadDatabaseConfig } from '../src/config';

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

test('AI: unconfigured by default; the URL loses a trailing slash; the key never travels in clear text in production', () => {
  expect(loadConfig({}).ai).toEqual({ url: null, apiKey: null, model: 'gpt-4o-mini', timeoutMs: 30000, callsPerWindow: 100, windowSeconds: 3600 });
  const ai = loadConfig({ ...PROD_OK, AI_API_URL: 'https://ai.example/v1/', AI_API_KEY: 'sk-x', AI_RATE_LIMIT: '5', AI_RATE_WINDOW_SECONDS: '60' }).ai;
  expect(ai).toMatchObject({ url: 'https://ai.example/v1', apiKey: 'sk-x', callsPerWindow: 5, windowSeconds: 60 });
  expect(() => loadConfig({ ...PROD_OK, AI_API_URL: 'http://ai.example/v1' })).toThrow(/AI_API_URL over https/);
  expect(loadConfig({ AI_API_URL: 'http://127.0.0.1:8080/v1' }).ai.url).toBe('http://127.0.0.1:8080/v1');
  for (const [name, value] of [['AI_API_URL', 'ftp://x'], ['AI_TIMEOUT_MS', '0'], ['AI_RATE_LIMIT', '-1'], ['AI_RATE_WINDOW_SECONDS', '0']]) {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(name));
  }
});

test('production with Xero refuses to start without a valid 32-byte token key; keys are id:base64, newest first', () => {
  const xero = { ...PROD_OK, XERO_CLIENT_ID: 'id', XERO_CLIENT_SECRET: 'secret' };
  expect(() => loadConfig(xero)).toThrow(/XERO_TOKEN_KEYS/);
  expect(() => loadConfig({ ...xero, XERO_TOKEN_KEYS: `k1:${Buffer.alloc(16).toString('base64')}` })).toThrow(/XERO_TOKEN_KEYS: each entry/);
  expect(() => loadConfig({ ...xero, XERO_TOKEN_KEYS: 'no-colon' })).toThrow(ConfigError);
  const k2 = Buffer.alloc(32, 2).toString('base64');
  const k1 = Buffer.alloc(32, 1).toString('base64');
  expect(() => loadConfig({ ...xero, XERO_TOKEN_KEYS: `k1:${k2},k1:${k1}` })).toThrow(/ids must differ/);
  const config = loadConfig({ ...xero, XERO_TOKEN_KEYS: `k2:${k2}, k1:${k1}` });
  expect(config.xero?.tokenKeys?.map((k) => k.id)).toEqual(['k2', 'k1']);
  expect(loadConfig(PROD_OK).xero).toBeNull();
  expect(() => loadConfig({ XERO_CLIENT_ID: 'id' })).toThrow(/go together/);
});

test('GraphQL introspection is on in development and off in production unless GRAPHQL_INTROSPECTION says otherwise', () => {
  expect(loadConfig({}).graphqlIntrospection).toBe(true);
  expect(loadConfig(PROD_OK).graphqlIntrospection).toBe(false);
  expect(loadConfig({ ...PROD_OK, GRAPHQL_INTROSPECTION: 'true' }).graphqlIntrospection).toBe(true);
  expect(loadConfig({ GRAPHQL_INTROSPECTION: 'false' }).graphqlIntrospection).toBe(false);
  expect(() => loadConfig({ GRAPHQL_INTROSPECTION: 'maybe' })).toThrow(/GRAPHQL_INTROSPECTION/);
});

test('BODY_LIMIT is a size checked at start-up, in bytes', () => {
  expect(loadConfig({}).bodyLimit).toBe(1024 * 1024);
  expect(loadConfig({ BODY_LIMIT: '4kb' }).bodyLimit).toBe(4096);
  expect(loadConfig({ BODY_LIMIT: '1.5MB' }).bodyLimit).toBe(1.5 * 1024 * 1024);
  expect(loadConfig({ BODY_LIMIT: '2048' }).bodyLimit).toBe(2048);
  for (const value of ['huge', '', '-1kb', '0', '1 tb', 'kb']) {
    expect(() => loadConfig({ BODY_LIMIT: value })).toThrow(/BODY_LIMIT/);
  }
});

test('DATABASE_MIGRATE is auto (migrate at start-up) unless off', () => {
  expect(loadConfig({}).database.migrate).toBe('auto');
  expect(loadConfig({ DATABASE_MIGRATE: 'off' }).database.migrate).toBe('off');
  expect(() => loadConfig({ DATABASE_MIGRATE: 'no' })).toThrow(/DATABASE_MIGRATE/);
});

test('migrating needs the database settings only: production without Auth migrates, without DATABASE_URL it does not', () => {
  const { AUTH_JWKS_URL: _a, AUTH_URL: _b, ...env } = PROD_OK;
  expect(loadDatabaseConfig(env).database).toMatchObject({ url: PROD_OK.DATABASE_URL, schema: 'public' });
  expect(() => loadDatabaseConfig({ NODE_ENV: 'production' })).toThrow(/DATABASE_URL/);
  expect(() => loadDatabaseConfig({ ...env, DATABASE_POOL_MAX: 'many' })).toThrow(/DATABASE_POOL_MAX/);
});
