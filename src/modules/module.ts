import type { RouteDef } from '../http/rest';
import type { RuleSpec } from '../graphql/rules';

/** Federation reference resolvers by type name. */
export type ReferenceResolvers = Record<string, { __resolveReference(ref: { id: string }, ctx: never): unknown }>;

/**
 * What a domain module hands the application: its entities, GraphQL resolvers, REST routes,
 * permission rules and federation reference resolvers. `src/modules/index.ts` lists them all.
 */
export interface BaseModule {
  name: string;
  entities: Function[];
  resolvers: Function[];
  routes: RouteDef[];
  rules: RuleSpec;
  references: ReferenceResolvers;
}
