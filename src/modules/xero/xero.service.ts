import type { XeroConfig } from '../../config';
import { IntegrationUnavailableError, ValidationError } from '../../shared/errors';
import { Setting } from '../../core/composition';
import { recordEvent } from '../../core/events';
import { add, money, toDecimal } from '../../shared/money';
import { SealedSecrets } from './sealed-secrets';
import type { Page, PageRequest } from '../../db/page';
import type { TenantScope } from '../../db/tenant-scope';
import type { CallBudgets } from '../../jobs/call-budget';
import { retryDelayMs, RetryAfterError } from '../../jobs/retry';
import { companyService } from '../company';
import { Event } from '../events';
import { Expense } from '../expenses';
import { Income } from '../incomes';
import { Vendor } from '../vendors';
import { Decimal, XeroCallError, XeroClient } from './xero.client';
import { XeroConnection, type XeroRecordType, XeroSyncItem, type XeroSyncState } from './xero-records';
import { XeroStatus, XeroSyncQueued } from './xero-answers';

/** The job that sends one outbox item. */
export const XERO_SYNC_JOB = 'xero.sync';
/** The events of the connection (entity type XeroConnection), in its company's history. */
export const XERO_EVENTS = [
  { type: 'xero.connected', description: 'The company was connected to a Xero organisation.' },
  { type: 'xero.disconnected', description: 'The Xero connection was revoked and its tokens forgotten.' },
] as const;
/** Refresh an access token this long before Xero says it expires. */
const REFRESH_MARGIN_MS = 120_000;
/** Lock key (per company) under which one refresh at a time rotates the tokens. */
const TOKEN_LOCK = 'xero:token';
/** Xero's contact for income and for expenses without a vendor: it finds (or creates) a contact by name. */
export const INCOME_CONTACT = 'Kisum event income';
export const NO_VENDOR_CONTACT = 'Kisum expenses without a vendor';

/** A send that could not happen yet (no connection, the vendor's contact not in Xero yet). */
class NotYet extends Error {}

/** What a server's Xero sync talks with, made from its configuration (none when Xero is not configured). */
export interface XeroSettings {
  config: XeroConfig;
  client: XeroClient;
  secrets: SealedSecrets | null;
}

export const XERO_SETTINGS = new Setting<XeroSettings | null>('xero');

export function xeroSettings(config: XeroConfig | null): XeroSettings | null {
  return config ? { config, client: new XeroClient(config), secrets: config.tokenKeys ? new SealedSecrets(config.tokenKeys) : null } : null;
}

/** What the job context gives a send. */
export interface SyncRun {
  budgets: CallBudgets;
}

/**
 * The company's Xero connection and its outbox. Changes of vendors, approved expenses and income
 * are noted in the change's own transaction (an outbox row and a job, both or neither); the job sends
 * each change once under an Idempotency-Key stable per (record, change), stores Xero's id, and sends
 * later changes as updates of that id. A record that is deleted or no longer approved is voided
 * (contacts archived) in Xero, never deleted.
 */
export class XeroSync {
  /** This server's Xero client and token keys, as its configuration made them. */
  private ready(scope: TenantScope): { config: XeroConfig; client: XeroClient; secrets: SealedSecrets } {
    const settings = XERO_SETTINGS.of(scope);
    if (!settings) throw new IntegrationUnavailableError('Xero is not configured on this Base (XERO_CLIENT_ID, XERO_CLIENT_SECRET)');
    if (!settings.secrets) throw new IntegrationUnavailableError('Xero tokens cannot be stored: XERO_TOKEN_KEYS is not configured');
    return settings as { config: XeroConfig; client: XeroClient; secrets: SealedSecrets };
  }

  // ── The connection ────────────────────────────────────────────────────────────────────────────

  async connect(scope: TenantScope, input: { code: string; redirectUri: string }): Promise<XeroStatus> {
    const { client, secrets } = this.ready(scope);
    const tokens = await asRequestError(() => client.exchangeCode(input.code, input.redirectUri), 'code');
    const tenants = await asRequestError(() => client.connections(tokens.accessToken), 'code');
    const tenant = tenants.find((t) => t.tenantType === 'ORGANISATION') ?? tenants[0];
    if (!tenant) throw ValidationError.field('code', 'the Xero user authorised no organisation');
    await scope.transaction(async (tx) => {
      const repo = tx.repo(XeroConnection);
      const [existing] = await repo.find((qb, a) => qb.setLock('pessimistic_write').andWhere(`${a}.companyId = :c`, { c: tx.companyId }));
      const values = {
        tenantId: tenant.tenantId,
        tenantName: tenant.tenantName,
        accessToken: secrets.seal(tokens.accessToken, aad(tx.companyId, 'access')),
        refreshToken: secrets.seal(tokens.refreshToken, aad(tx.companyId, 'refresh')),
        accessExpiresAt: new Date(tx.now().getTime() + tokens.expiresIn * 1000),
      };
      const row = existing ? await repo.update(existing.id, values) : await repo.insert(values);
      await recordEvent(tx, { type: 'xero.connected', entityType: 'XeroConnection', entityId: row.id, version: row.version, payload: { tenantId: tenant.tenantId, tenantName: tenant.tenantName } });
    });
    return this.status(scope);
  }

