import type { TenantScope } from '../../db/tenant-scope';
import { fileStorage } from '../files';
import type { Agreement } from './agreement.family';
import type { AgreementSignature } from './agreement-signature';
import { contractFileName, renderContract } from './contract';

/**
 * Signing, inside the sign action's transaction (the agreement locked, `sent`): the contract
 * document is made as `GET …/document` answers it, kept as a file of the agreement, and its hash
 * recorded with the signer, the time, the caller and where the request came from. From then on the
 * document is those bytes, whatever later happens to the names it shows.
 */
export async function sign(agreement: Agreement, input: Record<string, unknown>, tx: TenantScope): Promise<Partial<Agreement>> {
  const bytes = await renderContract(agreement, tx);
  const file = await fileStorage.keep(tx, {
    name: await contractFileName(agreement, tx),
    contentType: 'application/pdf',
    bytes,
    attachTo: { entityType: 'Agreement', entityId: agreement.id },
  });
  const signedAt = tx.now();
  const signature: AgreementSignature = {
    signerName: String(input.signerName),
    signerEmail: String(input.signerEmail),
    signedAt: signedAt.toISOString(),
    signedBy: tx.userId,
    documentSha256: file.sha256,
    ipAddress: tx.binding.origin?.ipAddress ?? null,
    userAgent: tx.binding.origin?.userAgent ?? null,
  };
  return { signedAt, documentFileId: file.id, signature };
}
