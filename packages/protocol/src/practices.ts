import { z } from 'zod';
import { Role } from './auth.ts';
import { Email, Id, line, Origin, Phone, text } from './common.ts';
import { InvitedMember } from './invitations.ts';

export const CreatePracticeBody = z.strictObject({
  name: line(120),
  phone: Phone.optional(),
});
export type CreatePracticeBody = z.infer<typeof CreatePracticeBody>;

export const PatchPracticeBody = z.strictObject({
  name: line(120).optional(),
  phone: Phone.optional(),
  allowedOrigins: z.array(Origin).max(20, 'at most 20 origins').optional(),
  directoryOptIn: z.boolean().optional(),
});
export type PatchPracticeBody = z.infer<typeof PatchPracticeBody>;

export const ServicePublic = z.object({ id: Id, name: z.string(), description: z.string() });

/** What anyone may see of a practice: it is shown on the practice's own public website. */
export const PracticePublic = z.object({
  id: Id,
  name: z.string(),
  phone: z.string(),
  services: z.array(ServicePublic),
  listed: z.boolean(),
});
export type PracticePublic = z.infer<typeof PracticePublic>;

/** What the practice's admins see and edit. */
export const PracticeAdmin = PracticePublic.extend({
  allowedOrigins: z.array(z.string()),
  directoryOptIn: z.boolean(),
  contactUsAssigneeIds: z.array(Id),
});
export type PracticeAdmin = z.infer<typeof PracticeAdmin>;

export const AddMemberBody = z.strictObject({ email: Email, role: Role });
export type AddMemberBody = z.infer<typeof AddMemberBody>;

export const Member = z.object({ userId: Id, role: Role });
export type Member = z.infer<typeof Member>;

/** `PATCH /practices/:pid/members/:userId` → 200 {member}. The last admin cannot be demoted (409). */
export const PatchMemberBody = z.strictObject({ role: Role });
export type PatchMemberBody = z.infer<typeof PatchMemberBody>;

const AssigneeIds = z.array(Id).max(100, 'at most 100 assignees');

export const ContactUsAssigneesBody = z.strictObject({ assigneeIds: AssigneeIds });
export type ContactUsAssigneesBody = z.infer<typeof ContactUsAssigneesBody>;

export const CreateServiceBody = z.strictObject({
  name: line(80),
  description: text(500).or(z.literal('')),
  assigneeIds: AssigneeIds,
});
export type CreateServiceBody = z.infer<typeof CreateServiceBody>;

export const Service = ServicePublic.extend({ assigneeIds: z.array(Id) });
export type Service = z.infer<typeof Service>;

export const AddClientBody = z.strictObject({ email: Email, name: line(120) });
export type AddClientBody = z.infer<typeof AddClientBody>;

export const Client = z.object({ id: Id, email: z.string(), name: z.string() });
export type Client = z.infer<typeof Client>;

/**
 * A client is `active` once linked (their `id` is then their account's), `invited` until they accept (their `id` is
 * then the invitation's, and `email` and `name` are what the practice typed: nothing of any account).
 */
export const ClientStatus = z.enum(['active', 'invited']);
export type ClientStatus = z.infer<typeof ClientStatus>;

export const ClientListItem = Client.extend({ needsResponse: z.boolean(), status: ClientStatus });
export type ClientListItem = z.infer<typeof ClientListItem>;

export const PatchServiceBody = z.strictObject({
  name: line(80).optional(),
  description: text(500).or(z.literal('')).optional(),
  assigneeIds: AssigneeIds.optional(),
});
export type PatchServiceBody = z.infer<typeof PatchServiceBody>;

/** A member as the practice's own people see them (assignment pickers, the console). */
export const MemberDetail = Member.extend({ name: z.string(), email: z.string() });
export type MemberDetail = z.infer<typeof MemberDetail>;

/** `GET /practices/:pid/members`: the team, and the colleagues invited who have not joined yet. */
export const MemberList = z.object({ members: z.array(MemberDetail), invited: z.array(InvitedMember) });
export type MemberList = z.infer<typeof MemberList>;

/** Everything the admin settings screen shows. */
export const PracticeSettings = z.object({
  practice: PracticeAdmin,
  services: z.array(Service),
  members: z.array(MemberDetail),
});
export type PracticeSettings = z.infer<typeof PracticeSettings>;

export const DirectoryQuery = z.strictObject({ q: z.string().trim().max(100).optional() });
export type DirectoryQuery = z.infer<typeof DirectoryQuery>;
