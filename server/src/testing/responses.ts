import {
  AcceptInvitationResult,
  AddClientResult,
  AddMemberResult,
  AppointmentListResponse,
  AppointmentResponse,
  AttachmentUploadResult,
  AuditPage,
  AuthResult,
  CallListResponse,
  CallResponse,
  ClientListItem,
  CreateCallResult,
  CreateContactUsResult,
  InvitationList,
  JoinResult,
  LinkExchangeResult,
  MeResponse,
  MemberList,
  MessageResponse,
  PracticeAdmin,
  PracticePublic,
  PracticeSettings,
  RedeemInviteResult,
  ResendInvitationResult,
  Service,
  ThreadDetail,
  ThreadResponse,
  ThreadSummary,
  UsageReport,
  Message,
  DirectoryResponse,
  NetworkConnectionResponse,
  NetworkInviteResponse,
  NetworkResponse,
} from '@clocktree/protocol';
import { z } from 'zod';

/**
 * What each route answers on success, as the protocol declares it. The test HTTP client parses every 2xx JSON
 * answer of a route listed here with its schema, so a server answer that drifts from the protocol fails whichever
 * test made the request.
 */
const RESPONSES: [method: string, path: RegExp, schema: z.ZodType][] = [
  ['POST', /^\/api\/v1\/auth\/(register|login|password-reset\/confirm)$/, AuthResult],
  ['POST', /^\/api\/v1\/auth\/link$/, LinkExchangeResult],
  ['POST', /^\/api\/v1\/auth\/invite$/, RedeemInviteResult],
  ['GET', /^\/api\/v1\/me$/, MeResponse],
  ['POST', /^\/api\/v1\/practices$/, z.object({ practice: PracticeAdmin })],
  ['GET', /^\/api\/v1\/practices\/[^/]+$/, z.object({ practice: PracticePublic })],
  ['PATCH', /^\/api\/v1\/practices\/[^/]+$/, z.object({ practice: PracticeAdmin })],
  ['PUT', /^\/api\/v1\/practices\/[^/]+\/photo$/, z.object({ practice: PracticeAdmin })],
  ['GET', /^\/api\/v1\/practices\/[^/]+\/settings$/, PracticeSettings],
  ['GET', /^\/api\/v1\/practices\/[^/]+\/members$/, MemberList],
  ['POST', /^\/api\/v1\/practices\/[^/]+\/members$/, AddMemberResult],
  ['POST', /^\/api\/v1\/practices\/[^/]+\/clients$/, AddClientResult],
  ['GET', /^\/api\/v1\/practices\/[^/]+\/clients$/, z.object({ clients: z.array(ClientListItem) })],
  ['POST', /^\/api\/v1\/practices\/[^/]+\/services$/, z.object({ service: Service })],
  ['PATCH', /^\/api\/v1\/practices\/[^/]+\/services\/[^/]+$/, z.object({ service: Service })],
  ['GET', /^\/api\/v1\/practices\/[^/]+\/audit$/, AuditPage],
  ['GET', /^\/api\/v1\/invitations$/, InvitationList],
  ['POST', /^\/api\/v1\/invitations\/[^/]+\/accept$/, AcceptInvitationResult],
  ['POST', /^\/api\/v1\/invitations\/[^/]+\/resend$/, ResendInvitationResult],
  ['POST', /^\/api\/v1\/practices\/[^/]+\/contact-us$/, CreateContactUsResult],
  ['POST', /^\/api\/v1\/practices\/[^/]+\/(services\/[^/]+\/)?threads$/, ThreadResponse],
  ['GET', /^\/api\/v1\/threads$/, z.object({ threads: z.array(ThreadSummary) })],
  ['GET', /^\/api\/v1\/threads\/[^/]+$/, z.object({ thread: ThreadDetail, messages: z.array(Message) })],
  ['POST', /^\/api\/v1\/threads\/[^/]+\/messages$/, MessageResponse],
  ['POST', /^\/api\/v1\/threads\/[^/]+\/close$/, ThreadResponse],
  ['POST', /^\/api\/v1\/attachments$/, AttachmentUploadResult],
  ['POST', /^\/api\/v1\/practices\/[^/]+\/appointments$/, AppointmentResponse],
  ['GET', /^\/api\/v1\/(practices\/[^/]+\/)?appointments$/, AppointmentListResponse],
  ['PATCH', /^\/api\/v1\/practices\/[^/]+\/appointments\/[^/]+$/, AppointmentResponse],
  ['POST', /^\/api\/v1\/practices\/[^/]+\/appointments\/[^/]+\/cancel$/, AppointmentResponse],
  ['GET', /^\/api\/v1\/appointments\/[^/]+$/, AppointmentResponse],
  ['POST', /^\/api\/v1\/(appointments|calls)\/[^/]+\/join$/, JoinResult],
  ['POST', /^\/api\/v1\/calls$/, CreateCallResult],
  ['GET', /^\/api\/v1\/calls$/, CallListResponse],
  ['GET', /^\/api\/v1\/calls\/[^/]+$/, CallResponse],
  ['GET', /^\/api\/v1\/practices\/[^/]+\/usage$/, UsageReport],
  // My Network and the directory (issue 12).
  ['GET', /^\/api\/v1\/directory$/, DirectoryResponse],
  ['POST', /^\/api\/v1\/network\/invites$/, NetworkInviteResponse],
  ['POST', /^\/api\/v1\/network\/invites\/[^/]+\/accept$/, NetworkConnectionResponse],
  ['GET', /^\/api\/v1\/network$/, NetworkResponse],
  ['POST', /^\/api\/v1\/network\/threads$/, ThreadResponse],
];

/** Throws when a successful JSON answer of a listed route does not parse with the protocol's schema. */
export function checkResponse(method: string, url: string, status: number, body: unknown): void {
  if (status < 200 || status >= 300 || body === undefined || typeof body !== 'object') return;
  const path = new URL(url).pathname;
  const entry = RESPONSES.find(([m, re]) => m === method && re.test(path));
  if (!entry) return;
  const parsed = entry[2].safeParse(body);
  if (!parsed.success)
    throw new Error(`${method} ${path} answered ${status} with a body off the protocol: ${parsed.error.message}`);
}
