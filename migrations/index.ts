import { Agencies1764000000000 } from './1764000000000-Agencies';
import { Catalog1764000100000 } from './1764000100000-Catalog';
import { CompanyIdDefault1764000150000 } from './1764000150000-CompanyIdDefault';
import { DomainEvents1764000200000 } from './1764000200000-DomainEvents';
import { Jobs1764000700000 } from './1764000700000-Jobs';
import { RowLevelSecurity1764000800000 } from './1764000800000-RowLevelSecurity';
import { Avails1764000900000 } from './1764000900000-Avails';
import { OffersAgreements1764001000000 } from './1764001000000-OffersAgreements';
import { EventsAndTickets1764001100000 } from './1764001100000-EventsAndTickets';
import { BookingEventLinks1764001200000 } from './1764001200000-BookingEventLinks';
import { IncomesExpenses1764001300000 } from './1764001300000-IncomesExpenses';
import { Ai1764001800000 } from './1764001800000-Ai';
import { Settlements1764001400000 } from './1764001400000-Settlements';
import { Xero1764001700000 } from './1764001700000-Xero';
import { Work1764001500000 } from './1764001500000-Work';
import { Files1764001600000 } from './1764001600000-Files';
import { CompanyIsolationByRole1764001900000 } from './1764001900000-CompanyIsolationByRole';
import { ListIndexes1764001960000 } from './1764001960000-ListIndexes';
import { Retention1764003000000 } from './1764003000000-Retention';
import { ApprovalTotals1764003100000 } from './1764003100000-ApprovalTotals';
import { ApprovalQueueTotals1764003200000 } from './1764003200000-ApprovalQueueTotals';
import { JobQueue1764004000000 } from './1764004000000-JobQueue';
import { EventTypesPastTense1764004200000 } from './1764004200000-EventTypesPastTense';
import { AgreementSignatures1764011000000 } from './1764011000000-AgreementSignatures';
import { CalendarFeeds1764013100000 } from './1764013100000-CalendarFeeds';
import { Webhooks1764013200000 } from './1764013200000-Webhooks';
import { MoneyDepth1764013700000 } from './1764013700000-MoneyDepth';
import { FxRates1764013800000 } from './1764013800000-FxRates';
import { AgreementPayments1764013810000 } from './1764013810000-AgreementPayments';

/** Every migration, oldest first. A test checks that each file in this folder is listed here. */
export const MIGRATIONS = [
  Agencies1764000000000,
  Catalog1764000100000,
  CompanyIdDefault1764000150000,
  DomainEvents1764000200000,
  Jobs1764000700000,
  RowLevelSecurity1764000800000,
  Avails1764000900000,
  OffersAgreements1764001000000,
  EventsAndTickets1764001100000,
  BookingEventLinks1764001200000,
  IncomesExpenses1764001300000,
  Settlements1764001400000,
  Work1764001500000,
  Files1764001600000,
  Xero1764001700000,
  Ai1764001800000,
  CompanyIsolationByRole1764001900000,
  ListIndexes1764001960000,
  Retention1764003000000,
  ApprovalTotals1764003100000,
  ApprovalQueueTotals1764003200000,
  JobQueue1764004000000,
  EventTypesPastTense1764004200000,
  AgreementSignatures1764011000000,
  CalendarFeeds1764013100000,
  Webhooks1764013200000,
  MoneyDepth1764013700000,
  FxRates1764013800000,
  AgreementPayments1764013810000,
];
