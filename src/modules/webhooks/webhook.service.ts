import { randomUUID } from 'node:crypto';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { DomainEvent, recordEvent } from '../../core/events';
import type { JobContext } from '../../core/module';
import { checkDestination, OutsideCallFailed, postOutside, UnsafeDestinationError, type OutsideAnswer } from '../../core/outside-call';
import { FamilyService } from '../../core/service';
import type { TenantScope } from '../../db/tenant-scope';
import { retryDelayMs, RetryAfterError } from '../../jobs/retry';
import { ConflictError, ValidationError } from '../../shared/errors';
import { Webhook, WebhookDelivery, webhookFamily } from './webhook.family';
import { webhookSecrets } from './webhook-secrets';
import { webhooksConfig } from './webhook-settings';

/** The job that sends one delivery (its job key is the delivery's id). */
export const WEBHOOK_DELIVER_JOB = 'webhook.deliver';
/** The event of a webhook disabled, by hand or after a run of failures: its creator is told. */
export const WEBHOOK_DISABLED = 'webhook.disabled' as const;
/** Most webhooks one company keeps: each event fans out to at most this many deliveries. */
export const WEBHOOKS_PER_COMPANY = 20;
/** At most this much of an answer's body is read and kept. */
const EXCERPT_BYTES = 1024;
/** A delivery waiting behind an earlier one of the same record looks again after at least this long. */
const ORDER_WAIT_MS = 1000;

/** The event types a webhook may subscribe to: every one the server declares but the webhooks' own. */
export function deliverableEventTypes(scope: TenantScope): string[] {
  return [...scope.composition.eventTypes.keys()].filter((type) => !/^webhook(Delivery)?\./.test(type)).sort();
}

class WebhookService extends FamilyService<Webhook> {
  /** The answer carries the new secret, once. */
  override async create(scope: TenantScope, data: Partial<Webhook>, parentId?: string): Promise<Webhook> {
    const { answer, secret } = await webhookSecrets.withNewSecret(scope, () => super.create(scope, data, parentId));
    return Object.assign(answer, { secret });
  }

  override async act(scope: TenantScope, name: string, id: string, rawInput: unknown, parentId?: string): Promise<Webhook> {
    if (name !== 'rotateSecret') return super.act(scope, name, id, rawInput, parentId);
    const { answer, secret } = await webhookSecrets.withNewSecret(scope, () => super.act(scope, name, id, rawInput, parentId));
    return Object.assign(answer, { secret });
  }

  protected override async prepareCreate(tx: TenantScope, data: Partial<Webhook>): Promise<Partial<Webhook>> {
    if ((await tx.repo(Webhook).count()) >= WEBHOOKS_PER_COMPANY) {
      throw new ConflictError(`A company keeps at most ${WEBHOOKS_PER_COMPANY} webhooks`, [{ field: 'url', limit: WEBHOOKS_PER_COMPANY }]);
    }
    await checkSubscription(tx, data);
    const id = randomUUID();
    return { ...data, id, consecutiveFailures: 0, sealedSecret: webhookSecrets.sealForRotation(tx, id) };
  }

  protected override async prepareUpdate(tx: TenantScope, _id: string, patch: Partial<Webhook>): Promise<Partial<Webhook>> {
    await checkSubscription(tx, patch);
    return patch;
  }
}

/** The URL may be called (scheme, addresses) and every event type is one a webhook can carry: else 400 on the field. */
async function checkSubscription(scope: TenantScope, data: Partial<Webhook>): Promise<void> {
  if (data.events !== undefined) {
    const known = new Set(deliverableEventTypes(scope));
    const unknown = data.events.filter((type) => !known.has(type));
    if (!data.events.length) throw ValidationError.field('events', 'must name at least one event type');
    if (unknown.length) throw ValidationError.field('events', `unknown event types: ${unknown.join(', ')} (docs/events.md lists them)`);
  }
  if (data.url !== undefined) {
    const { allowPrivate, requireHttps, timeoutMs } = webhooksConfig(scope);
    try {
      await checkDestination(data.url, { allowPrivate, requireHttps }, timeoutMs);
    } catch (err) {
      if (err instanceof UnsafeDestinationError) throw ValidationError.field('url', err.message);
      throw err;
    }
  }
}

