import type { ClientListItem, ThreadSummary } from '@clocktree/protocol';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { explain, type InboxContext, type InboxHub } from './inbox-context.ts';

/**
 * The selected practice's clients (with their red "needs a response" badges) and the number of Contact Us and service
 * threads awaiting a response, for the console's tabs; kept right as the hub reports new messages, thread changes
 * and changes of the client list (an invitation accepted, a client added or removed, here or on another console).
 * A burst of events (a busy practice, a reconnect) is one reload.
 */
export class PracticeClients implements ReactiveController {
  clients: ClientListItem[] | undefined;
  error = '';
  awaitingCount: number | undefined;
  private clientsTimer: ReturnType<typeof setTimeout> | undefined;
  private awaitingTimer: ReturnType<typeof setTimeout> | undefined;
  private off: (() => void)[] = [];

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly hub: InboxHub,
    /** The practice whose clients are shown; a load for another one is dropped. */
    private readonly ctx: () => InboxContext | undefined,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.off = [
      this.hub.on('thread:updated', ({ thread }) => this.onThreadUpdated(thread)),
      this.hub.on('message:new', ({ message }) => {
        if (message.authorRole !== 'practice') this.schedule();
      }),
      this.hub.on('resync', () => this.schedule()),
      this.hub.on('roster:changed', ({ practiceId, list }) => {
        if (list === 'clients' && practiceId === this.ctx()?.practice.id) this.schedule();
      }),
    ];
  }

  hostDisconnected(): void {
    for (const off of this.off) off();
    this.stop();
  }

  stop(): void {
    clearTimeout(this.clientsTimer);
    clearTimeout(this.awaitingTimer);
  }

  /** Nothing of the previous practice stays while the new one's lists load. */
  reset(): void {
    this.clients = this.awaitingCount = undefined;
    this.host.requestUpdate();
  }

  name = (clientId: string) => this.clients?.find((c) => c.id === clientId)?.name;

  load(): void {
    void this.loadClients();
    void this.loadAwaitingCount();
  }

  private schedule() {
    clearTimeout(this.clientsTimer);
    this.clientsTimer = setTimeout(() => this.load(), 150);
  }

  async loadClients(): Promise<void> {
    const ctx = this.ctx();
    if (!ctx) return;
    try {
      const path = `/api/v1/practices/${encodeURIComponent(ctx.practice.id)}/clients`;
      const { clients } = await ctx.api.request<{ clients: ClientListItem[] }>('GET', path);
      if (ctx !== this.ctx()) return;
      this.clients = [...clients].sort((a, b) => a.name.localeCompare(b.name));
      this.error = '';
    } catch (error) {
      if (ctx === this.ctx()) this.error = explain(error);
    }
    this.host.requestUpdate();
  }

  /** For the count on the Contact Us tab; the tab's own pane loads the lists themselves. */
  private async loadAwaitingCount() {
    const ctx = this.ctx();
    if (!ctx) return;
    try {
      const counts = await Promise.all(
        (['contact-us', 'service'] as const).map(async (kind) => {
          const { threads } = await ctx.api.listThreads({ practiceId: ctx.practice.id, kind, status: 'open' });
          return threads.filter((t) => t.awaiting).length;
        }),
      );
      if (ctx === this.ctx()) this.awaitingCount = counts.reduce((a, b) => a + b, 0);
      this.host.requestUpdate();
    } catch {
      // Only a count on a tab; the pane shows the error if the lists cannot be loaded.
    }
  }

  /** Keeps the red badges right without a round trip where the answer is certain. */
  private onThreadUpdated(thread: ThreadSummary) {
    if (thread.practiceId !== this.ctx()?.practice.id) return;
    if (thread.kind === 'contact-us' || thread.kind === 'service') {
      clearTimeout(this.awaitingTimer);
      this.awaitingTimer = setTimeout(() => void this.loadAwaitingCount(), 150);
    }
    const client = thread.clientId ? this.clients?.find((c) => c.id === thread.clientId) : undefined;
    if (!client) {
      if (thread.clientId) this.schedule();
      return;
    }
    if (thread.awaiting && !client.needsResponse) {
      this.clients = this.clients!.map((c) => (c === client ? { ...c, needsResponse: true } : c));
      this.host.requestUpdate();
    } else if (!thread.awaiting && client.needsResponse) {
      // Another of the client's threads may still be awaiting: only the server knows.
      this.schedule();
    }
  }
}
