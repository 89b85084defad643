/** What other families may use of Incomes. */
export { Income, INCOME_CATEGORIES } from './income.entity';
export type { IncomeCategory } from './income.entity';
export { incomeFamily } from './income.family';
export { incomeService } from './income.service';
export { incomeModule } from './income.module';
