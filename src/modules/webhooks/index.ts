/** What other modules may use of the webhooks. */
export { Webhook, WebhookDelivery, webhookDeliveryFamily, webhookFamily } from './webhook.family';
export { webhookDeliveryModule, webhookModule } from './webhook.module';