export const webhookService = new WebhookService(webhookFamily);

// ── Deliveries ──────────────────────────────────────────────────────────────────────────────────

/**
 * Every event, inside the transaction that recorded it: one delivery row and one job per active
 * webhook subscribed to its type, so a change that rolls back sends nothing and one that commits
 * loses nothing. The body holds the record as REST shows it at that moment.
 */
export async function enqueueDeliveries(event: DomainEvent, tx: TenantScope): Promise<void> {
  if (/^webhook(Delivery)?\./.test(event.type)) return;
  const hooks = await tx.repo(Webhook).find((qb, a) => qb.andWhere(`${a}.status = 'active' AND :eventType = ANY(${a}.events)`, { eventType: event.type }));
  if (!hooks.length) return;
  const body = { type: event.type, timestamp: event.occurredAt.toISOString(), data: await recordAsShown(event, tx) };
  for (const hook of hooks) {
    const delivery = await tx.repo(WebhookDelivery).insert({
      webhookId: hook.id,
      eventId: event.id,
      eventType: event.type,
      entityType: event.entityType,
      entityId: event.entityId,
      body,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: tx.now(),
    });
    await schedule(tx, delivery.id);
  }
}

function schedule(tx: TenantScope, deliveryId: string, runAt?: Date) {
  // Its own schedule decides the retries (RetryAfterError); the queue's attempts cover crashes and timeouts.
  return tx.enqueue({ kind: WEBHOOK_DELIVER_JOB, payload: { deliveryId }, dedupeKey: `${WEBHOOK_DELIVER_JOB}:${deliveryId}`, maxAttempts: 25, runAt });
}

/** The record as its REST answer shows it (`{ id }` once it is gone); a record of no family: its id and the event's payload. */
async function recordAsShown(event: DomainEvent, tx: TenantScope): Promise<Record<string, unknown>> {
  const family = tx.composition.familyByTypeName(event.entityType);
  if (!family) return { id: event.entityId, ...event.payload };
  const row = event.type.endsWith('.deleted') ? null : await tx.repo(family.entity).findById(event.entityId);
  return row ? (JSON.parse(JSON.stringify(row)) as Record<string, unknown>) : { id: event.entityId };
}

/**
 * The job: POST one delivery, signed. Deliveries of one record to one webhook go in order: one
 * waits while an earlier one is still pending. A 2xx delivers it; anything else (an error status, a
 * timeout, no connection, an address refused) is a failed attempt, retried with exponential backoff
 * and jitter under the same `webhook-id` until WEBHOOKS_RETRY_FOR_HOURS after the event, and counted
 * against the webhook: WEBHOOKS_DISABLE_AFTER_FAILURES in a row disable it and tell its creator.
 */
export async function deliver(scope: TenantScope, deliveryId: string, run: JobContext): Promise<void> {
  if (!(await scope.repo(WebhookDelivery).findById(deliveryId))) return;
  // One send of a delivery at a time: its row stays locked while it is sent (within the call's timeout),
  // so a second job of the same delivery (one added while the first ran) waits, then finds it sent.
  const comeBack = await scope.transaction((tx) => sendLocked(tx, deliveryId, run));
  if (comeBack) throw comeBack;
}

