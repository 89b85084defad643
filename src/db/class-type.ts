/**
 * A class, abstract or not, whatever its constructor takes: what TypeORM and type-graphql accept as
 * an entity, resolver or input type (they type it as the looser `Function`).
 */
export type ClassType = abstract new (...args: never[]) => unknown;
