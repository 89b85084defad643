import { Field, GraphQLISODateTime, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: "The company's Xero connection and how its sync is doing." })
export class XeroStatus {
  @Field({ description: 'Whether the company is connected to a Xero organisation.' })
  connected: boolean;

  @Field(() => String, { nullable: true, description: 'The Xero organisation.' })
  tenantName: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When Xero last confirmed a change.' })
  lastSyncAt: Date | null;

  @Field(() => Int, { description: 'Records waiting to be sent.' })
  pending: number;

  @Field(() => Int, { description: 'Records whose sending failed; POST /api/xero/sync queues them again.' })
  failed: number;
}

@ObjectType({ description: 'What a re-sync queued.' })
export class XeroSyncQueued {
  @Field(() => Int, { description: 'Failed records queued again.' })
  queued: number;
}
