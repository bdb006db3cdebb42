import type { Message, ThreadSummary } from './threads.ts';

export interface CallRing {
  id: string;
  practiceId: string | null;
  from: { id: string; name: string };
}

/** Events the server pushes. Writes never go over the socket: they go through REST. */
export interface ServerToClientEvents {
  /**
   * To every connected reader of the thread. `alert` is true only for those who are notified of it (the assigned
   * colleagues, or the client): widgets badge and ring for those, and merely update for everyone else.
   */
  'message:new': (payload: { threadId: string; message: Message; alert: boolean }) => void;
  'thread:updated': (payload: { thread: ThreadSummary }) => void;
  'call:ring': (payload: { call: CallRing }) => void;
  'call:ended': (payload: { callId: string }) => void;
}

export type ClientToServerEvents = Record<string, never>;

export interface SocketAuth {
  token: string;
}
