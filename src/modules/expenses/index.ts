/** What other families may use of Expenses. */
export { ApprovalTotal, approvalQueueState, Expense, EXPENSE_CATEGORIES, EXPENSE_STATES, ExpenseCategoryEnum, expenseFamily, expenseService } from './expense.family';
export type { ExpenseCategory, ExpenseState } from './expense.family';
export { expenseModule } from './expense.module';
