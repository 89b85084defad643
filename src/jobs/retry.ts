/**
 * How a failed job waits before its next attempt: exponential in the attempt number, capped, with
 * jitter so jobs that failed together (an outage) do not all come back together. The delay of
 * attempt n lies in [d/2, d] with d = min(maxMs, baseMs · 2^(n-1)): before the cap the ranges do not
 * overlap, so waits never shrink from one attempt to the next.
 */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 5_000, maxMs: 3_600_000 };

export function retryDelayMs(failedAttempts: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random = Math.random): number {
  const exponent = Math.max(0, Math.min(failedAttempts - 1, 52));
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/**
 * Thrown by a handler that was told to come back later (an HTTP 429 with Retry-After): the job is
 * rescheduled after `delayMs` without counting an attempt, since nothing failed.
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
