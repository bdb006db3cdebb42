import { z } from 'zod';
import { Email, Id, line, Phone, text } from './common.ts';
import { PowPayload } from './proof-of-work.ts';

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
  /** Honeypot: hidden from people, filled by bots. A filled one is accepted and silently dropped. */
  website: z.string().max(200).optional(),
  /** A solved `challenge_required` challenge, sent with the same message again; needed only while under a flood. */
  altcha: PowPayload.optional(),
});
export type ContactUsBody = z.infer<typeof ContactUsBody>;

/** A practice has this long to respond (or close) before it drops out of the directory. */
export const RESPONSE_WINDOW_MS = 7 * 24 * 3600_000;

export const CONTACT_PREVIEW_MAX = 80;

export const ContactUsPreview = z.object({ name: z.string(), firstLine: z.string() });
export type ContactUsPreview = z.infer<typeof ContactUsPreview>;

/** A professional as their My Network peers see them. */
export const NetworkPeer = z.object({ id: Id, name: z.string() });
export type NetworkPeer = z.infer<typeof NetworkPeer>;

export const ThreadSummary = z.object({
  id: Id,
  kind: ThreadKind,
  status: ThreadStatus,
  practiceId: Id.nullable(),
  clientId: Id.nullable(),
  serviceId: Id.nullable(),
  /** Shown only to readers of the thread; never in a notification. */
  subject: z.string().nullable(),
  awaiting: z.boolean(),
  awaitingSince: z.string().nullable(),
  /** awaitingSince + 7 days while awaiting: the 7-day rule's deadline. */
  respondBy: z.string().nullable(),
  lastMessageAt: z.string(),
  /** Sequence number of the newest message (messages are numbered 1, 2, 3… per thread). */
  seq: z.number().int(),
  /** The newest seq the caller has marked read; unread when `seq > lastReadSeq`. */
  lastReadSeq: z.number().int(),
  /**
   * `contact-us` threads, for members of the practice only: who wrote in and the first line (at most
   * CONTACT_PREVIEW_MAX characters) of their first message, so that two prospects are told apart. Absent or null
   * for everyone else and every other kind.
   */
  preview: ContactUsPreview.nullable().optional(),
  /** `network` threads: the My Network connection they belong to (files are uploaded for it). Null otherwise. */
  connectionId: Id.nullable().optional(),
  /**
   * `network` threads only: the other professional of the two, as the one reading sees it (each peer is told the
   * other's id and name). Absent on every other kind; only the two peers ever read a network thread.
   */
  peer: NetworkPeer.optional(),
});
export type ThreadSummary = z.infer<typeof ThreadSummary>;

/** Who wrote in through Contact Us; shown only to readers of the thread. */
export const ThreadContact = z.object({ name: z.string(), email: z.string(), phone: z.string() });

export const ThreadDetail = ThreadSummary.extend({
  contact: ThreadContact.nullable(),
});
export type ThreadDetail = z.infer<typeof ThreadDetail>;

export const Attachment = z.object({ id: Id, name: z.string(), size: z.number(), type: z.string() });
export type Attachment = z.infer<typeof Attachment>;

export const Message = z.object({
  id: Id,
  seq: z.number().int(),
  authorId: Id.nullable(),
  /** Display name of the author, for readers of the thread. */
  authorName: z.string(),
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
  kind: ThreadKind.optional(),
});

/** `afterSeq` returns only newer messages: how a client re-syncs after a dropped connection. */
export const ThreadReadQuery = z.strictObject({
  afterSeq: z.coerce.number().int().min(0).optional(),
});
export type ThreadReadQuery = z.infer<typeof ThreadReadQuery>;

export const ATTACHMENTS_PER_MESSAGE_MAX = 10;

const Subject = line(200);

/** A colleague starts a thread from a client's profile ("Send Message"). */
export const CreateThreadBody = z.strictObject({
  clientId: Id,
  subject: Subject.optional(),
  body: text(MESSAGE_BODY_MAX),
  attachmentIds: z.array(Id).max(ATTACHMENTS_PER_MESSAGE_MAX).optional(),
});
export type CreateThreadBody = z.infer<typeof CreateThreadBody>;

/** A client writes through one of the practice's message services. */
export const CreateServiceThreadBody = z.strictObject({
  subject: Subject.optional(),
  body: text(MESSAGE_BODY_MAX),
  attachmentIds: z.array(Id).max(ATTACHMENTS_PER_MESSAGE_MAX).optional(),
});
export type CreateServiceThreadBody = z.infer<typeof CreateServiceThreadBody>;

/** A reply; the body may be empty only when files are attached. */
export const SendMessageBody = z
  .strictObject({
    body: z
      .string()
      .max(MESSAGE_BODY_MAX, `must be at most ${MESSAGE_BODY_MAX} characters`)
      // eslint-disable-next-line no-control-regex
      .refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s), 'must not contain control characters'),
    attachmentIds: z.array(Id).max(ATTACHMENTS_PER_MESSAGE_MAX).optional(),
  })
  .refine((b) => b.body.trim().length > 0 || (b.attachmentIds?.length ?? 0) > 0, {
    path: ['body'],
    message: 'must not be empty unless files are attached',
  });
export type SendMessageBody = z.infer<typeof SendMessageBody>;

/** `Idempotency-Key` header on message sends: a client-chosen unique string per logical send. */
export const IdempotencyKey = z.string().regex(/^[A-Za-z0-9_-]{8,128}$/, 'must be 8 to 128 letters, digits, _ or -');

export const MarkReadBody = z.strictObject({ seq: z.number().int().min(0) });
export type MarkReadBody = z.infer<typeof MarkReadBody>;

export const ThreadResponse = z.object({ thread: ThreadSummary });
export const MessageResponse = z.object({ message: Message });
export type ThreadListQuery = z.infer<typeof ThreadListQuery>;

export const CreateContactUsResult = z.object({ thread: z.object({ id: Id }) });

export const ContactUsName = line(120);