  /** Revoke the grant at Xero, then forget the tokens. A grant Xero no longer knows is forgotten all the same. */
  async disconnect(scope: TenantScope): Promise<XeroStatus> {
    const { client, secrets } = this.ready(scope);
    const connection = await this.connection(scope);
    if (!connection) return this.status(scope);
    try {
      await client.revoke(secrets.open(connection.refreshToken, aad(scope.companyId, 'refresh')).plaintext);
    } catch (err) {
      if (err instanceof XeroCallError && err.failure === 'unavailable') {
        throw new IntegrationUnavailableError(`Xero could not revoke the connection (${err.message}); it is kept, try again`);
      }
      // Refused or unauthorised: the grant is already gone at Xero.
    }
    await scope.transaction(async (tx) => {
      await tx.repo(XeroConnection).delete(connection.id);
      await recordEvent(tx, { type: 'xero.disconnected', entityType: 'XeroConnection', entityId: connection.id });
    });
    return this.status(scope);
  }

  async status(scope: TenantScope): Promise<XeroStatus> {
    const connection = await this.connection(scope);
    const count = async (status: XeroSyncState) =>
      (await scope.repo(XeroSyncItem).page({ page: 1, limit: 1 }, (qb, a) => qb.andWhere(`${a}.status = :status`, { status }))).total;
    return Object.assign(new XeroStatus(), {
      connected: connection !== null,
      tenantName: connection?.tenantName ?? null,
      lastSyncAt: connection?.lastSyncAt ?? null,
      pending: await count('pending'),
      failed: await count('failed'),
    });
  }

  syncLog(scope: TenantScope, filters: { status?: XeroSyncState }, paging: PageRequest): Promise<Page<XeroSyncItem>> {
    return scope.repo(XeroSyncItem).page(paging, (qb, a) => {
      if (filters.status) qb.andWhere(`${a}.status = :status`, { status: filters.status });
      qb.orderBy(`${a}.updatedAt`, 'DESC').addOrderBy(`${a}.id`, 'ASC');
    });
  }

  /** Failed items go back to pending with fresh attempts, each with its job. */
  async requeueFailed(scope: TenantScope): Promise<XeroSyncQueued> {
    if (!(await this.connection(scope))) throw new IntegrationUnavailableError('Xero is not connected');
    const queued = await scope.transaction(async (tx) => {
      const failed = await tx.repo(XeroSyncItem).find((qb, a) => qb.andWhere(`${a}.status = 'failed'`).setLock('pessimistic_write'));
      for (const item of failed) {
        await tx.repo(XeroSyncItem).update(item.id, { status: 'pending', attempts: 0 });
        await this.schedule(tx, item.id);
      }
      return failed.length;
    });
    return Object.assign(new XeroSyncQueued(), { queued });
  }

  private async connection(scope: TenantScope): Promise<XeroConnection | null> {
    const [row] = await scope.repo(XeroConnection).find();
    return row ?? null;
  }

  // ── The outbox ────────────────────────────────────────────────────────────────────────────────

  /**
   * A change of a record, inside its transaction: count it and schedule its send. `start`: the change
   * makes the record one Xero should have (a vendor, an approval, income); otherwise only a record
   * already on its way to Xero is followed (an expense that was approved before).
   */
  async noteChange(tx: TenantScope, recordType: XeroRecordType, recordId: string, start: boolean): Promise<void> {
    if (!(await this.connection(tx))) return;
    const repo = tx.repo(XeroSyncItem);
    const [existing] = await repo.find((qb, a) =>
      qb.andWhere(`${a}.recordType = :recordType AND ${a}.recordId = :recordId`, { recordType, recordId }).setLock('pessimistic_write'),
    );
    if (!existing && !start) return;
    const item = existing
      ? await repo.update(existing.id, { changeSeq: (() => 'change_seq + 1') as never, status: 'pending', attempts: 0 })
      : await repo.insert({ recordType, recordId, status: 'pending', changeSeq: 1, syncedSeq: 0, attempts: 0 });
    await this.schedule(tx, item.id);
  }

