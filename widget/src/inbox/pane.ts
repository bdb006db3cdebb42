import { LitElement, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import type { HubEvents, InboxContext } from './inbox-context.ts';
import styles from './inbox.styles.ts';

/**
 * Base of the panes inside <ct-inbox>: they get the shell's context as a property, load when it (or what they show)
 * changes, and follow the live events only while they are in the page.
 */
export abstract class InboxPane extends LitElement {
  static override styles = styles;

  @property({ attribute: false }) accessor ctx: InboxContext | undefined;

  private unsubscribe: (() => void)[] = [];
  private loading: AbortController | undefined;

  /** Which live events the pane follows. */
  protected liveHandlers(): Partial<{ [K in keyof HubEvents]: (detail: HubEvents[K]) => void }> {
    return {};
  }

  /** Properties (besides `ctx`) whose change means loading again. */
  protected reloadOn: PropertyKey[] = [];

  /** Fetches what the pane shows; `signal` is aborted when a newer load starts or the pane leaves the page. */
  protected abstract load(ctx: InboxContext, signal: AbortSignal): Promise<void>;

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.ctx) return;
    this.subscribe(this.ctx);
    // Moved in the page (or re-attached): what it showed may be stale, and its last load was abandoned.
    if (this.hasUpdated) this.reload();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribeAll();
    clearTimeout(this.reloadTimer);
    this.loading?.abort();
    this.loading = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('ctx')) {
      this.unsubscribeAll();
      if (this.ctx && this.isConnected) this.subscribe(this.ctx);
    }
    const keys = changed as Map<PropertyKey, unknown>;
    if (keys.has('ctx') || this.reloadOn.some((key) => keys.has(key))) this.reload();
  }

  /** Starts a fresh load, abandoning one in flight. */
  protected reload(): void {
    this.loading?.abort();
    if (!this.ctx) return;
    const controller = (this.loading = new AbortController());
    void this.load(this.ctx, controller.signal);
  }

  private reloadTimer: ReturnType<typeof setTimeout> | undefined;

  /** Coalesces a burst of live events (a busy thread, a reconnect) into one reload. */
  protected scheduleReload(delay = 150): void {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => this.reload(), delay);
  }

  private subscribe(ctx: InboxContext) {
    const handlers = this.liveHandlers();
    for (const type of Object.keys(handlers) as (keyof HubEvents)[]) {
      const handler = handlers[type] as (detail: HubEvents[typeof type]) => void;
      this.unsubscribe.push(ctx.hub.on(type, handler));
    }
  }

  private unsubscribeAll() {
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
  }
}
