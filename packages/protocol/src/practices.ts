import { z } from 'zod';
import { Role } from './auth.ts';
import { Email, Id, line, Origin, Phone, text } from './common.ts';
import { InvitedMember } from './invitations.ts';

export const CreatePracticeBody = z.strictObject({
  name: line(120),
  phone: Phone.optional(),
});
export type CreatePracticeBody = z.infer<typeof CreatePracticeBody>;

/** An IANA time zone name this runtime knows (`Europe/Berlin`, `America/New_York`, `UTC`). */
export const TimeZone = z
  .string()
  .max(64)
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return zone.includes('/') || zone === 'UTC';
    } catch {
      return false;
    }
  }, 'must be a time zone such as America/New_York');

/** A postal address. Every part may be empty; the directory's location filter reads `city` and `postcode`. */
export const Address = z.strictObject({
  street: z.string().trim().max(120).optional().default(''),
  city: z.string().trim().max(80).optional().default(''),
  region: z.string().trim().max(80).optional().default(''),
  postcode: z.string().trim().max(16).optional().default(''),
  /** ISO 3166-1 alpha-2, upper case, or empty. */
  country: z
    .string()
    .trim()
    .regex(/^([A-Z]{2})?$/, 'must be a two-letter country code such as US')
    .optional()
    .default(''),
});
export type Address = z.infer<typeof Address>;

/** A BCP 47 language tag, stored in its canonical form (`en`, `es-MX`, `zh-Hant`). */
export const LanguageTag = z
  .string()
  .max(35)
  .transform((tag, ctx) => {
    try {
      const [canonical] = Intl.getCanonicalLocales(tag);
      if (canonical) return canonical;
    } catch {
      // falls through to the issue below
    }
    ctx.addIssue({ code: 'custom', message: 'must be a language code such as en or es-MX' });
    return z.NEVER;
  });

const tags = (max: number, each: number) => z.array(line(each)).max(max, `at most ${max} entries`);

/**
 * The directory's fields (issue 12), set by admins with `PATCH /practices/:pid` and shown publicly only while the
 * practice is listed.
 */
export const DirectoryFields = z.strictObject({
  specialties: tags(30, 60),
  issues: tags(50, 60),
  approaches: tags(30, 60),
  languages: z.array(LanguageTag).max(20, 'at most 20 languages'),
  inPerson: z.boolean(),
  telehealth: z.boolean(),
  acceptingNewClients: z.boolean(),
  insurance: tags(40, 80),
  slidingScale: z.boolean(),
  about: z.string().max(2000, 'must be at most 2000 characters'),
});
export type DirectoryFields = z.infer<typeof DirectoryFields>;

/**
 * `PATCH /practices/:pid` (admins): any subset. `mailFromName` and `replyTo` shape the practice's e-mails; empty means
 * the neutral default (a practice's own name can reveal care, so it is never the default sender).
 */
export const PatchPracticeBody = DirectoryFields.partial().extend({
  name: line(120).optional(),
  phone: Phone.optional(),
  address: Address.optional(),
  timeZone: TimeZone.optional(),
  allowedOrigins: z.array(Origin).max(20, 'at most 20 origins').optional(),
  directoryOptIn: z.boolean().optional(),
  mailFromName: z.union([line(80), z.literal('')]).optional(),
  replyTo: z.union([Email, z.literal('')]).optional(),
});
export type PatchPracticeBody = z.infer<typeof PatchPracticeBody>;

/** `PUT /practices/:pid/photo` (admins): the raw image as the body, one of these types, at most this many bytes. */
export const PHOTO_UPLOAD_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
export const PHOTO_MAX_BYTES = 2 * 1024 * 1024;
/** Larger images (in either dimension) are refused; what is stored is re-encoded to at most PHOTO_STORED_SIDE. */
export const PHOTO_MAX_SIDE = 2048;
export const PHOTO_STORED_SIDE = 512;

export const ServicePublic = z.object({ id: Id, name: z.string(), description: z.string() });

/** What anyone may see of a practice: it is shown on the practice's own public website. */
export const PracticePublic = z.object({
  id: Id,
  name: z.string(),
  phone: z.string(),
  address: Address,
  timeZone: z.string(),
  /** `${PUBLIC_URL}/api/v1/practices/:pid/photo?v=<rev>` or null when none was uploaded. */
  photoUrl: z.string().nullable(),
  services: z.array(ServicePublic),
  listed: z.boolean(),
});
export type PracticePublic = z.infer<typeof PracticePublic>;

/** What the practice's admins see and edit. */
export const PracticeAdmin = PracticePublic.extend({
  allowedOrigins: z.array(z.string()),
  directoryOptIn: z.boolean(),
  contactUsAssigneeIds: z.array(Id),
  mailFromName: z.string(),
  replyTo: z.string(),
  directory: DirectoryFields,
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

/**
 * `GET /directory?q=&near=&distanceKm=&specialty=&language=&telehealth=&accepting=&insurance=&page=` (anyone, any
 * origin). Only listed practices (opted in, nothing awaiting beyond 7 days) appear, by name.
 *
 * `near` alone matches the practice's city or postcode exactly (case, accents and spaces ignored). With
 * `distanceKm`, `near` — a US ZIP code, a Canadian postcode (or its first three characters), or a US or Canadian
 * city, optionally followed by its state or province ("Portland, OR") — is placed from an offline postcode table, and
 * the practices whose address is within that great-circle distance are listed nearest first, each with its
 * `distanceKm`. A `near` the table does not know answers 422 `unknown_place`; a practice whose address it does not
 * know (outside the US and Canada, or no city or postcode) is found only by the exact match.
 */
export const DirectoryQuery = z
  .strictObject({
    q: z.string().trim().max(100).optional(),
    near: z.string().trim().max(80).optional(),
    distanceKm: z.coerce.number().int().min(1).max(500).optional(),
    specialty: z.string().trim().max(60).optional(),
    language: LanguageTag.optional(),
    telehealth: z.enum(['true', 'false']).optional(),
    accepting: z.enum(['true', 'false']).optional(),
    insurance: z.string().trim().max(80).optional(),
    page: z.coerce.number().int().min(1).max(1000).optional(),
  })
  .refine((query) => query.distanceKm === undefined || Boolean(query.near), {
    // Ignoring the distance would list practices anywhere as if they were near.
    path: ['near'],
    message: 'is needed with distanceKm: a city or postcode to measure from',
  });
export type DirectoryQuery = z.infer<typeof DirectoryQuery>;

/**
 * One card of `<ct-directory>`: the public profile and the directory fields, nothing an admin alone sees. The message
 * services are not part of it (their names are sealed at rest; Contact Us reads them from the practice's profile).
 * `distanceKm`: from the place searched, to 0.1 km, in a distance search only (never the practice's coordinates).
 */
export const DirectoryListing = PracticePublic.omit({ services: true })
  .extend(DirectoryFields.shape)
  .extend({ distanceKm: z.number().nonnegative().optional() });
export type DirectoryListing = z.infer<typeof DirectoryListing>;

export const DirectoryResponse = z.object({
  practices: z.array(DirectoryListing),
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
});
export type DirectoryResponse = z.infer<typeof DirectoryResponse>;