  private async schedule(tx: TenantScope, itemId: string, runAt?: Date): Promise<void> {
    // One live job per item; a change while it runs is picked up by that run (it checks again at its end).
    await tx.enqueue({ kind: XERO_SYNC_JOB, payload: { itemId }, dedupeKey: `${XERO_SYNC_JOB}:${itemId}`, maxAttempts: 25, runAt });
  }

  /**
   * The job: send the item's latest change. At least once: a retry after a crash reuses the
   * Idempotency-Key of the change it was sending, so Xero answers it without creating anything twice.
   */
  async send(scope: TenantScope, itemId: string, run: SyncRun): Promise<void> {
    const { config, client } = this.ready(scope);
    let item = await scope.repo(XeroSyncItem).findById(itemId);
    if (!item || (item.syncedSeq >= item.changeSeq && item.sendingSeq === null)) return;
    if (item.status === 'failed') return; // POST /xero/sync puts it back
    const connection = await this.connection(scope);
    if (!connection) {
      await this.failed(scope, item, 'Xero is not connected; connect it and re-sync', true);
      return;
    }

    let request: { collection: 'Contacts' | 'Invoices'; body: Record<string, unknown>; voids: boolean };
    try {
      request = await this.request(scope, item);
    } catch (err) {
      if (err instanceof NotYet) throw new RetryAfterError(config.retry.baseMs, err.message);
      throw err;
    }
    if (request.voids && !item.xeroId) {
      // Never reached Xero: nothing to void there.
      await this.stored(scope, item, item.changeSeq, null, 'voided');
      return;
    }
    if (item.sendingSeq === null) item = await scope.repo(XeroSyncItem).update(item.id, { sendingSeq: item.changeSeq });
    const seq = item.sendingSeq!;
    const budget = `xero:${connection.tenantId}`;
    const idempotencyKey = `kisum-${item.id}-${seq}`;
    try {
      const { id } = await this.withBudget(run.budgets, budget, config, async () => {
        const call = (accessToken: string) => client.post(request.collection, request.body, { accessToken, tenantId: connection.tenantId, idempotencyKey });
        try {
          return await call(await this.accessToken(scope, connection, false));
        } catch (err) {
          if (!(err instanceof XeroCallError && err.failure === 'unauthorized')) throw err;
          return call(await this.accessToken(scope, connection, true));
        }
      });
      const after = await this.stored(scope, item, seq, id, request.voids ? 'voided' : 'synced');
      // A change came in while this one was on its way: send it too.
      if (after.changeSeq > after.syncedSeq) throw new RetryAfterError(0, 'a newer change waits');
    } catch (err) {
      if (!(err instanceof XeroCallError)) throw err;
      if (err.failure === 'rate-limited') {
        await run.budgets.pause(budget, err.retryAfterMs ?? 60_000);
        throw new RetryAfterError(err.retryAfterMs ?? 60_000, `Xero asked to wait: ${err.message}`);
      }
      const attempts = item.attempts + 1;
      const final = attempts >= config.retry.maxAttempts;
      await this.failed(scope, item, err.message, final);
      if (!final) throw new RetryAfterError(retryDelayMs(attempts, config.retry), `attempt ${attempts} failed: ${err.message}`);
    }
  }

  /** Run `call` inside one of the tenant's budgeted calls, or come back when one is free. */
  private async withBudget<R>(budgets: CallBudgets, budget: string, config: XeroConfig, call: () => Promise<R>): Promise<R> {
    // A refresh and a retry may add calls; the lease covers them with room to spare.
    const slot = await budgets.take(budget, config.limits, config.timeoutMs * 4 + 5_000);
    if (!('release' in slot)) throw new RetryAfterError(slot.waitMs, `Xero's ${slot.reason} limit: waiting ${slot.waitMs} ms`);
    try {
      return await call();
    } finally {
      await slot.release();
    }
  }

  /** Xero acknowledged change `seq`: keep its id; the item is done unless a later change came in meanwhile. */
  private async stored(scope: TenantScope, item: XeroSyncItem, seq: number, xeroId: string | null, outcome: XeroSyncState): Promise<XeroSyncItem> {
    return scope.transaction(async (tx) => {
      const updated = await tx.repo(XeroSyncItem).update(item.id, {
        xeroId: xeroId ?? item.xeroId,
        syncedSeq: (() => `greatest(synced_seq, ${Number(seq)})`) as never,
        sendingSeq: null,
        status: (() => `CASE WHEN change_seq <= ${Number(seq)} THEN '${outcome}' ELSE 'pending' END`) as never,
        attempts: 0,
        lastError: null,
        lastAttemptAt: tx.now(),
        syncedAt: tx.now(),
      });
      const connection = await this.connection(tx);
      if (connection && xeroId) await tx.repo(XeroConnection).update(connection.id, { lastSyncAt: tx.now() });
      return updated;
    });
  }

