import pino, { Logger } from 'pino';

/** Structured JSON logs. Tokens never reach a log line: the auth header and cookies are redacted. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'kisum-base' },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'token'],
      censor: '[redacted]',
    },
  });
}

export type { Logger };
