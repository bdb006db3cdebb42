import type { Appointment, Call, CreateCallBody, JoinResult } from '@clocktree/protocol';
import { createTransport, type HttpOptions, type RequestOptions, type Transport } from './http.ts';

/** What a video element joins: an instant (or My Network) call, or an appointment's room. */
export type CallTarget = { call: string } | { appointment: string };

/** The call and appointment endpoints of docs/api-v1-video.md that widgets use. */
export interface CallResources {
  /** Rings the callee's every connected session; `reachable` says whether any was connected. */
  startCall(body: CreateCallBody, options?: RequestOptions): Promise<{ call: Call; reachable: boolean }>;
  /** The caller's ringing and active calls: what a ring prompt re-reads after (re)connecting. */
  listCalls(options?: RequestOptions): Promise<{ calls: Call[] }>;
  getCall(callId: string, options?: RequestOptions): Promise<{ call: Call }>;
  answerCall(callId: string, options?: RequestOptions): Promise<{ call: Call }>;
  declineCall(callId: string, options?: RequestOptions): Promise<{ call: Call }>;
  getAppointment(appointmentId: string, options?: RequestOptions): Promise<{ appointment: Appointment }>;
  /** Janus credentials for this participant; 403 outside an appointment's window, 409 once a call ended. */
  joinRoom(target: CallTarget, options?: RequestOptions): Promise<JoinResult>;
  /** Ends the call (or the appointment's session) for both parties. Idempotent. */
  hangUp(target: CallTarget, options?: RequestOptions): Promise<void>;
}

const segment = encodeURIComponent;

export const targetPath = (target: CallTarget) =>
  'call' in target ? `/api/v1/calls/${segment(target.call)}` : `/api/v1/appointments/${segment(target.appointment)}`;

/**
 * The video endpoints, apart from `createClient` so that pages without video (a Contact Us form) do not carry them:
 * `createCallClient(session.http)` talks with the session's token.
 */
export function createCallClient(options: HttpOptions): CallResources {
  return callResources(createTransport(options));
}

function callResources({ request }: Transport): CallResources {
  const call = (id: string) => targetPath({ call: id });
  return {
    startCall: (body, init) => request('POST', '/api/v1/calls', body, init),
    listCalls: (init) => request('GET', '/api/v1/calls', undefined, init),
    getCall: (id, init) => request('GET', call(id), undefined, init),
    answerCall: (id, init) => request('POST', `${call(id)}/answer`, undefined, init),
    declineCall: (id, init) => request('POST', `${call(id)}/decline`, undefined, init),
    getAppointment: (id, init) => request('GET', targetPath({ appointment: id }), undefined, init),
    joinRoom: (target, init) => request('POST', `${targetPath(target)}/join`, undefined, init),
    hangUp: async (target, init) => {
      await request('POST', `${targetPath(target)}/hangup`, undefined, init);
    },
  };
}
