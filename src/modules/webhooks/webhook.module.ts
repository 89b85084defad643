import type { FamilyModule } from '../../core/module';
import { Webhook, WebhookDelivery, webhookDeliveryFamily, webhookFamily } from './webhook.family';
import { deliver, enqueueDeliveries, WEBHOOK_DELIVER_JOB, WEBHOOK_DISABLED, webhookService } from './webhook.service';
import { WEBHOOK_SETTINGS, webhookSettings } from './webhook-settings';

const DAY_MS = 86_400_000;
const text = (v: unknown) => (typeof v === 'string' ? v : null);

/** Outbound webhooks: the endpoints, and a delivery of every event they subscribe to. */
export const webhookModule: FamilyModule<Webhook> = {
  family: webhookFamily,
  service: webhookService,
  configure: (config) => WEBHOOK_SETTINGS.is(webhookSettings(config.webhooks)),
  handlers: { '*': [enqueueDeliveries] },
  notices: {
    // Its creator, unless they disabled it themselves.
    [WEBHOOK_DISABLED]: { title: 'A webhook was disabled', body: (e) => text(e.payload.reason) },
  },
  jobs: {
    [WEBHOOK_DELIVER_JOB]: {
      run: (payload, scope, context) => deliver(scope, String(payload.deliveryId), context),
      // Above WEBHOOKS_TIMEOUT_MS (at most 60 s): the call's own bound ends it first.
      timeoutMs: 75_000,
    },
  },
};

/** What was sent: listed under each webhook, removed after WEBHOOKS_DELIVERY_MAX_AGE_DAYS. */
export const webhookDeliveryModule: FamilyModule<WebhookDelivery> = {
  family: webhookDeliveryFamily,
  retention: { maxAgeMs: (config) => config.webhooks.deliveryMaxAgeDays * DAY_MS },
};
