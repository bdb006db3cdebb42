import type { Message, ThreadSummary } from './threads.ts';

export interface CallRing {
  id: string;
  practiceId: string | null;
  from: { id: string; name: string };
}

/** Events the server pushes. Writes never go over the socket: they go through REST. */
export interface ServerToClientEvents {
  'message:new': (payload: { threadId: string; message: Message }) => void;
  'thread:updated': (payload: { thread: ThreadSummary }) => void;
  'call:ring': (payload: { call: CallRing }) => void;
  'call:ended': (payload: { callId: string }) => void;
}

export type ClientToServerEvents = Record<string, never>;

export interface SocketAuth {
  token: string;
}
