import http from 'node:http';
import express, { Router } from 'express';
import { ValidationError } from '../shared/errors';
import { ALL_PERMISSIONS, BASIC_MODULE } from '../permissions/catalog';
import { TokenIssuer } from './token-issuer';

/**
 * DEV ONLY — the embedded dev Auth of `npm start` with no configuration. It publishes a JWKS and
 * answers the effective-access call granting every basic.* permission in the demo company to any
 * valid dev token. Refused when NODE_ENV=production (see config.ts and main.ts).
 */
export interface DevAuth {
  issuer: TokenIssuer;
  jwksUrl: string;
  authUrl: string;
  /** Base's `/dev` routes: `POST /dev/token` mints a token. */
  router: Router;
  close(): Promise<void>;
}

export const DEV_USER_ID = 'dev-user';
/** Lifetime of a dev token unless `POST /dev/token` asks for another (at most 30 days). */
export const DEV_TOKEN_HOURS = 12;
const MAX_DEV_TOKEN_HOURS = 24 * 30;

export async function startDevAuth(options: {
  issuer: string;
  audience: string;
  companyId: string;
  keyFile: string;
}): Promise<DevAuth> {
  const issuer = await TokenIssuer.create(options.issuer, options.audience, options.keyFile);
  const auth = express();
  auth.get('/.well-known/jwks.json', (_req, res) => {
    res.json(issuer.jwks());
  });
  auth.get('/v1/access/effective', (req, res) => {
    // The dev Auth trusts its own tokens; Base has verified the signature before calling.
    const token = (req.get('authorization') ?? '').replace(/^Bearer\s+/i, '');
    const sub = decodeSub(token);
    if (!sub) return void res.status(401).json({ error: 'invalid token' });
    if ((req.get('x-org') ?? '').toLowerCase() !== options.companyId) return void res.status(403).json({ error: 'not a member' });
    res.json({
      userId: sub,
      companyId: options.companyId,
      membership: 'active',
      modules: [BASIC_MODULE],
      permissions: ALL_PERMISSIONS,
    });
  });
  const server = http.createServer(auth);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const base = `http://127.0.0.1:${port}`;

  const router = Router();
  router.post('/token', async (req, res) => {
    const sub = typeof req.body?.sub === 'string' && req.body.sub ? req.body.sub : DEV_USER_ID;
    const asked = req.body?.hours;
    if (asked !== undefined && (typeof asked !== 'number' || !Number.isFinite(asked) || asked <= 0 || asked > MAX_DEV_TOKEN_HOURS)) {
      throw new ValidationError([{ field: 'hours', message: `a number of hours, more than 0 and at most ${MAX_DEV_TOKEN_HOURS}` }]);
    }
    const hours: number = asked ?? DEV_TOKEN_HOURS;
    const expiresInSeconds = Math.max(1, Math.round(hours * 3600));
    const token = await issuer.mint({ sub, name: 'Dev User' }, { expiresIn: expiresInSeconds });
    res.json({ token, companyId: options.companyId, expiresInSeconds, devOnly: true });
  });

  return {
    issuer,
    jwksUrl: `${base}/.well-known/jwks.json`,
    authUrl: base,
    router,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function decodeSub(token: string): string | null {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    return typeof payload.sub === 'string' && payload.sub ? payload.sub : null;
  } catch {
    return null;
  }
}
