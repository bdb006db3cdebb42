import { ContactUsBody } from '@clocktree/protocol';

/** What the visitor types; `altcha` (a solved challenge) is added by the widget when the server asks for one. */
export type ContactUsField = Exclude<keyof ContactUsBody, 'altcha'>;
export type ContactUsInput = Record<ContactUsField, string | undefined>;
export type FieldErrors = Partial<Record<ContactUsField, string>>;
export type ContactUsValidation = { success: true; data: ContactUsBody } | { success: false; errors: FieldErrors };

/** The protocol's own schema, so the form accepts exactly what the server accepts. One message per field. */
export function validateContactUs(input: ContactUsInput): ContactUsValidation {
  const result = ContactUsBody.safeParse(input);
  if (result.success) return { success: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = issue.path[0] as ContactUsField;
    errors[field] ??= issue.message;
  }
  return { success: false, errors };
}
