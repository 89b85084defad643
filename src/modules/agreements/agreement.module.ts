import type { FamilyModule } from '../../core/module';
import { belongsTo } from '../../core/relations';
import { permission } from '../../permissions/catalog';
import { Artist } from '../artists';
import { Agreement } from './agreement.entity';
import { agreementFamily } from './agreement.family';
import { agreementService } from './agreement.service';

/** Agreement.offer is declared by Offers (they depend on Agreements, not the other way round). */
export const agreementModule: FamilyModule<Agreement> = {
  family: agreementFamily,
  service: agreementService,
  // Who made the offer it came from hears that it is signed.
  notices: { 'agreement.signed': { title: 'The agreement of your offer was signed' } },
  relations: [belongsTo({ source: Agreement, field: 'artist', target: Artist, key: 'artistId', requirement: permission('artist', 'view') })],
};
