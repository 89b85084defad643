import type { FieldIssue } from '../shared/errors';

/**
 * Text PostgreSQL cannot store or that is not text at all: a NUL character (refused by
 * PostgreSQL's text types) and unpaired UTF-16 surrogates (not encodable as UTF-8). Checked on
 * every incoming value, keys included, so a new family is covered without code of its own.
 */
export const MAX_INPUT_DEPTH = 32;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function textProblem(text: string): string | null {
  if (text.includes('\u0000')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(text)) return 'must not contain unpaired UTF-16 surrogates';
  return null;
}

/** The first unstorable string (or too deep nesting) in `value`, named by its path; null when clean. */
export function findUnsafeText(value: unknown, prefix: string[] = []): FieldIssue | null {
  const stack: { value: unknown; path: string[] }[] = [{ value, path: prefix }];
  while (stack.length) {
    const { value: current, path } = stack.pop()!;
    const field = path.join('.') || 'body';
    if (typeof current === 'string') {
      const problem = textProblem(current);
      if (problem) return { field, message: problem };
      continue;
    }
    if (!current || typeof current !== 'object') continue;
    if (path.length - prefix.length >= MAX_INPUT_DEPTH) return { field, message: `is nested deeper than ${MAX_INPUT_DEPTH} levels` };
    for (const [key, item] of Object.entries(current)) {
      const keyProblem = textProblem(key);
      // The key itself is the offender: name the containing object, never echo the raw key.
      if (keyProblem) return { field, message: `has a key that ${keyProblem}` };
      stack.push({ value: item, path: [...path, key] });
    }
  }
  return null;
}
