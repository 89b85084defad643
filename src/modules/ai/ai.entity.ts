import { Check, Entity, Index, Unique } from 'typeorm';
import { Field, GraphQLISODateTime, ID, ObjectType } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';
import { MaxItems } from '../../core/list-size';
import { TenantEntity } from '../../db/base-entity';
import { ExpenseCategoryEnum, type ExpenseCategory } from '../expenses';
import { IntColumn, TextColumn } from '../../db/columns';

export const AI_HELPERS = ['offer-draft', 'event-summary', 'expense-from-text'] as const;
export type AiHelper = (typeof AI_HELPERS)[number];

/** One answered AI call: which helper, which model, the tokens it cost (the caller is `createdBy`). */
@ObjectType({ description: 'One AI call of the company and the tokens it used.' })
@Entity('ai_calls')
// What the migration creates, so TypeORM's schema diff drafts nothing.
@Unique('uq__ai_calls__company_id_id', ['companyId', 'id'])
@Check('ck__ai_calls__helper', `helper IN (${AI_HELPERS.map((h) => `'${h}'`).join(', ')})`)
@Check('ck__ai_calls__tokens_not_negative', 'prompt_tokens >= 0 AND completion_tokens >= 0 AND total_tokens >= 0')
@Index('ix__ai_calls__company_created', ['companyId', 'createdAt'])
export class AiCall extends TenantEntity {
  @TextColumn({ description: 'offer-draft, event-summary or expense-from-text.' })
  helper: AiHelper;

  @TextColumn({ description: 'The model that answered.' })
  model: string;

  @IntColumn()
  promptTokens: number;

  @IntColumn()
  completionTokens: number;

  @IntColumn()
  totalTokens: number;
}

/** Whom a drafted email is for: taken from the records, never from the model. */
@ObjectType('AiRecipient', { description: 'Whom a drafted email is for: taken from the records (the agent, else the artist), never from the model.' })
export class AiRecipient {
  @Field({ description: 'Their name as the records have it.' })
  name: string;
  @Field(() => String, { nullable: true, description: 'Their email address; null when the records have none.' })
  email: string | null;
}

@ObjectType('OfferDraft', { description: "An email about an offer to the artist's agent (or the artist without one), for the caller to edit and send." })
export class OfferDraft {
  @Field(() => ID, { description: 'The offer the email is about.' })
  offerId: string;
  @Field(() => AiRecipient, { description: 'Whom it is for.' })
  to: AiRecipient;
  @Field({ description: "The email's subject line." })
  subject: string;
  @Field({ description: 'The email text, plain, for the caller to edit before sending.' })
  body: string;
}

@ObjectType('EventSummary', { description: "An event's money in words, from its settlement (the stored statement once settled), for the caller to review." })
export class EventSummary {
  @Field(() => ID, { description: 'The event summarised.' })
  eventId: string;
  @Field({ description: 'Whether the figures are those of the stored statement of a settled event.' })
  settled: boolean;
  @Field({ description: 'The summary in words, plain text.' })
  summary: string;
}

@ObjectType('AiFieldIssue', { description: 'A field the AI suggested that failed the rules and was left empty, and why.' })
export class AiFieldIssue {
  @Field({ description: 'The draft field left empty (`category`, `amount`, …).' })
  field: string;
  @Field({ description: 'Why the suggested value was refused, as the expense rules say it.' })
  message: string;
}

@ObjectType('ExpenseDraft', { description: 'Fields for a new expense read from text, checked against the expense rules; nothing is saved.' })
export class ExpenseDraft {
  @Field(() => ExpenseCategoryEnum, { nullable: true, description: 'The kind of cost; null when the text did not say.' })
  category: ExpenseCategory | null;
  @Field(() => ID, { nullable: true, description: "One of the company's vendors, matched by name." })
  vendorId: string | null;
  @Field(() => String, { nullable: true, description: 'The vendor as the text names it (matched or not).' })
  vendorName: string | null;
  @Field(() => String, { nullable: true, description: 'What the cost was for, in words.' })
  description: string | null;
  @Field(() => GraphQLSafeInt, { nullable: true, description: 'Minor units of `currency`.' })
  amount: number | null;
  @Field(() => String, { nullable: true, description: 'ISO-4217 code of `amount` (`EUR`).' })
  currency: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When it is to be paid, if the text said.' })
  dueAt: Date | null;
  // At most one issue per field of the draft (the eight above).
  @MaxItems(8)
  @Field(() => [AiFieldIssue], { description: 'Suggested values that were left out, with the reason.' })
  issues: AiFieldIssue[];
}
