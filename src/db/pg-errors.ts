import { BadRequestError, ConflictError, DomainError, ValidationError } from '../shared/errors';

/**
 * Turns the database's verdicts into domain errors. Constraints are named by convention so the
 * answer can be built from the constraint itself rather than from a race-prone pre-check:
 *   uq__<table>__<field>        unique business key (or exclusion) → 409 naming the field
 *   fk__<table>__<column>       reference to another record    → 400 on write, 409 on delete
 *   ck__<table>__<rule>         state invariant (seats, holds) → 409
 */
export interface PgError {
  code?: string;
  constraint?: string;
  table?: string;
  detail?: string;
}

export interface ConstraintName {
  kind: 'uq' | 'fk' | 'ck';
  table: string;
  subject: string;
}

export function parseConstraint(name: string | undefined): ConstraintName | null {
  const m = /^(uq|fk|ck)__([a-z0-9_]+?)__([a-z0-9_]+)$/.exec(name ?? '');
  return m ? { kind: m[1] as ConstraintName['kind'], table: m[2], subject: m[3] } : null;
}

export const camel = (snake: string) => snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const idField = (column: string) => camel(column);
const singular = (table: string) => table.replace(/ies$/, 'y').replace(/s$/, '');

export interface Reference {
  /** The table whose rows still point at the record. */
  table: string;
  field: string;
}

/**
 * Translate an error thrown by a write. `onDelete` tells which side of a foreign key we are on:
 * deleting a record still referenced is a conflict; writing a reference to a missing record is
 * invalid input on that field.
 */
export function translateWriteError(err: unknown, onDelete = false): DomainError | unknown {
  const pg = err as PgError;
  if (!pg || typeof pg.code !== 'string') return err;
  const c = parseConstraint(pg.constraint);
  switch (pg.code) {
    case '23505':
    case '23P01': {
      const field = c ? camel(c.subject) : 'key';
      return new ConflictError(`A record with this ${field} already exists`, [
        { field, message: 'already exists in this company' },
      ]);
    }
    case '23503': {
      if (onDelete) {
        const table = c?.table ?? pg.table ?? 'another record';
        const ref: Reference = { table, field: c ? idField(c.subject) : 'id' };
        return new ReferencedError(ref);
      }
      const field = c ? idField(c.subject) : 'reference';
      // The referenced family is the last word (`document_file_id` names a file).
      const target = c ? singular(c.subject.replace(/_id$/, '').replace(/^.*_/, '')) : 'record';
      return ValidationError.field(field, `no such ${target} in this company`);
    }
    case '23514':
      return new ConflictError(
        c ? `The change breaks the rule ${c.subject.replace(/_/g, ' ')}` : 'The change breaks a rule of the record',
      );
    default:
      return err;
  }
}

/** A delete refused because other records still point at this one; `count` is filled in after. */
export class ReferencedError extends ConflictError {
  constructor(readonly reference: Reference, count?: number, what = 'The record') {
    super(
      `${what} is still referenced by ${count ?? 'some'} ${reference.table.replace(/_/g, ' ')} record(s); delete or detach them first`,
      [{ referencedBy: reference.table, field: reference.field, count: count ?? null }],
    );
  }
}

/**
 * The last line behind the validators: a value PostgreSQL refuses as data (SQLSTATE class 22: a
 * date-time out of range, a number out of range, text that is no valid value of its type) is the
 * caller's input, never a 500. The statement failed, so nothing was changed.
 */
export function asDataException(err: unknown): BadRequestError | null {
  const code = (err as PgError | null)?.code;
  return typeof code === 'string' && code.startsWith('22') ? new BadRequestError('A value is outside what the database can store') : null;
}
