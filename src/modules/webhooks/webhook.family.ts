import { graphqlEnum } from '../../core/enums';
import { defineFamily } from '../../core/family';
import { f } from '../../core/fields';
import { defineRecord, defineTransientField, type RecordOf } from '../../core/record';
import { webhookSecrets } from './webhook-secrets';

export const WEBHOOK_STATES = ['active', 'disabled'] as const;
export type WebhookState = (typeof WEBHOOK_STATES)[number];
export const WebhookStatusEnum = graphqlEnum(
  'WebhookStatus',
  WEBHOOK_STATES,
  'active: receives deliveries; disabled: receives none (by `disable`, or after a run of failed attempts), until `enable`.',
);

/**
 * An endpoint of the company that receives the events it subscribes to, signed with its secret
 * (Standard Webhooks). The secret is stored sealed (AES-256-GCM, bound to the company and the
 * webhook) and shown once: in the answer that made it (create, rotate-secret).
 */
export const Webhook = defineRecord({
  name: 'Webhook',
  table: 'webhooks',
  description: 'An endpoint of the company that receives signed deliveries of the events it subscribes to (Standard Webhooks).',
  fields: {
    url: f.url().required().describe('Where deliveries are POSTed (at most 2000 characters): https in production, never an internal address unless WEBHOOKS_ALLOW_PRIVATE.'),
    events: f.textList(100, 100).required().describe('The event types it receives, at least one (`offer.accepted`, `event.settled`, …; docs/events.md lists them).'),
    description: f.text(500).nullable().describe('What it is for, in the company\'s words (at most 500 characters); null when not given.'),
    status: f
      .enumOf(WEBHOOK_STATES, WebhookStatusEnum)
      .readOnly()
      .describe('Whether it receives deliveries: `active` when made, then moved by `disable` and `enable`, or disabled after a run of failures.'),
    consecutiveFailures: f
      .int()
      .readOnly()
      .describe('Failed delivery attempts in a row; a success puts it back to 0, WEBHOOKS_DISABLE_AFTER_FAILURES of them disable the webhook.'),
    disabledAt: f.dateTime().nullable().readOnly().describe('When it was last disabled; null while it never was.'),
    disabledReason: f.longText(2000).nullable().readOnly().describe('Why it was disabled (by hand, or the last failure of the run); null while active.'),
    sealedSecret: f.text(1000).internal(),
  },
  // A list's order (newest first).
  indexes: [{ name: 'ix__webhooks__list', columns: ['companyId', 'createdAt', 'id'] }],
});
export type Webhook = RecordOf<typeof Webhook> & { secret?: string | null };

// The secret in clear: only on the record a create or rotate-secret answers with (never stored).
defineTransientField(
  Webhook,
  'secret',
  'The signing secret (`whsec_…`), shown once: in the answer of the create and of rotate-secret; null (REST: absent) everywhere else.',
);

export const DELIVERY_STATES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];
export const WebhookDeliveryStatusEnum = graphqlEnum(
  'WebhookDeliveryStatus',
  DELIVERY_STATES,
  'pending: not delivered yet (waiting for its next attempt); delivered: the endpoint answered 2xx; failed: retries ran out, or the webhook was disabled.',
);

