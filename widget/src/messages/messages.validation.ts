import { CreateServiceThreadBody, LoginBody, SendMessageBody } from '@clocktree/protocol';
import type { z } from 'zod';

export type FieldErrors = Partial<Record<string, string>>;
export type Validation<T> = { success: true; data: T } | { success: false; errors: FieldErrors };

/** One message per field, in the words the server would use; a bare "too small" from zod becomes "must not be empty". */
function check<S extends z.ZodType>(schema: S, input: unknown): Validation<z.infer<S>> {
  const result = schema.safeParse(input);
  if (result.success) return { success: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '');
    const message = issue.code === 'too_small' && issue.minimum === 1 ? 'must not be empty' : issue.message;
    errors[field] ??= message;
  }
  return { success: false, errors };
}

/** The protocol's own schemas, so the forms accept exactly what the server accepts. Loaded on first use: zod is big. */
export const validateLogin = (input: { email: string; password: string }) => check(LoginBody, input);
export const validateReply = (input: { body: string; attachmentIds?: string[] }) => check(SendMessageBody, input);
export const validateNewThread = (input: { subject?: string; body: string; attachmentIds?: string[] }) =>
  check(CreateServiceThreadBody, input);
