import { z } from 'zod';
import { AuthResult, LinkToken, Password, Role } from './auth.ts';
import { Id, line } from './common.ts';

/**
 * Linking needs consent. Adding an e-mail address as a client (`POST /practices/:pid/clients`) or as a colleague
 * (`POST /practices/:pid/members`) creates an invitation and answers the same way whether or not the address has an
 * account: the invitation's id, never an account's. A person with an account sees it in `GET /invitations` and
 * accepts or declines it; an address without one gets a single-use 7-day link (`#invite=TOKEN`) that sets a password
 * (`POST /auth/invite`). Re-adding the address resends.
 */
export const InvitationRole = z.enum(['admin', 'colleague', 'client']);
export type InvitationRole = z.infer<typeof InvitationRole>;

/** How long an invitation link works (and an invitation waits for an answer). */
export const INVITATION_TTL_MS = 7 * 24 * 3600_000;

/** What the practice sees of a client it invited. */
export const InvitedClient = z.object({ id: Id, email: z.string(), name: z.string(), status: z.literal('invited') });
export type InvitedClient = z.infer<typeof InvitedClient>;

/** What the practice sees of a colleague it invited. */
export const InvitedMember = z.object({ id: Id, email: z.string(), role: Role, status: z.literal('invited') });
export type InvitedMember = z.infer<typeof InvitedMember>;

export const AddClientResult = z.object({ client: InvitedClient });
export type AddClientResult = z.infer<typeof AddClientResult>;

export const AddMemberResult = z.object({ member: InvitedMember });
export type AddMemberResult = z.infer<typeof AddMemberResult>;

/**
 * `POST /invitations/:id/resend` (admins of the inviting practice; any member for a client's invitation) → 200: a
 * new link to the same address, 7 more days; the previous link stops working.
 */
export const ResendInvitationResult = z.object({ invitation: z.union([InvitedMember, InvitedClient]) });
export type ResendInvitationResult = z.infer<typeof ResendInvitationResult>;

/** An invitation as its invitee sees it once signed in. */
export const Invitation = z.object({
  id: Id,
  practice: z.object({ id: Id, name: z.string() }),
  role: InvitationRole,
});
export type Invitation = z.infer<typeof Invitation>;

export const InvitationList = z.object({ invitations: z.array(Invitation) });
export type InvitationList = z.infer<typeof InvitationList>;

/** `POST /invitations/:id/accept` → 200: what the person now is at that practice. */
export const AcceptInvitationResult = Invitation.omit({ id: true });
export type AcceptInvitationResult = z.infer<typeof AcceptInvitationResult>;

/** `POST /auth/invite`: the link's token, the new password and (for a new account) the person's name. */
export const RedeemInviteBody = z.strictObject({
  token: LinkToken,
  password: Password,
  name: line(120).optional(),
});
export type RedeemInviteBody = z.infer<typeof RedeemInviteBody>;

/** Signed in and linked: the portal opens on this practice. */
export const RedeemInviteResult = AuthResult.extend({ practiceId: Id, role: InvitationRole });
export type RedeemInviteResult = z.infer<typeof RedeemInviteResult>;
