import { z } from 'zod';
import { Email, Id, text } from './common.ts';
import { ATTACHMENTS_PER_MESSAGE_MAX, MESSAGE_BODY_MAX, NetworkPeer } from './threads.ts';

/**
 * My Network: professionals connect with professionals by invitation, then message (`network` threads, no practice)
 * and call each other. Free and never billed to a practice. Clients get 403 on every network endpoint.
 */

/** How long a network invitation waits for an answer. */
export const NETWORK_INVITE_TTL_MS = 30 * 24 * 3600_000;

/** `POST /network/invites`: the note is shown to the invitee in the console, never put in the e-mail. */
export const NetworkInviteBody = z.strictObject({
  email: Email,
  note: text(500).optional(),
});
export type NetworkInviteBody = z.infer<typeof NetworkInviteBody>;

/**
 * An open invitation. Its sender sees the address they typed (`email`) and `peer` once it has an account; its
 * invitee sees who sent it (`peer`) and the note.
 */
export const NetworkInvite = z.object({
  id: Id,
  direction: z.enum(['sent', 'received']),
  email: z.string().nullable(),
  peer: NetworkPeer.nullable(),
  note: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.string(),
});
export type NetworkInvite = z.infer<typeof NetworkInvite>;

export const NetworkConnection = z.object({ id: Id, peer: NetworkPeer, since: z.string() });
export type NetworkConnection = z.infer<typeof NetworkConnection>;

export const NetworkInviteResponse = z.object({ invite: NetworkInvite });
export const NetworkConnectionResponse = z.object({ connection: NetworkConnection });

/** `GET /network`. */
export const NetworkResponse = z.object({
  connections: z.array(NetworkConnection),
  invites: z.object({ sent: z.array(NetworkInvite), received: z.array(NetworkInvite) }),
});
export type NetworkResponse = z.infer<typeof NetworkResponse>;

/** `POST /network/threads`: a `network` thread with a connected peer; then the usual `/threads/:tid` endpoints. */
export const CreateNetworkThreadBody = z.strictObject({
  peerId: Id,
  body: text(MESSAGE_BODY_MAX),
  attachmentIds: z.array(Id).max(ATTACHMENTS_PER_MESSAGE_MAX).optional(),
});
export type CreateNetworkThreadBody = z.infer<typeof CreateNetworkThreadBody>;