/** One attempt at a locked delivery; what to throw to come back later, or null when done. */
async function sendLocked(scope: TenantScope, deliveryId: string, run: JobContext): Promise<RetryAfterError | null> {
  const cfg = webhooksConfig(scope);
  const delivery = await scope.repo(WebhookDelivery).lock(deliveryId, 'WebhookDelivery');
  if (delivery.status !== 'pending') return null;
  const hook = await scope.repo(Webhook).findById(delivery.webhookId);
  if (!hook || hook.status !== 'active') {
    await finish(scope, delivery, { status: 'failed', lastError: 'the webhook is disabled', nextAttemptAt: null });
    return null;
  }
  const [earlier] = await scope.repo(WebhookDelivery).find((qb, a) =>
    qb
      .andWhere(`${a}.webhookId = :webhookId AND ${a}.entityId = :entityId AND ${a}.status = 'pending' AND ${a}.seq < :seq`, {
        webhookId: delivery.webhookId,
        entityId: delivery.entityId,
        seq: delivery.seq,
      })
      .orderBy(`${a}.seq`, 'ASC')
      .limit(1),
  );
  if (earlier) {
    const wait = Math.max(ORDER_WAIT_MS, (earlier.nextAttemptAt?.getTime() ?? 0) - scope.now().getTime());
    return new RetryAfterError(wait, `waits for delivery ${earlier.id} of the same record`);
  }

  const payload = JSON.stringify(delivery.body);
  const sentAt = scope.now();
  const signature = new StandardWebhook(webhookSecrets.open(scope, hook.id, hook.sealedSecret)).sign(delivery.id, sentAt, payload);
  let answer: OutsideAnswer | null = null;
  let failure: string | null = null;
  let durationMs: number;
  try {
    answer = await postOutside(hook.url, {
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Kisum-Base-Webhooks',
        'webhook-id': delivery.id,
        'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body: payload,
      timeoutMs: cfg.timeoutMs,
      signal: run.signal,
      rules: { allowPrivate: cfg.allowPrivate, requireHttps: cfg.requireHttps },
      excerptBytes: EXCERPT_BYTES,
    });
    durationMs = answer.durationMs;
    if (answer.status < 200 || answer.status > 299) failure = `the endpoint answered ${answer.status}`;
  } catch (err) {
    if (!(err instanceof OutsideCallFailed)) throw err;
    failure = err.message;
    durationMs = err.durationMs;
  }
  const attempt = {
    attempts: delivery.attempts + 1,
    responseStatus: answer?.status ?? null,
    responseExcerpt: answer ? answer.excerpt : null,
    durationMs,
  };

  if (!failure) {
    await scope.transaction(async (tx) => {
      await finish(tx, delivery, { ...attempt, status: 'delivered', lastError: null, nextAttemptAt: null, deliveredAt: tx.now() });
      if (hook.consecutiveFailures > 0) await tx.repo(Webhook).update(hook.id, { consecutiveFailures: 0 });
    });
    return null;
  }

  const delayMs = retryDelayMs(attempt.attempts, cfg.retry);
  const retryAt = new Date(scope.now().getTime() + delayMs);
  const retrying = await scope.transaction(async (tx) => {
    const counted = await tx.repo(Webhook).update(hook.id, { consecutiveFailures: (() => 'consecutive_failures + 1') as never });
    let active = counted.status === 'active';
    if (active && counted.consecutiveFailures >= cfg.disableAfterFailures) {
      const reason = `${counted.consecutiveFailures} failed attempts in a row; the last: ${failure}`.slice(0, 2000);
      const disabled = await tx.repo(Webhook).update(hook.id, { status: 'disabled', disabledAt: tx.now(), disabledReason: reason });
      await recordEvent(tx, {
        type: WEBHOOK_DISABLED,
        entityType: 'Webhook',
        entityId: hook.id,
        version: disabled.version,
        payload: { from: 'active', to: 'disabled', reason, affects: [hook.createdBy] },
      });
      active = false;
    }
    const again = active && retryAt.getTime() <= delivery.createdAt.getTime() + cfg.retry.retryForMs;
    await finish(tx, delivery, { ...attempt, status: again ? 'pending' : 'failed', lastError: failure!.slice(0, 2000), nextAttemptAt: again ? retryAt : null });
    return again;
  });
  return retrying ? new RetryAfterError(delayMs, `attempt ${attempt.attempts} failed: ${failure}`) : null;
}

/**
 * Write a delivery's outcome; once it is no longer pending, the next waiting delivery of the same
 * record to the same webhook is due at once (it waited for this one).
 */
async function finish(scope: TenantScope, delivery: WebhookDelivery, values: Partial<WebhookDelivery>): Promise<void> {
  await scope.transaction(async (tx) => {
    await tx.repo(WebhookDelivery).update(delivery.id, values);
    if (values.status === 'pending') return;
    const [next] = await tx.repo(WebhookDelivery).find((qb, a) =>
      qb
        .andWhere(`${a}.webhookId = :webhookId AND ${a}.entityId = :entityId AND ${a}.status = 'pending' AND ${a}.seq > :seq`, {
          webhookId: delivery.webhookId,
          entityId: delivery.entityId,
          seq: delivery.seq,
        })
        .orderBy(`${a}.seq`, 'ASC')
        .limit(1),
    );
    if (next) await schedule(tx, next.id);
  });
}