/** One event sent to one webhook: the body as sent, and how each attempt went. */
export const WebhookDelivery = defineRecord({
  name: 'WebhookDelivery',
  table: 'webhook_deliveries',
  description: 'One event sent to one webhook: its state, attempts and the last answer.',
  fields: {
    webhookId: f
      .id()
      .readOnly()
      .references(() => Webhook, { onDelete: 'CASCADE' })
      .describe('The webhook it is sent to.'),
    eventId: f.id().readOnly().describe("The domain event it carries (an entry of the record's history). The `webhook-id` header is the delivery's own id."),
    eventType: f.text().readOnly().describe('The event type (`offer.accepted`, …).'),
    entityType: f.text().readOnly().describe('The GraphQL type of the record it is about.'),
    entityId: f.id().readOnly().describe('The record it is about.'),
    // Deliveries of one record to one webhook go in this order.
    seq: f.bigint().internal().storedAs({ type: 'bigint', bigint: true, increment: true }),
    body: f.json().readOnly().describe('The JSON body sent: `{ type, timestamp, data }`, data being the record as REST showed it then.'),
    status: f.enumOf(DELIVERY_STATES, WebhookDeliveryStatusEnum).readOnly().describe('Where it is: pending, delivered or failed.'),
    attempts: f.int().readOnly().describe('Attempts made so far.'),
    responseStatus: f.int().nullable().readOnly().describe('The HTTP status of the last answer; null when none came (refused, timed out, no connection).'),
    responseExcerpt: f.longText(1024).nullable().readOnly().describe("The first kilobyte (at most) of the last answer's body."),
    durationMs: f.int().nullable().readOnly().describe('How long the last attempt took, in milliseconds.'),
    lastError: f.longText(2000).nullable().readOnly().describe('Why the last attempt failed; null when it did not.'),
    nextAttemptAt: f.dateTime().nullable().readOnly().describe('When the next attempt is due; null when none is (delivered, failed).'),
    deliveredAt: f.dateTime().nullable().readOnly().describe('When the endpoint acknowledged it (2xx).'),
  },
  unique: { uq__webhook_deliveries__event: ['companyId', 'webhookId', 'eventId'] },
  indexes: [
    // A webhook's list (newest first), the retention's cut-off, and the deliveries of one record still waiting (their order).
    { name: 'ix__webhook_deliveries__list', columns: ['companyId', 'webhookId', 'createdAt', 'id'] },
    { name: 'ix__webhook_deliveries__created_at', columns: ['createdAt'] },
    'ix__webhook_deliveries__pending',
  ],
});
export type WebhookDelivery = RecordOf<typeof WebhookDelivery>;

/**
 * The company's webhooks: where to POST which events. Writes need `basic.webhook.manage`, reads
 * `basic.webhook.view`. The signing secret is made with the webhook and shown once (the create's
 * answer); `rotate-secret` replaces it and shows the new one once.
 */
export const webhookFamily = defineFamily({
  entity: Webhook,
  resource: 'webhook',
  singular: 'webhook',
  plural: 'webhooks',
  description: 'Endpoints of the company that receive signed deliveries of the events they subscribe to, newest first.',
  filters: {},
  order: (qb, a) => qb.orderBy(`${a}.createdAt`, 'DESC'),
  states: {
    field: 'status',
    states: WEBHOOK_STATES,
    initial: 'active',
    moves: [{ from: ['active'], to: 'disabled', when: 'WEBHOOKS_DISABLE_AFTER_FAILURES failed attempts in a row' }],
  },
  actions: {
    rotateSecret: {
      permission: 'manage',
      event: 'secret-rotated',
      description: 'Replace the signing secret; the answer shows the new one, once. Deliveries from then on are signed with it.',
      run: async (webhook, _input, tx) => ({ sealedSecret: webhookSecrets.sealForRotation(tx, webhook.id) }),
    },
    disable: {
      permission: 'manage',
      description: 'Stop deliveries to it (those waiting fail); its creator is told when someone else does it, or after a run of failures.',
      from: ['active'],
      to: 'disabled',
      run: async (_webhook, _input, tx) => ({ disabledAt: tx.now(), disabledReason: 'disabled by hand' }),
      payload: async (webhook) => ({ affects: [webhook.createdBy], reason: webhook.disabledReason }),
    },
    enable: {
      permission: 'manage',
      description: 'Deliver to it again (events from now on), with its count of failures back at 0.',
      from: ['disabled'],
      to: 'active',
      run: async () => ({ consecutiveFailures: 0, disabledReason: null }),
    },
  },
});

/** What was sent to a webhook: `GET /api/webhooks/{webhookId}/deliveries`, newest first. */
export const webhookDeliveryFamily = defineFamily({
  entity: WebhookDelivery,
  resource: 'webhook',
  singular: 'webhookDelivery',
  plural: 'webhookDeliveries',
  path: '/deliveries',
  description: 'What was sent to a webhook, newest first: each event with its state, attempts, last answer and next attempt.',
  operations: ['list', 'one'],
  history: false,
  filters: {},
  parent: { family: () => webhookFamily, key: 'webhookId' },
  order: (qb, a) => qb.orderBy(`${a}.createdAt`, 'DESC'),
});
