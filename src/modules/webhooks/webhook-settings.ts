import type { WebhooksConfig } from '../../config';
import { Setting } from '../../core/composition';
import type { TenantScope } from '../../db/tenant-scope';
import { SealedSecrets } from '../xero';

/** What a server's webhooks run with: its configuration, and the keys secrets are sealed under (none: WEBHOOKS_SECRET_KEYS unset). */
export interface WebhookSettings {
  config: WebhooksConfig;
  secrets: SealedSecrets | null;
}

export const WEBHOOK_SETTINGS = new Setting<WebhookSettings>('webhooks');

/** Made once at start-up (the module's configure). */
export const webhookSettings = (config: WebhooksConfig): WebhookSettings => ({
  config,
  secrets: config.secretKeys ? new SealedSecrets(config.secretKeys) : null,
});

/** The webhooks configuration of the server `scope` works for. */
export const webhooksConfig = (scope: TenantScope): WebhooksConfig => WEBHOOK_SETTINGS.of(scope).config;
