import { createThreadReader, type Session, type ThreadReader } from '@clocktree/client';
import type { Message, ThreadDetail, ThreadSummary } from '@clocktree/protocol';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { errorText } from '../shared/error-text.ts';
import { byNewest } from './format.ts';

const isAbort = (error: unknown) => error instanceof DOMException && error.name === 'AbortError';
const lastSeq = (messages: Message[]) => messages.at(-1)?.seq ?? 0;

export interface ThreadsOptions {
  session: () => Session | undefined;
  practice: () => string;
  userId: () => string | undefined;
  /** Read out by screen readers. */
  announce: (text: string) => void;
  /** A message arrived that the user is to be notified of (`ct-alert`). */
  alert: (threadId: string) => void;
}

/**
 * What <ct-messages> reads: the practice's thread list and the open thread's messages, kept current by the live
 * events it is handed, with the read marker moved while the page is visible. Writes nothing but read markers.
 */
export class ThreadsController implements ReactiveController {
  threads: ThreadSummary[] | undefined;
  listError = '';
  thread: ThreadDetail | undefined;
  /** The thread being opened or shown, also while it loads. */
  threadId: string | undefined;
  messages: Message[] = [];
  threadError = '';

  private listLoad: AbortController | undefined;
  /** The open thread's messages, kept whole across out-of-order, repeated and lost pushes. */
  private reader: ThreadReader | undefined;
  private listReloadTimer: ReturnType<typeof setTimeout> | undefined;
  /** Alerts for threads not in the list yet; raised once the list shows them to belong to this practice. */
  private pendingAlerts = new Set<string>();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly o: ThreadsOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    document.addEventListener('visibilitychange', this.onVisible);
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.onVisible);
    this.stop();
  }

  private readonly onVisible = () => {
    if (document.visibilityState === 'visible') this.markRead();
  };

  private changed() {
    this.host.requestUpdate();
  }

  /** Stops loads and the open thread's reader. */
  stop(): void {
    this.listLoad?.abort();
    this.closeReader();
    clearTimeout(this.listReloadTimer);
  }

  /** Forgets everything read: after sign-out nothing of the previous user may stay in the page. */
  clear(): void {
    this.listLoad?.abort();
    this.closeThread();
    this.threads = undefined;
    this.listError = '';
    this.pendingAlerts.clear();
    this.changed();
  }

  async loadThreads(): Promise<void> {
    const session = this.o.session();
    const practice = this.o.practice();
    if (!session || !this.o.userId() || !practice) return;
    this.listLoad?.abort();
    const load = (this.listLoad = new AbortController());
    try {
      const { threads } = await session.api.listThreads({ practiceId: practice }, { signal: load.signal });
      if (load.signal.aborted) return;
      this.threads = [...threads].sort(byNewest);
      this.listError = '';
      this.changed();
      for (const id of this.pendingAlerts) if (threads.some((t) => t.id === id)) this.o.alert(id);
      this.pendingAlerts.clear();
    } catch (error) {
      if (isAbort(error) || load.signal.aborted) return;
      // A list already shown stays; it is refreshed on the next reconnect.
      if (!this.threads) this.listError = errorText(error);
      this.changed();
    }
  }

  private scheduleListReload() {
    clearTimeout(this.listReloadTimer);
    this.listReloadTimer = setTimeout(() => void this.loadThreads(), 150);
  }

  /** Loads a thread; resolves once it is shown (or its error is). */
  async openThread(threadId: string): Promise<void> {
    const session = this.o.session();
    if (!session) return;
    this.closeThread();
    this.threadId = threadId;
    this.changed();
    const reader = (this.reader = createThreadReader({
      api: session.api,
      threadId,
      onMessages: (messages) => {
        if (this.reader !== reader) return;
        this.messages = [...messages];
        this.changed();
      },
      // Reads after the first (gap fills, re-syncs) also bring the thread's newest state.
      onThread: (thread) => {
        if (this.reader !== reader || !this.thread) return;
        this.thread = { ...thread, lastReadSeq: Math.max(thread.lastReadSeq, this.thread.lastReadSeq) };
        this.patchListed(thread);
        this.markRead();
      },
    }));
    try {
      const thread = await reader.load();
      if (this.reader !== reader) return;
      this.thread = thread;
      this.patchListed(thread);
      this.markRead();
    } catch (error) {
      if (isAbort(error) || this.reader !== reader) return;
      this.threadError = errorText(error);
    }
    this.changed();
  }

  /** Back to the list: the open thread and its reader go. */
  closeThread(): void {
    this.closeReader();
    this.thread = undefined;
    this.threadId = undefined;
    this.messages = [];
    this.threadError = '';
    this.changed();
  }

  private closeReader() {
    this.reader?.close();
    this.reader = undefined;
  }

  /** After a reconnect: what was pushed meanwhile is fetched. */
  resync(shown: boolean): void {
    void this.loadThreads();
    if (!shown) return;
    if (this.thread) void this.reader?.resync();
    else if (this.threadId && this.threadError) void this.openThread(this.threadId);
  }

  /** Moves the read marker to the newest message shown, while the page is visible. Best effort. */
  markRead(): void {
    const thread = this.thread;
    const session = this.o.session();
    if (!thread || !session || document.visibilityState === 'hidden') return;
    const seq = Math.max(thread.seq, lastSeq(this.messages));
    if (seq <= thread.lastReadSeq) return;
    this.thread = { ...thread, lastReadSeq: seq };
    this.patchListed({ id: thread.id, lastReadSeq: seq });
    session.api.markRead(thread.id, seq).catch(() => undefined);
  }

  /** Applies a change to a thread in the list, keeping newest first. */
  patchListed(patch: Partial<ThreadSummary> & { id: string }): void {
    this.changed();
    if (!this.threads) return;
    const { contact: _contact, ...fields } = patch as Partial<ThreadDetail> & { id: string };
    this.threads = this.threads.map((t) => (t.id === patch.id ? { ...t, ...fields } : t)).sort(byNewest);
  }

  /** A thread the user just started: first in the list. */
  addListed(thread: ThreadSummary): void {
    this.threads = [thread, ...(this.threads ?? []).filter((t) => t.id !== thread.id)];
    this.changed();
  }

  /** A reply the user sent: shown at once, and the list marks it read. */
  addOwnMessage(threadId: string, message: Message): void {
    const shown = this.thread;
    if (shown?.id === threadId) {
      this.reader?.add(message);
      this.thread = {
        ...shown,
        seq: Math.max(shown.seq, message.seq),
        lastReadSeq: Math.max(shown.lastReadSeq, message.seq),
        lastMessageAt: message.createdAt,
      };
    }
    const listed = this.threads?.find((t) => t.id === threadId);
    if (listed) {
      const seq = Math.max(listed.seq, message.seq);
      this.patchListed({ id: threadId, seq, lastReadSeq: seq, lastMessageAt: message.createdAt });
    }
    this.changed();
  }

  /** The service refused a reply because the thread was closed meanwhile. */
  markClosed(threadId: string): void {
    if (this.thread?.id === threadId) this.thread = { ...this.thread, status: 'closed' };
    this.patchListed({ id: threadId, status: 'closed' });
  }

  onMessageNew({ threadId, message, alert }: { threadId: string; message: Message; alert: boolean }): void {
    const own = Boolean(message.authorId && message.authorId === this.o.userId());
    const listed = this.threads?.find((t) => t.id === threadId);
    if (listed) {
      this.patchListed({
        id: threadId,
        seq: Math.max(listed.seq, message.seq),
        lastMessageAt: message.createdAt,
        ...(own ? { lastReadSeq: Math.max(listed.lastReadSeq, message.seq) } : {}),
      });
    } else {
      // A thread the list does not have yet: possibly of this practice, possibly of another one the user is a client of.
      this.scheduleListReload();
    }
    if (alert) {
      if (listed || this.thread?.id === threadId) this.o.alert(threadId);
      else this.pendingAlerts.add(threadId);
    }
    const shown = this.thread;
    if (shown?.id !== threadId || !this.reader) return;
    // Pushes may come out of order or twice; the reader holds each message once and fetches what a gap hides.
    const fresh = !this.reader.messages.some((m) => m.id === message.id);
    this.reader.add(message);
    this.thread = {
      ...shown,
      seq: Math.max(shown.seq, message.seq),
      lastMessageAt: message.seq >= shown.seq ? message.createdAt : shown.lastMessageAt,
      ...(own ? { lastReadSeq: Math.max(shown.lastReadSeq, message.seq) } : {}),
    };
    this.changed();
    if (!own && fresh) {
      this.o.announce(`New message from ${message.authorName}.`);
      this.markRead();
    }
  }

  onThreadUpdated(thread: ThreadSummary): void {
    if (thread.practiceId !== this.o.practice()) return;
    if (this.threads && !this.threads.some((t) => t.id === thread.id)) this.threads = [...this.threads, thread];
    this.patchListed(thread);
    const shown = this.thread;
    if (shown?.id !== thread.id) return;
    this.thread = { ...shown, ...thread, lastReadSeq: Math.max(shown.lastReadSeq, thread.lastReadSeq) };
    if (shown.status === 'open' && thread.status === 'closed') this.o.announce('This conversation was closed.');
    this.reader?.noteSeq(thread.seq);
  }
}
