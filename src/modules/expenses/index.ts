/** What other families may use of Expenses. */
export { ApprovalTotal, Expense, EXPENSE_CATEGORIES, EXPENSE_STATES, ExpenseCategoryEnum } from './expense.entity';
export type { ExpenseCategory, ExpenseState } from './expense.entity';
export { approvalQueueState, expenseFamily } from './expense.family';
export { expenseService } from './expense.service';
export { expenseModule } from './expense.module';
