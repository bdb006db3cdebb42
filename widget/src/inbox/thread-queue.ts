import type { ThreadKind, ThreadSummary } from '@clocktree/protocol';
import { html } from 'lit';
import { property, state } from 'lit/decorators.js';
import { explain, isAbort, type InboxContext } from './inbox-context.ts';
import { InboxPane } from './pane.ts';
import { renderThreadList, sortThreads, THREAD_LIST_PARTS } from './thread-list.ts';

export const THREAD_QUEUE_PARTS = ['stack', 'heading', 'hint', ...THREAD_LIST_PARTS, 'error'];

const KINDS = ['contact-us', 'service'] as const satisfies ThreadKind[];
type QueueKind = (typeof KINDS)[number];

/**
 * The practice's Contact Us and message-service threads, awaiting ones first, each with the time it has left under
 * the 7-day rule. The countdowns tick once a minute.
 *
 * @event ct-inbox-open - `{threadId}`: a thread was chosen. Does not leave <ct-inbox>.
 */
export class CtInboxQueue extends InboxPane {
  @property({ attribute: false }) accessor selectedId: string | undefined;
  @property({ attribute: false }) accessor alerted: ReadonlySet<string> = new Set();
  @property({ attribute: false }) accessor clientName: ((clientId: string) => string | undefined) | undefined;

  @state() accessor lists: Partial<Record<QueueKind, ThreadSummary[]>> = {};
  @state() accessor loadError = '';
  @state() accessor now = Date.now();

  private ticker: ReturnType<typeof setInterval> | undefined;

  protected override liveHandlers() {
    return {
      'thread:updated': ({ thread }: { thread: ThreadSummary }) => {
        if (thread.practiceId !== this.ctx?.practice.id) return;
        const kind = thread.kind as QueueKind;
        if (!KINDS.includes(kind)) return;
        const others = (this.lists[kind] ?? []).filter((t) => t.id !== thread.id);
        this.lists = { ...this.lists, [kind]: sortThreads([...others, thread]) };
      },
      // A message in a thread not listed yet is a new Contact Us or service thread, or one of a client's.
      'message:new': ({ threadId }: { threadId: string }) => {
        if (!KINDS.some((kind) => this.lists[kind]?.some((t) => t.id === threadId))) this.scheduleReload();
      },
      resync: () => this.scheduleReload(),
    };
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.ticker = setInterval(() => (this.now = Date.now()), 60_000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.ticker);
  }

  protected override async load(ctx: InboxContext, signal: AbortSignal) {
    try {
      const lists = await Promise.all(
        KINDS.map(async (kind) => {
          const { threads } = await ctx.api.listThreads({ practiceId: ctx.practice.id, kind }, { signal });
          return [kind, sortThreads(threads)] as const;
        }),
      );
      this.lists = Object.fromEntries(lists);
      this.loadError = '';
      this.now = Date.now();
    } catch (error) {
      if (!isAbort(error)) this.loadError = explain(error);
    }
  }

  private open(thread: ThreadSummary) {
    this.dispatchEvent(new CustomEvent('ct-inbox-open', { detail: { threadId: thread.id } }));
  }

  private renderList(kind: QueueKind, heading: string) {
    const ctx = this.ctx!;
    const threads = this.lists[kind];
    const awaiting = threads?.filter((t) => t.awaiting).length ?? 0;
    return html`<section part="stack" aria-labelledby="queue-${kind}">
      <h2 part="heading" id="queue-${kind}">${heading}</h2>
      <p part="hint">
        ${threads ? (awaiting ? `${awaiting} awaiting a response.` : 'Nothing awaits a response.') : 'Loading…'}
      </p>
      ${
        threads
          ? renderThreadList({
              threads,
              practice: ctx.practice,
              label: heading,
              empty: 'No threads yet.',
              selectedId: this.selectedId,
              alerted: this.alerted,
              clientName: this.clientName,
              now: this.now,
              onOpen: (thread) => this.open(thread),
            })
          : ''
      }
    </section>`;
  }

  protected override render() {
    if (!this.ctx) return '';
    return html`<div part="stack">
      ${this.loadError ? html`<p part="error" role="alert">${this.loadError}</p>` : ''}
      ${this.renderList('contact-us', 'Contact Us')} ${this.renderList('service', 'Message services')}
    </div>`;
  }
}

if (!customElements.get('ct-inbox-queue')) customElements.define('ct-inbox-queue', CtInboxQueue);

declare global {
  interface HTMLElementTagNameMap {
    'ct-inbox-queue': CtInboxQueue;
  }
}