  private async failed(scope: TenantScope, item: XeroSyncItem, message: string, final: boolean): Promise<void> {
    await scope.repo(XeroSyncItem).update(item.id, {
      attempts: item.attempts + 1,
      lastError: message.slice(0, 2000),
      lastAttemptAt: scope.now(),
      ...(final ? { status: 'failed' as const } : {}),
    });
  }

  /** The Xero request for the record as it is now (or its void, when it is gone or no longer approved). */
  private async request(scope: TenantScope, item: XeroSyncItem): Promise<{ collection: 'Contacts' | 'Invoices'; body: Record<string, unknown>; voids: boolean }> {
    const id: Record<string, string> = item.xeroId ? { ContactID: item.xeroId } : {};
    if (item.recordType === 'vendor') {
      const vendor = await scope.repo(Vendor).findById(item.recordId);
      if (!vendor) return { collection: 'Contacts', body: { ...id, ContactStatus: 'ARCHIVED' }, voids: true };
      return {
        collection: 'Contacts',
        voids: false,
        body: {
          ...id,
          Name: vendor.name,
          EmailAddress: vendor.email ?? '',
          Phones: vendor.phone ? [{ PhoneType: 'DEFAULT', PhoneNumber: vendor.phone }] : [],
          TaxNumber: vendor.taxNumber ?? '',
        },
      };
    }
    const invoiceId: Record<string, string> = item.xeroId ? { InvoiceID: item.xeroId } : {};
    const voided = { collection: 'Invoices' as const, body: { ...invoiceId, Status: 'VOIDED' }, voids: true };
    if (item.recordType === 'expense') {
      const expense = await scope.repo(Expense).findById(item.recordId);
      if (!expense || expense.status !== 'approved') return voided;
      const event = await scope.repo(Event).findById(expense.eventId);
      const contact: Record<string, string> = expense.vendorId ? { ContactID: await this.vendorContact(scope, expense.vendorId) } : { Name: NO_VENDOR_CONTACT };
      const date = day(expense.decidedAt ?? expense.createdAt);
      return {
        collection: 'Invoices',
        voids: false,
        body: bill(invoice(invoiceId, 'ACCPAY', contact, expense, date, expense.dueAt ? day(expense.dueAt) : date, event?.name), expense, (await companyService.current(scope)).vatRegistered),
      };
    }
    const income = await scope.repo(Income).findById(item.recordId);
    if (!income) return voided;
    const event = await scope.repo(Event).findById(income.eventId);
    const date = day(income.receivedAt ?? income.createdAt);
    return { collection: 'Invoices', voids: false, body: invoice(invoiceId, 'ACCREC', { Name: INCOME_CONTACT }, income, date, date, event?.name) };
  }

  /** The vendor's ContactID; a vendor not in Xero yet is queued first, and the bill waits for it. */
  private async vendorContact(scope: TenantScope, vendorId: string): Promise<string> {
    const [vendorItem] = await scope.repo(XeroSyncItem).find((qb, a) =>
      qb.andWhere(`${a}.recordType = 'vendor' AND ${a}.recordId = :vendorId`, { vendorId }),
    );
    if (vendorItem?.xeroId) return vendorItem.xeroId;
    if (!vendorItem) await scope.transaction((tx) => this.noteChange(tx, 'vendor', vendorId, true));
    throw new NotYet("the bill waits for its vendor's contact in Xero");
  }

