import type { FamilyModule } from '../../core/module';
import { Avail } from './avail.entity';
import { availFamily } from './avail.family';
import { availService } from './avail.service';

/** Time moves ladders too: the sweeps write down expiries and unanswered challenges, slot by slot. */
export const availModule: FamilyModule<Avail> = {
  family: availFamily,
  service: availService,
  sweeps: {
    expire: {
      everyMs: 60_000,
      due: `status IN ('held', 'challenged') AND expires_at <= now()`,
      run: (hold, scope) => availService.settleSlot(scope, hold),
    },
    'release-unanswered': {
      everyMs: 60_000,
      due: `status = 'challenged' AND respond_by <= now()`,
      run: (hold, scope) => availService.settleSlot(scope, hold),
    },
  },
};
