/**
 * The protocol's limits, copied so this chunk stays free of zod (the protocol defines them beside its schemas).
 * messages.test.ts fails if they drift apart.
 */
export const LIMITS = {
  /** MESSAGE_BODY_MAX */
  body: 20_000,
  /** CreateServiceThreadBody.subject */
  subject: 200,
  /** Email */
  email: 254,
  /** LoginBody.password */
  password: 256,
  /** ATTACHMENTS_PER_MESSAGE_MAX */
  attachments: 10,
  /** ATTACHMENT_MAX_BYTES */
  attachmentBytes: 25 * 1024 * 1024,
} as const;
