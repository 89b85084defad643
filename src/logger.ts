import pino, { Logger } from 'pino';
import { loggableError } from './db/loggable-error';

/**
 * Structured JSON logs. Tokens never reach a log line: the auth header and cookies are redacted.
 * Errors are logged without the values a failing statement carried (customer data).
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'kisum-base' },
    serializers: { err: loggableError },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'token'],
      censor: '[redacted]',
    },
  });
}

export type { Logger };
