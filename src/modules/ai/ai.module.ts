import { ChatCompletionsClient } from './chat-completions.client';
import { defineProcedure } from '../../core/procedure';
import { f } from '../../core/fields';
import type { ServiceModule } from '../../core/module';
import { AiCall } from './ai-call';
import { AiFieldIssue, AiRecipient, EventSummary, ExpenseDraft, OfferDraft } from './ai-answers';
import { AI_PROVIDER, aiService } from './ai.service';

/** Past the company's limit, and the provider unconfigured, failing or slow. */
const AI_ERRORS = ['RATE_LIMITED', 'AI_UNAVAILABLE'] as const;

/**
 * The AI helpers: drafts from the company's own records, answered for the caller to review. Each
 * needs `basic.ai.use` and the view permission of every kind of record it must read; kinds it reads
 * only when the caller may (a venue, the company) are left out of the prompt otherwise.
 */
export const aiModule: ServiceModule = {
  name: 'ai',
  entities: [AiCall],
  procedures: [
    defineProcedure<OfferDraft>({
      name: 'aiOfferDraft',
      kind: 'mutation',
      description:
        "Draft an email about an offer to the artist's agent (or the artist without one) from the offer, the artist and the agency; the venue, event and company go in when the caller may view them. Nothing is sent or saved.",
      permission: ['basic.ai.use', 'basic.offer.view', 'basic.artist.view', 'basic.agency.view'],
      rest: { method: 'POST', path: '/ai/offer-draft' },
      errors: AI_ERRORS,
      input: { offerId: f.id().required().describe('The offer to write about.') },
      returns: () => OfferDraft,
      valueTypes: [AiRecipient],
      run: (input, scope, caller) => aiService.offerDraft(scope, caller, input.offerId as string),
    }),
    defineProcedure<EventSummary>({
      name: 'aiEventSummary',
      kind: 'mutation',
      description:
        "The event's money in words, from its settlement (the stored statement once settled): the figures come from the settlement, never from the model. Artist names and the venue go in when the caller may view them. Nothing is saved.",
      permission: ['basic.ai.use', 'basic.event.view', 'basic.income.view', 'basic.expense.view'],
      rest: { method: 'POST', path: '/ai/event-summary' },
      errors: AI_ERRORS,
      input: { eventId: f.id().required().describe('The event to summarise.') },
      returns: () => EventSummary,
      run: (input, scope, caller) => aiService.eventSummary(scope, caller, input.eventId as string),
    }),
    defineProcedure<ExpenseDraft>({
      name: 'aiExpenseFromText',
      kind: 'mutation',
      description:
        "Fields for a new expense read from text, checked against the expense rules (a vendor only when it is one of the company's, matched by name with basic.vendor.view); values that fail are left empty and listed in issues. Nothing is saved.",
      permission: ['basic.ai.use', 'basic.expense.create'],
      rest: { method: 'POST', path: '/ai/expense-from-text' },
      errors: AI_ERRORS,
      input: { text: f.text(4000).required().describe('What was spent, in words (a receipt, a message).') },
      returns: () => ExpenseDraft,
      valueTypes: [AiFieldIssue],
      run: (input, scope, caller) => aiService.expenseFromText(scope, caller, input.text as string),
    }),
  ],
  configure(config, logger) {
    const { url, apiKey, model, timeoutMs, callsPerWindow, windowSeconds } = config.ai;
    return AI_PROVIDER.is({ client: new ChatCompletionsClient({ url, apiKey, model, timeoutMs }, logger), callsPerWindow, windowSeconds });
  },
};
