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

/** A path id that cannot be an id names nothing: 404, like any id that does not exist. */
export function pathId(value: string | undefined, what: string): string {
  if (!isId(value)) throw notFound(what);
  return value;
}