  /**
   * A usable access token. One refresh at a time per company (an advisory lock): the rotated refresh
   * token is committed together with the new access token before either is used, so a crash loses
   * nothing. A value sealed under an older key is sealed again under the current one on the way.
   */
  private async accessToken(scope: TenantScope, seen: XeroConnection, rejected: boolean): Promise<string> {
    const { client, secrets } = this.ready(scope);
    const open = (c: XeroConnection) => secrets.open(c.accessToken, aad(scope.companyId, 'access'));
    if (!rejected && seen.accessExpiresAt.getTime() - REFRESH_MARGIN_MS > scope.now().getTime()) {
      const access = open(seen);
      if (access.stale) await this.reseal(scope, seen);
      return access.plaintext;
    }
    return scope.transaction(async (tx) => {
      await tx.lockKey(TOKEN_LOCK);
      const current = await tx.repo(XeroConnection).findById(seen.id);
      if (!current) throw new XeroCallError('refused', 'Xero was disconnected');
      // Another run refreshed meanwhile: use its token.
      if (current.version !== seen.version && current.accessExpiresAt.getTime() - REFRESH_MARGIN_MS > tx.now().getTime()) return open(current).plaintext;
      const refreshToken = secrets.open(current.refreshToken, aad(tx.companyId, 'refresh')).plaintext;
      let tokens;
      try {
        tokens = await client.refresh(refreshToken);
      } catch (err) {
        if (err instanceof XeroCallError && err.failure !== 'unavailable') {
          throw new XeroCallError('refused', `Xero refused to refresh the connection (${err.message}); connect Xero again`, err.status);
        }
        throw err;
      }
      await tx.repo(XeroConnection).update(current.id, {
        accessToken: secrets.seal(tokens.accessToken, aad(tx.companyId, 'access')),
        refreshToken: secrets.seal(tokens.refreshToken, aad(tx.companyId, 'refresh')),
        accessExpiresAt: new Date(tx.now().getTime() + tokens.expiresIn * 1000),
      });
      return tokens.accessToken;
    });
  }

  /** Seal both tokens again under the current key (a rotation reaching this connection). */
  private async reseal(scope: TenantScope, connection: XeroConnection): Promise<void> {
    const { secrets } = this.ready(scope);
    const again = (value: string, part: string) => secrets.seal(secrets.open(value, aad(scope.companyId, part)).plaintext, aad(scope.companyId, part));
    try {
      await scope.repo(XeroConnection).update(
        connection.id,
        { accessToken: again(connection.accessToken, 'access'), refreshToken: again(connection.refreshToken, 'refresh') },
        connection.version,
      );
    } catch {
      // A refresh got there first and sealed under the current key anyway.
    }
  }

  /** For tests and tools: whether a connection's tokens open (they never appear in clear anywhere). */
  readable(scope: TenantScope, sealed: string, part: 'access' | 'refresh'): string {
    return this.ready(scope).secrets.open(sealed, aad(scope.companyId, part)).plaintext;
  }
}

/** Binds a sealed token to its company and column. */
const aad = (companyId: string, part: string) => `xero:${companyId}:${part}`;
const day = (d: Date) => d.toISOString().slice(0, 10);

function invoice(
  id: Record<string, string>,
  type: 'ACCPAY' | 'ACCREC',
  contact: Record<string, string>,
  record: { id: string; description: string; amount: number; currency: string },
  date: string,
  dueDate: string,
  eventName: string | undefined,
): Record<string, unknown> {
  return {
    ...id,
    Type: type,
    Contact: contact,
    LineItems: [{ Description: record.description, Quantity: 1, UnitAmount: new Decimal(toDecimal(money(record.amount, record.currency))) }],
    CurrencyCode: record.currency,
    Date: date,
    DueDate: dueDate,
    Status: 'AUTHORISED',
    Reference: `${eventName ? `${eventName} · ` : ''}Kisum ${type === 'ACCPAY' ? 'expense' : 'income'} ${record.id}`.slice(0, 255),
  };
}

/**
 * A bill's VAT: a VAT-registered company sends it as the line's tax on the net amount (Xero books it
 * as reclaimable); any other pays it as part of the cost, so the line is the amount with its VAT.
 */
function bill(body: Record<string, unknown>, expense: { amount: number; vat: number; currency: string }, vatRegistered: boolean): Record<string, unknown> {
  const [line] = body.LineItems as Record<string, unknown>[];
  const decimal = (amount: number) => new Decimal(toDecimal(money(amount, expense.currency)));
  if (vatRegistered) return { ...body, LineAmountTypes: 'Exclusive', LineItems: [{ ...line, TaxAmount: decimal(expense.vat) }] };
  if (!expense.vat) return body;
  return { ...body, LineAmountTypes: 'NoTax', LineItems: [{ ...line, UnitAmount: new Decimal(toDecimal(add(money(expense.amount, expense.currency), money(expense.vat, expense.currency)))) }] };
}

/** A request's call to Xero: Xero refusing is the caller's input (400), Xero failing or busy is 503. */
async function asRequestError<R>(call: () => Promise<R>, field: string): Promise<R> {
  try {
    return await call();
  } catch (err) {
    if (!(err instanceof XeroCallError)) throw err;
    if (err.failure === 'refused' || err.failure === 'unauthorized') throw ValidationError.field(field, `Xero refused it: ${err.message}`);
    throw new IntegrationUnavailableError(`Xero is unavailable: ${err.message}`);
  }
}

export const xeroSync = new XeroSync();
