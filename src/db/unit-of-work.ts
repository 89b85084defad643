import type { EntityManager, ObjectLiteral } from 'typeorm';
import { sendAsOneText, type Statement } from './one-round-trip';
import { isUuid } from './tenant';

export type { Statement } from './one-round-trip';

/** Runs database work with the company set for row-level security; see unitOfWork. */
export type UnitOfWork = <R>(work: (manager: EntityManager) => Promise<R>) => Promise<R>;
/** Read statements with the company set for row-level security; see readOnce. */
export type ReadOnce = (...statements: Statement[]) => Promise<ObjectLiteral[][]>;

/** A scope's entity manager and company; `inTransaction`: the manager is the scope's own transaction, the company set in it. */
export interface CompanyManager {
  manager: EntityManager;
  companyId: string;
  inTransaction: boolean;
}

/** The company of row-level security, for the rest of the transaction. */
const setCompany = (companyId: string): Statement => [`SELECT set_config('app.company_id', $1, true)`, [companyId]];

/** Statements one after another on one manager (a transaction's): the rows of each. */
export async function inTurn(manager: EntityManager, statements: Statement[]): Promise<ObjectLiteral[][]> {
  const results: ObjectLiteral[][] = [];
  for (const [sql, params] of statements) results.push(await manager.query(sql, params));
  return results;
}

/**
 * The second tenancy line, row-level security, needs `app.company_id` for every statement, reads
 * included, and the setting must not outlive the work on a pooled connection (a later query that
 * forgets the company would see this one's rows). So each repository call outside a transaction is
 * a short transaction of its own: BEGIN and the transaction-local setting in one round trip
 * (one-round-trip.ts), its statements, COMMIT. That costs two statements per call (three round
 * trips become one plus two), constant in page size since the loaders batch; pinning one connection
 * per request would cost fewer statements but hold a pool slot for the whole request and need a
 * reset on every exit path.
 */
export async function unitOfWork<R>(at: CompanyManager, work: (manager: EntityManager) => Promise<R>): Promise<R> {
  if (at.inTransaction) return work(at.manager);
  if (!isUuid(at.companyId)) throw new Error('TenantScope: the company id is not a uuid');
  const transactional = at.manager.queryRunner;
  if (transactional?.isTransactionActive) {
    // Built on a caller's transaction: set the company in it and stay there.
    await transactional.query(...setCompany(at.companyId));
    return work(at.manager);
  }
  const runner = at.manager.connection.createQueryRunner();
  try {
    await sendAsOneText(runner, [['BEGIN', []], setCompany(at.companyId)]);
    let result: R;
    try {
      result = await work(runner.manager);
    } catch (err) {
      await runner.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
    await runner.query('COMMIT');
    return result;
  } finally {
    await runner.release();
  }
}

/**
 * Reads outside a transaction in one round trip: BEGIN, the company, the statements and COMMIT sent
 * as one text (one-round-trip.ts), so a page and its count cost one trip and each is as cheap for
 * PostgreSQL as on its own. Inside a transaction they are ordinary statements of that transaction.
 * The rows of each, in order.
 */
export async function readOnce(at: CompanyManager, statements: Statement[]): Promise<ObjectLiteral[][]> {
  if (at.inTransaction || at.manager.queryRunner?.isTransactionActive) {
    return unitOfWork(at, (m) => inTurn(m, statements));
  }
  if (!isUuid(at.companyId)) throw new Error('TenantScope: the company id is not a uuid');
  const runner = at.manager.connection.createQueryRunner();
  try {
    const results = await sendAsOneText(runner, [['BEGIN', []], setCompany(at.companyId), ...statements, ['COMMIT', []]]);
    return results.slice(2, 2 + statements.length);
  } finally {
    await runner.release();
  }
}
