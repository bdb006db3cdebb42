import type { CallEndedEvent, CallRingEvent } from './calls.ts';
import type { Message, ThreadSummary } from './threads.ts';

/** Events the server pushes. Writes never go over the socket: they go through REST. */
export interface ServerToClientEvents {
  /**
   * To every connected reader of the thread. `alert` is true only for those who are notified of it (the assigned
   * colleagues, or the client): widgets badge and ring for those, and merely update for everyone else.
   */
  'message:new': (payload: { threadId: string; message: Message; alert: boolean }) => void;
  'thread:updated': (payload: { thread: ThreadSummary }) => void;
  /** To every connected session of the callee (docs/api-v1-video.md). */
  'call:ring': (payload: CallRingEvent) => void;
  /** To every connected session of both parties; `reason: 'answered'` ends only the ringing. */
  'call:ended': (payload: CallEndedEvent) => void;
  /**
   * To every connected session of both parties: the video server that held the call's room is gone. The room is
   * reopened on another instance at the next join, so a page in the call joins again (POST …/join) and carries on.
   */
  'call:media-lost': (payload: CallMediaLostEvent) => void;
  /**
   * To every connected socket after the server lost its database for a while: pushes may have been lost although
   * the connection stayed up, so views re-fetch what they show, as after a reconnect.
   */
  'sync:required': () => void;
  /**
   * To every connected session of the practice's members: someone joined, left or changed on one of its lists (an
   * invitation sent, accepted, withdrawn or expired; a member removed or given another role; a client unlinked). Ids
   * and states only: a console fetches names and addresses through the API, where access is checked and audited.
   * A decline sends nothing: the practice cannot tell a decline from silence.
   */
  'roster:changed': (payload: RosterChangedEvent) => void;
}

/** `roster:changed`. */
export interface RosterChangedEvent {
  practiceId: string;
  /** The practice's client list, or its team (members and invited colleagues). */
  list: 'clients' | 'members';
  change: 'invited' | 'joined' | 'removed' | 'role' | 'expired';
  /**
   * The person's user id; an invitation's id for `invited` (also when a resend revives an expired one), for `expired`
   * (its 7 days are over: it leaves the practice's lists, as on a reload) and for `removed` when it was withdrawn.
   */
  id: string;
  /** `joined`: the invitation the person accepted (the row they replace). */
  invitationId: string | null;
}

/** `call:media-lost`; `appointmentId` is set for an appointment's room (its page knows no call id). */
export interface CallMediaLostEvent {
  callId: string;
  appointmentId: string | null;
}

export type ClientToServerEvents = Record<string, never>;

export interface SocketAuth {
  token: string;
}
