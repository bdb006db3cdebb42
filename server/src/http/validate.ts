import { isId, type FieldIssue } from '@clocktree/protocol';
import type { z } from 'zod';
import { ApiError, notFound } from './api-error.ts';

/** Validates input against a protocol schema; failures name every offending field. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: FieldIssue[] = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message,
  }));
  throw new ApiError('validation_failed', 'The request is not valid.', fields);
}

/**
 * Validates a query string: a name given twice (`?distanceKm=1&distanceKm=2`) arrives as an array, which every query
 * schema would refuse with a type error that does not say what is wrong; it is named as given twice instead.
 */
export function parseQuery<S extends z.ZodType>(schema: S, query: Record<string, unknown>): z.output<S> {
  const repeated = Object.keys(query).filter((name) => Array.isArray(query[name]));
  if (repeated.length)
    throw new ApiError(
      'validation_failed',
      'The request is not valid.',
      repeated.map((path) => ({ path, message: 'is given more than once' })),
    );
  return parse(schema, query);
}

/** A path id that cannot be an id names nothing: 404, like any id that does not exist. */
export function pathId(value: string | undefined, what: string): string {
  if (!isId(value)) throw notFound(what);
  return value;
}
