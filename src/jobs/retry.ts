/**
 * A job that fails is retried by graphile-worker with its own backoff (e^attempts seconds, up to its
 * `maxAttempts`). Work that keeps its own count of attempts (an outside API's sends) decides its
 * waits itself and says so with RetryAfterError; this is the backoff it may use: exponential in the
 * attempt number, capped, with jitter so attempts that failed together (an outage) do not all come
 * back together. The delay of attempt n lies in [d/2, d] with d = min(maxMs, baseMs · 2^(n-1)):
 * before the cap the ranges do not overlap, so waits never shrink from one attempt to the next.
 */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export function retryDelayMs(failedAttempts: number, policy: BackoffPolicy, random = Math.random): number {
  const exponent = Math.max(0, Math.min(failedAttempts - 1, 52));
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/**
 * Thrown by a handler that was told to come back later (an HTTP 429 with Retry-After): the job is
 * scheduled again after `delayMs` without counting an attempt, since nothing failed.
 */
export class RetryAfterError extends Error {
  constructor(
    readonly delayMs: number,
    message = `retry after ${delayMs} ms`,
  ) {
    super(message);
    this.name = 'RetryAfterError';
  }
}

/** A handler run that outlived its timeout (counted as a failed attempt). */
export class JobTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
    this.name = 'JobTimeoutError';
  }
}

/** A run still going when the instance's shutdown timeout ran out: handed back, due at once, its attempt not counted. */
export class JobHandedBackError extends Error {
  constructor() {
    super('the instance stopped before the run finished; handed back');
    this.name = 'JobHandedBackError';
  }
}
