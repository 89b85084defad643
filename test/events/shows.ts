import { ALL_PERMISSIONS } from '../../src/permissions/catalog';
import type { Caller, TestBase } from '../support/harness';
import { createVia, freshCaller } from '../support/fixtures';
import { createArtist, createEvent, createTier } from './support';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** Completed shows with money and deals, over REST, for the settlement tests. */

export interface Deal {
  dealType: 'flat' | 'versus' | 'plus' | 'door';
  guarantee?: number;
  percentage?: number;
  percentageOf?: 'gross' | 'net';
  expenseCap?: number;
  promoterProfit?: number;
  currency?: string;
  /** Basis points of the fee withheld at source (a foreign artist). */
  withholdingRate?: number;
}
export interface ShowSpec {
  taxRate?: number;
  tiers?: { price: number; sold: number; fee?: number }[];
  incomes?: { amount: number; currency?: string }[];
  /** Approved unless `status` says otherwise. */
  expenses?: { amount: number; category?: string; currency?: string; status?: 'draft' | 'submitted' | 'approved' }[];
  /** One accepted offer per lineup artist, in running order. */
  deals?: Deal[];
}
export interface Company {
  admin: Caller;
  approver: Caller;
}

/** The helpers, bound to one test file's base. */
export function shows(base: TestBase) {
  /** A company of its own: an admin with every permission, and a second member who approves. */
  async function company(): Promise<Company> {
    const admin = await freshCaller(base);
    const approver = await base.caller(ALL_PERMISSIONS, { company: admin.companyId });
    return { admin, approver };
  }

  const post = (actor: Caller, path: string, body: Record<string, unknown> = {}) => base.rest('POST', path, { as: actor, body });

  async function must(answer: Promise<{ status: number; body: any }>, status = 200): Promise<any> {
    const res = await answer;
    if (res.status !== status) throw new Error(`expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
    return res.body?.data;
  }

  /** A sent offer for the event, in EUR. */
  async function sentOffer(actor: Caller, eventId: string, artistId: string, deal: Deal): Promise<any> {
    const offer = await createVia(base, actor, '/api/offers', { artistId, eventId, currency: 'EUR', ...deal });
    return must(post(actor, `/api/offers/${offer.id}/send`));
  }

  async function acceptedOffer(actor: Caller, eventId: string, artistId: string, deal: Deal): Promise<any> {
    const offer = await sentOffer(actor, eventId, artistId, deal);
    return must(post(actor, `/api/offers/${offer.id}/accept`));
  }

  async function expense(who: Company, eventId: string, spec: NonNullable<ShowSpec['expenses']>[number]): Promise<any> {
    const made = await createVia(base, who.admin, `/api/events/${eventId}/expenses`, { category: spec.category ?? 'production', description: 'Cost', amount: spec.amount, ...(spec.currency ? { currency: spec.currency } : {}) });
    const status = spec.status ?? 'approved';
    if (status !== 'draft') await must(post(who.admin, `/api/events/${eventId}/expenses/${made.id}/submit`));
    if (status === 'approved') await must(post(who.approver, `/api/events/${eventId}/expenses/${made.id}/approve`));
    return made;
  }

  /** A completed EUR show as the spec says; returns the event, its lineup and offers. */
  async function show(who: Company, spec: ShowSpec): Promise<{ event: any; artists: any[]; offers: any[] }> {
    const artists = [];
    for (const [i] of (spec.deals ?? []).entries()) artists.push(await createArtist(base, who.admin, `Artist ${i}`));
    const event = await createEvent(base, who.admin, { currency: 'EUR', taxRate: spec.taxRate ?? null, lineup: artists.map((a) => a.id) });
    for (const tier of spec.tiers ?? []) await createTier(base, who.admin, event.id, { price: tier.price, quantity: tier.sold + 10, sold: tier.sold, fee: tier.fee ?? null });
    for (const income of spec.incomes ?? []) await createVia(base, who.admin, `/api/events/${event.id}/incomes`, { category: 'bar', description: 'Bar', ...income });
    for (const e of spec.expenses ?? []) await expense(who, event.id, e);
    const offers = [];
    for (const [i, deal] of (spec.deals ?? []).entries()) offers.push(await acceptedOffer(who.admin, event.id, artists[i].id, deal));
    await must(post(who.admin, `/api/events/${event.id}/openSales`));
    await must(post(who.admin, `/api/events/${event.id}/complete`));
    return { event, artists, offers };
  }

  const settlement = (actor: Caller, eventId: string) => must(base.rest('GET', `/api/events/${eventId}/settlement`, { as: actor }));

  return { company, post, must, sentOffer, acceptedOffer, expense, show, settlement };
}
