/** What other families may use of Incomes. */
export { Income, INCOME_CATEGORIES, incomeFamily, incomeService } from './income.family';
export type { IncomeCategory } from './income.family';
export { incomeModule } from './income.module';
