/** What other families may use of Settlements. */
export { SettledStatement, Settlement, settlementFamily } from './settlement.family';
export { settlementService } from './settlement.service';
export { settlementModule } from './settlement.module';
