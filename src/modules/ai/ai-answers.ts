import { Field, GraphQLISODateTime, ID, ObjectType } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';
import { MaxItems } from '../../core/list-size';
import { ExpenseCategoryEnum, type ExpenseCategory } from '../expenses';

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
