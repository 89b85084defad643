import { f } from '../../core/fields';
import { defineRecord, type RecordOf } from '../../core/record';

export const AI_HELPERS = ['offer-draft', 'event-summary', 'expense-from-text'] as const;
export type AiHelper = (typeof AI_HELPERS)[number];

/** One answered AI call: which helper, which model, the tokens it cost (the caller is `createdBy`). */
export const AiCall = defineRecord({
  name: 'AiCall',
  table: 'ai_calls',
  description: 'One AI call of the company and the tokens it used.',
  federated: false,
  fields: {
    // A String in GraphQL (no enum type of its own), held to the helpers by its CHECK.
    helper: f
      .text()
      .checked(`$ IN (${AI_HELPERS.map((h) => `'${h}'`).join(', ')})`)
      .describe('offer-draft, event-summary or expense-from-text.'),
    model: f.text().describe('The model that answered.'),
    promptTokens: f.int(),
    completionTokens: f.int(),
    totalTokens: f.int(),
  },
  checks: { ck__ai_calls__tokens_not_negative: 'prompt_tokens >= 0 AND completion_tokens >= 0 AND total_tokens >= 0' },
  // The company's calls by time.
  indexes: [{ name: 'ix__ai_calls__company_created', columns: ['companyId', 'createdAt'] }],
});
export type AiCall = RecordOf<typeof AiCall>;
