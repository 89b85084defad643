// The domain errors live in src/shared/errors.ts, below every layer; core/fields.ts still takes them from here.
export * from '../shared/errors';
