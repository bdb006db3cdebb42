import { z } from 'zod';
import { Email, Id, line, Phone, text } from './common.ts';

export const MESSAGE_BODY_MAX = 20_000;

export const ThreadKind = z.enum(['direct', 'contact-us', 'service', 'network']);
export type ThreadKind = z.infer<typeof ThreadKind>;

export const ThreadStatus = z.enum(['open', 'closed']);
export type ThreadStatus = z.infer<typeof ThreadStatus>;

export const AuthorRole = z.enum(['client', 'prospect', 'practice']);
export type AuthorRole = z.infer<typeof AuthorRole>;

/** The Contact Us form: a visitor, signed in or not, writes to the practice's front desk. */
export const ContactUsBody = z.strictObject({
  name: line(120),
  email: Email,
  phone: Phone.optional(),
  body: text(MESSAGE_BODY_MAX),
});
export type ContactUsBody = z.infer<typeof ContactUsBody>;

export const ThreadSummary = z.object({
  id: Id,
  kind: ThreadKind,
  status: ThreadStatus,
  practiceId: Id.nullable(),
  clientId: Id.nullable(),
  awaiting: z.boolean(),
  awaitingSince: z.string().nullable(),
  lastMessageAt: z.string(),
});
export type ThreadSummary = z.infer<typeof ThreadSummary>;

/** Who wrote in through Contact Us; shown only to readers of the thread. */
export const ThreadContact = z.object({ name: z.string(), email: z.string(), phone: z.string() });

export const ThreadDetail = ThreadSummary.extend({
  subject: z.string().nullable(),
  contact: ThreadContact.nullable(),
});
export type ThreadDetail = z.infer<typeof ThreadDetail>;

export const Attachment = z.object({ id: Id, name: z.string(), size: z.number(), type: z.string() });
export type Attachment = z.infer<typeof Attachment>;

export const Message = z.object({
  id: Id,
  authorId: Id.nullable(),
  authorRole: AuthorRole,
  body: z.string(),
  createdAt: z.string(),
  attachments: z.array(Attachment),
});
export type Message = z.infer<typeof Message>;

export const ThreadListQuery = z.strictObject({
  practiceId: Id.optional(),
  clientId: Id.optional(),
  status: ThreadStatus.optional(),
});
export type ThreadListQuery = z.infer<typeof ThreadListQuery>;

export const CreateContactUsResult = z.object({ thread: z.object({ id: Id }) });

export const ContactUsName = line(120);
