import { defineProcedure } from '../../core/procedure';
import type { EventHandler } from '../../core/events';
import { f } from '../../core/fields';
import type { ServiceModule } from '../../core/module';
import { permission } from '../../permissions/catalog';
import { XERO_SYNC_STATES, XeroConnection, type XeroRecordType, XeroSyncItem, type XeroSyncState, XeroSyncStatusEnum } from './xero-records';
import { XeroStatus, XeroSyncQueued } from './xero-answers';
import { XERO_EVENTS, XERO_SETTINGS, XERO_SYNC_JOB, xeroSettings, xeroSync } from './xero.service';

const view = permission('xero', 'view');
const manage = permission('xero', 'manage');

/** A handler that notes a change of `recordType` in the change's transaction. */
const note = (recordType: XeroRecordType, start: boolean): EventHandler[] => [
  (event, tx) => xeroSync.noteChange(tx, recordType, event.entityId, start),
];

/**
 * The Xero accounting sync: a connection per company, and an outbox that sends vendors
 * as contacts, approved expenses as bills and income as invoices, once each, within Xero's limits.
 */
export const xeroModule: ServiceModule = {
  name: 'xero',
  entities: [XeroConnection, XeroSyncItem],
  configure: (config) => XERO_SETTINGS.is(xeroSettings(config.xero)),
  events: XERO_EVENTS,
  handlers: {
    'vendor.created': note('vendor', true),
    'vendor.updated': note('vendor', true),
    'vendor.deleted': note('vendor', false),
    'expense.approved': note('expense', true),
    // An approved expense that changes or goes away is updated or voided in Xero.
    'expense.updated': note('expense', false),
    'expense.submitted': note('expense', false),
    'expense.rejected': note('expense', false),
    'expense.deleted': note('expense', false),
    'income.created': note('income', true),
    'income.updated': note('income', true),
    'income.deleted': note('income', false),
  },
  jobs: {
    [XERO_SYNC_JOB]: {
      run: (payload, scope, context) => xeroSync.send(scope, String(payload.itemId), context),
    },
  },
  procedures: [
    defineProcedure<XeroStatus>({
      name: 'xeroStatus',
      kind: 'query',
      description: 'Whether the company is connected to Xero, to which organisation, the last sync, and the pending and failed counts.',
      permission: view,
      rest: { method: 'GET', path: '/xero/status' },
      returns: () => XeroStatus,
      run: (_input, scope) => xeroSync.status(scope),
    }),
    defineProcedure<XeroStatus>({
      name: 'connectXero',
      kind: 'mutation',
      description: "Connect the company to Xero: exchanges the OAuth2 code from Xero's consent screen and stores the tokens encrypted.",
      permission: manage,
      rest: { method: 'POST', path: '/xero/connection' },
      input: {
        code: f.text(2000).required().describe("The `code` Xero's consent screen redirected with."),
        redirectUri: f.text(2000).required().describe('The redirect URI the consent screen was opened with.'),
      },
      returns: () => XeroStatus,
      run: (input, scope) => xeroSync.connect(scope, input as { code: string; redirectUri: string }),
    }),
    defineProcedure<XeroStatus>({
      name: 'disconnectXero',
      kind: 'mutation',
      description: 'Revoke the Xero connection and forget its tokens.',
      permission: manage,
      rest: { method: 'DELETE', path: '/xero/connection' },
      returns: () => XeroStatus,
      run: async (_input, scope) => {
        await xeroSync.disconnect(scope);
        return null;
      },
    }),
    defineProcedure<XeroSyncQueued>({
      name: 'syncXero',
      kind: 'mutation',
      description: 'Queue every failed record again, with fresh attempts.',
      permission: manage,
      rest: { method: 'POST', path: '/xero/sync', status: 202 },
      returns: () => XeroSyncQueued,
      run: (_input, scope) => xeroSync.requeueFailed(scope),
    }),
    defineProcedure<XeroSyncItem>({
      name: 'xeroSyncLog',
      kind: 'query',
      description: "The outbox: each synced record with its state and Xero's message on failure, most recently changed first.",
      permission: view,
      rest: { method: 'GET', path: '/xero/sync-log' },
      input: { status: f.enumOf(XERO_SYNC_STATES, XeroSyncStatusEnum).describe('Only records in this state.') },
      returns: () => XeroSyncItem,
      page: (input, scope, paging) => xeroSync.syncLog(scope, { status: input.status as XeroSyncState | undefined }, paging),
    }),
  ],
};
