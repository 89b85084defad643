import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { EncryptionKey } from '../../config';

/**
 * Secrets encrypted at rest (OAuth tokens of an outside service): AES-256-GCM with a random 12-byte
 * IV and the 16-byte tag, under named keys so keys can be rotated. A sealed value is
 * `v1.<key id>.<iv>.<tag>.<ciphertext>` (base64url parts). The associated data binds a value to
 * where it belongs (company and column), so a ciphertext copied to another row does not open.
 */
export class SealedSecrets {
  private readonly byId: Map<string, Buffer>;

  /** `keys[0]` seals; every key opens. */
  constructor(private readonly keys: readonly EncryptionKey[]) {
    if (!keys.length) throw new Error('SealedSecrets needs at least one key');
    for (const k of keys) if (k.key.length !== 32) throw new Error(`Key ${k.id} is not 32 bytes`);
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  seal(plaintext: string, associatedData: string): string {
    const { id, key } = this.keys[0];
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
  }

  /**
   * The plaintext, and whether it was sealed under a key other than the current one (the caller
   * seals it again, which is how a rotation reaches every stored value).
   */
  open(sealed: string, associatedData: string): { plaintext: string; stale: boolean } {
    const [version, id, iv, tag, ciphertext] = sealed.split('.');
    if (version !== 'v1' || ciphertext === undefined) throw new SealedSecretError('not a sealed value');
    const key = this.byId.get(id);
    if (!key) throw new SealedSecretError(`sealed under key ${id}, which is not configured`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(associatedData, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      const plaintext = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
      return { plaintext, stale: id !== this.keys[0].id };
    } catch {
      throw new SealedSecretError(`does not open under key ${id} (altered, or moved from another record)`);
    }
  }
}

export class SealedSecretError extends Error {
  constructor(reason: string) {
    super(`Sealed secret ${reason}`);
    this.name = 'SealedSecretError';
  }
}
