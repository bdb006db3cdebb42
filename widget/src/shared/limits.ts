/**
 * The protocol's limits, copied so this chunk stays free of zod (the protocol defines them beside its schemas).
 * limits.test.ts fails if they drift apart. Every form takes its maxlength from here, never a literal.
 */
export const LIMITS = {
  /** MESSAGE_BODY_MAX */
  body: 20_000,
  /** CreateServiceThreadBody.subject */
  subject: 200,
  /** Email */
  email: 254,
  /** LoginBody.password; Password (a new one) has the same maximum */
  password: 256,
  /** Password: the minimum length of a new password (invitations, resets) */
  newPasswordMin: 10,
  /** RegisterBody.name */
  name: 120,
  /** ATTACHMENTS_PER_MESSAGE_MAX */
  attachments: 10,
  /** ATTACHMENT_MAX_BYTES */
  attachmentBytes: 25 * 1024 * 1024,
} as const;
