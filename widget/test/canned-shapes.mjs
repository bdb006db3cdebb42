// The canned APIs answer in the protocol's own response shapes: each answer is parsed with the schema the server's
// route answers with, so a canned API cannot drift from the server. The protocol is TypeScript; tsx loads it here.
import { register } from 'tsx/esm/api';

register();
const p = await import('@clocktree/protocol');
const { z } = await import('zod');

const ErrorAnswer = z.object({
  error: z
    .object({
      code: z.string(),
      message: z.string(),
      fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    })
    .passthrough(),
});
const Accepted = z.object({}).strict();
/** 428 `challenge_required` carries the proof-of-work challenge the widget solves (docs/api-v1, Contact Us). */
const ChallengeAnswer = z.object({
  error: z.object({ code: z.literal('challenge_required'), message: z.string(), challenge: p.PowChallenge }),
});

/** `[method, path pattern, schema]` under `/api/v1`; the first match wins. Routes not listed answer bytes or nothing. */
const RESPONSES = [
  ['POST', /^\/auth\/(login|password-reset\/confirm)$/, p.AuthResult],
  ['POST', /^\/auth\/link$/, p.LinkExchangeResult],
  ['POST', /^\/auth\/invite$/, p.RedeemInviteResult],
  ['POST', /^\/auth\/(password-reset|link\/renew)$/, Accepted],
  ['GET', /^\/me$/, p.MeResponse],
  ['GET', /^\/invitations$/, p.InvitationList],
  ['POST', /^\/invitations\/\w+\/accept$/, p.AcceptInvitationResult],
  ['GET', /^\/practices\/\w+$/, z.object({ practice: p.PracticePublic })],
  ['GET', /^\/directory$/, p.DirectoryResponse],
  ['GET', /^\/practices\/\w+\/settings$/, p.PracticeSettings],
  ['GET', /^\/practices\/\w+\/members$/, p.MemberList],
  ['GET', /^\/practices\/\w+\/clients$/, z.object({ clients: z.array(p.ClientListItem) })],
  ['POST', /^\/practices\/\w+\/clients$/, p.AddClientResult],
  ['POST', /^\/(practices\/\w+\/(services\/\w+\/)?threads|threads\/\w+\/close)$/, p.ThreadResponse],
  ['GET', /^\/threads$/, z.object({ threads: z.array(p.ThreadSummary) })],
  ['GET', /^\/threads\/\w+$/, z.object({ thread: p.ThreadDetail, messages: z.array(p.Message) })],
  ['POST', /^\/threads\/\w+\/messages$/, p.MessageResponse],
  ['POST', /^\/attachments$/, p.AttachmentUploadResult],
  ['POST', /^\/practices\/\w+\/contact-us$/, p.CreateContactUsResult],
  ['POST', /^\/connection-test\/upload$/, p.ConnectionTestUploadResult],
  ['GET', /^\/appointments$/, p.AppointmentListResponse],
  ['GET', /^\/calls$/, p.CallListResponse],
];

/**
 * The answer itself when it has the protocol's shape; otherwise a 500 that names the drift, which fails the test
 * that caused it (the widget shows "something went wrong" instead of what the test waits for).
 */
export function checkShape(method, path, answer) {
  const [status, body] = answer;
  if (status === 204 || Buffer.isBuffer(body)) return answer;
  const schema =
    status === 428
      ? ChallengeAnswer
      : status >= 400
        ? ErrorAnswer
        : RESPONSES.find(([m, re]) => m === method && re.test(path))?.[2];
  const result = schema?.safeParse(body);
  if (!result || result.success) return answer;
  const where = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  console.error(`[canned] ${method} ${path} answered a shape the protocol does not allow: ${where}`);
  return [500, { error: { code: 'canned_drift', message: `${method} ${path}: ${where}` } }];
}
