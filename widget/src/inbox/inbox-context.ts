import type { Client, Session } from '@clocktree/client';
import type { Message, PracticePublic, Role, RosterChangedEvent, ThreadSummary, User } from '@clocktree/protocol';
import { errorText } from '../shared/error-text.ts';

/** What the panes hear: the socket's events, plus `resync` after a reconnect and `changed` after a local write. */
export interface HubEvents {
  'message:new': { threadId: string; message: Message; alert: boolean };
  'thread:updated': { thread: ThreadSummary };
  /** Someone joined, left or changed on one of a practice's lists: ids only, the lists load their names. */
  'roster:changed': RosterChangedEvent;
  /** The connection came back: whatever a pane shows may be stale. */
  resync: Record<string, never>;
}

/** The shell's fan-out to its panes: one place the socket is wired to, however many panes are listening. */
export class InboxHub extends EventTarget {
  emit<K extends keyof HubEvents>(type: K, detail: HubEvents[K]): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  /** Returns the unsubscribe function. */
  on<K extends keyof HubEvents>(type: K, listener: (detail: HubEvents[K]) => void): () => void {
    const handler = (event: Event) => listener((event as CustomEvent<HubEvents[K]>).detail);
    this.addEventListener(type, handler);
    return () => this.removeEventListener(type, handler);
  }
}

/** Everything a pane needs to work for the signed-in member in the selected practice. A new object per practice. */
export interface InboxContext {
  /** The session's client: sends its bearer token, and a 401 on any call ends the session. */
  api: Client;
  /** The page's session for this API: the call window opens with it. */
  session: Session;
  user: User;
  practice: PracticePublic;
  role: Role;
  hub: InboxHub;
}

/** Text for a failed call. A 401 needs no handling here: the session's client ends the session, and the shell follows. */
export const explain = (error: unknown): string => errorText(error);

export const isAbort = (error: unknown) => error instanceof DOMException && error.name === 'AbortError';

/** Lists, client profiles and thread views name threads the same way; never with Contact Us details. */
export function threadTitle(thread: ThreadSummary, practice: PracticePublic): string {
  if (thread.subject) return thread.subject;
  if (thread.kind === 'contact-us') return 'Contact Us message';
  if (thread.kind === 'service') {
    return practice.services.find((s) => s.id === thread.serviceId)?.name ?? 'Message service';
  }
  // Only the two peers get a network thread, each with the other's name.
  if (thread.kind === 'network') return thread.peer ? `Conversation with ${thread.peer.name}` : 'Conversation';
  return 'Message';
}
