import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import type { TenantScope } from '../../db/tenant-scope';
import { IntegrationUnavailableError } from '../../shared/errors';
import type { SealedSecrets } from '../xero';
import { WEBHOOK_SETTINGS } from './webhook-settings';

/**
 * Webhook signing secrets: `whsec_` and the base64 of 32 random bytes (Standard Webhooks), stored
 * sealed under WEBHOOKS_SECRET_KEYS and bound to the company and the webhook, so a sealed value
 * copied to another row does not open. The clear secret of a create or a rotation travels beside
 * the write (not in its values or its history) to the one answer that shows it.
 */
class WebhookSecrets {
  private readonly fresh = new AsyncLocalStorage<string>();

  /** The server's sealing keys (WEBHOOKS_SECRET_KEYS); without them no secret is made or opened (503). */
  private ready(scope: TenantScope): SealedSecrets {
    const { secrets } = WEBHOOK_SETTINGS.of(scope);
    if (!secrets) throw new IntegrationUnavailableError('Webhook secrets cannot be stored: WEBHOOKS_SECRET_KEYS is not configured');
    return secrets;
  }

  /** Run `write` with a new secret for it to seal; the secret comes back beside its answer. */
  async withNewSecret<R>(scope: TenantScope, write: () => Promise<R>): Promise<{ answer: R; secret: string }> {
    this.ready(scope);
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    return { answer: await this.fresh.run(secret, write), secret };
  }

  /** Inside withNewSecret: the new secret, sealed for webhook `id`. */
  sealForRotation(tx: TenantScope, id: string): string {
    const secret = this.fresh.getStore();
    if (!secret) throw new Error('a webhook secret is sealed only inside withNewSecret()');
    return this.ready(tx).seal(secret, aad(tx.companyId, id));
  }

  open(scope: TenantScope, id: string, sealed: string): string {
    return this.ready(scope).open(sealed, aad(scope.companyId, id)).plaintext;
  }
}

const aad = (companyId: string, webhookId: string) => `webhook:${companyId}:${webhookId}`;

export const webhookSecrets = new WebhookSecrets();
