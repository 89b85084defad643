import { defineDocument } from '../../core/documents';
import type { FamilyModule } from '../../core/module';
import { belongsTo } from '../../core/relations';
import { permission } from '../../permissions/catalog';
import { Artist } from '../artists';
import { File, fileStorage } from '../files';
import { Agreement, agreementFamily } from './agreement.family';
import { contractFileName, renderContract } from './contract';

/** Agreement.offer is declared by Offers (they depend on Agreements, not the other way round). */
export const agreementModule: FamilyModule<Agreement> = {
  family: agreementFamily,
  // Who made the offer it came from hears that it is signed.
  notices: { 'agreement.signed': { title: 'The agreement of your offer was signed' } },
  relations: [belongsTo({ source: Agreement, field: 'artist', target: Artist, key: 'artistId', requirement: permission('artist', 'view') })],
  documents: [
    defineDocument<Agreement>({
      of: () => agreementFamily,
      requirement: permission('agreement', 'view'),
      description: 'The contract: the parties, the show and the terms kept when the offer was accepted; once signed (`sign`), exactly the bytes that were signed.',
      fileName: contractFileName,
      // Signed through `sign`: the kept bytes, whose SHA-256 the signature names.
      render: async (agreement, scope) => {
        const kept = agreement.signature && agreement.documentFileId ? await scope.byId(File).load(agreement.documentFileId) : null;
        return kept ? fileStorage.open(kept, scope) : renderContract(agreement, scope);
      },
    }),
  ],
};
