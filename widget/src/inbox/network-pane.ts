import type { NetworkConnection, NetworkInvite, NetworkResponse, ThreadSummary } from '@clocktree/protocol';
import { html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import { errorText, placeFields } from '../shared/error-text.ts';
import { ConfirmDialog } from './confirm-dialog.ts';
import { explain, isAbort, type InboxContext } from './inbox-context.ts';
import { InboxPane } from './pane.ts';
import { startCall } from './start-call.ts';
import { THREAD_PANE_PARTS } from './thread-pane.ts';

const exportparts = THREAD_PANE_PARTS.join(', ');

/** The only refusal of an invitation this pane words itself: the rest are the general texts. */
const INVITE_ERRORS = { client_account: 'That address belongs to a client: clients cannot join My Network.' };

/**
 * My Network: the professional's connections with peers of any practice (or none), invitations sent and received,
 * inviting a peer by e-mail with a note, removing a connection (after a confirmation whose default is to keep it),
 * a video call with a connected peer, and `network` threads with a peer (named by the server for the two of them
 * alone), read and answered in the console's thread pane. Never billed to a practice.
 *
 * @event ct-inbox-network-changed - A connection was made or removed (the shell may refresh what depends on it).
 */
export class CtInboxNetwork extends InboxPane {
  @state() accessor network: NetworkResponse | undefined;
  @state() accessor threads: ThreadSummary[] = [];
  @state() accessor loadError = '';
  @state() accessor busy = false;
  @state() accessor status = '';
  @state() accessor error = '';
  @state() accessor emailError = '';
  private readonly removal = new ConfirmDialog<NetworkConnection>(this, 'remove-dialog');
  /** The connection being rung, while its call starts. */
  @state() accessor calling: string | undefined;
  /** Why a call could not start, or that the peer is signed in nowhere to hear it ring. */
  @state() accessor callNotice = '';
  /** The peer a first message is being written to. */
  @state() accessor writingTo: NetworkConnection | undefined;
  @state() accessor openThreadId: string | undefined;

  protected override liveHandlers() {
    return {
      // A new conversation, or unread news in one: the list (not the open thread, which follows by itself) is reloaded.
      'message:new': () => {
        if (!this.openThreadId) this.scheduleReload();
      },
      resync: () => this.scheduleReload(),
    };
  }

  protected override async load(ctx: InboxContext, signal: AbortSignal) {
    try {
      const [network, { threads }] = await Promise.all([
        ctx.api.request<NetworkResponse>('GET', '/api/v1/network', undefined, { signal }),
        ctx.api.listThreads({ kind: 'network' }, { signal }),
      ]);
      this.network = network;
      this.threads = threads;
      this.loadError = '';
    } catch (error) {
      if (!isAbort(error)) this.loadError = explain(error);
    }
  }

  /** One action at a time, its outcome in the status line or the error box. */
  private async act(work: () => Promise<string>, overrides?: Record<string, string>) {
    if (!this.ctx || this.busy) return;
    this.busy = true;
    this.status = this.error = '';
    try {
      this.status = await work();
    } catch (error) {
      this.error = errorText(error, overrides ? { overrides } : {});
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#network-error')?.focus();
    } finally {
      this.busy = false;
    }
  }

  private async invite(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const email = String(data.get('email') ?? '').trim();
    const note = String(data.get('note') ?? '').trim();
    this.emailError = email ? '' : 'E-mail address is required.';
    if (this.emailError) return this.focusOn('#network-email');
    await this.act(async () => {
      try {
        const body = { email, ...(note ? { note } : {}) };
        const { invite } = await this.ctx!.api.request<{ invite: NetworkInvite }>(
          'POST',
          '/api/v1/network/invites',
          body,
        );
        this.network = { ...this.network!, invites: { ...this.network!.invites, sent: [...this.sentOf(invite)] } };
        form.reset();
        return `Invitation sent to ${email}.`;
      } catch (error) {
        const { placed } = placeFields(error, ['email'] as const);
        if (!placed.email) throw error;
        this.emailError = `E-mail address ${placed.email}`;
        void this.focusOn('#network-email');
        return '';
      }
    }, INVITE_ERRORS);
  }

  private sentOf(invite: NetworkInvite) {
    return [...this.network!.invites.sent.filter((i) => i.id !== invite.id), invite];
  }

  private answer(invite: NetworkInvite, accept: boolean) {
    const name = invite.peer?.name ?? 'your peer';
    return this.act(async () => {
      const path = `/api/v1/network/invites/${encodeURIComponent(invite.id)}/${accept ? 'accept' : 'decline'}`;
      const answer = await this.ctx!.api.request<{ connection: NetworkConnection } | undefined>('POST', path);
      const received = this.network!.invites.received.filter((i) => i.id !== invite.id);
      const connections = accept ? [...this.network!.connections, answer!.connection] : this.network!.connections;
      this.network = { connections, invites: { ...this.network!.invites, received } };
      if (accept) this.emit('ct-inbox-network-changed');
      return accept ? `You are now connected with ${name}.` : `You declined ${name}'s invitation.`;
    });
  }

  private emit(type: string) {
    this.dispatchEvent(new CustomEvent(type, { bubbles: true, composed: true }));
  }

  private async focusOn(selector: string) {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  private async removeConnection(connection: NetworkConnection) {
    await this.ctx!.api.request('DELETE', `/api/v1/network/${encodeURIComponent(connection.id)}`);
    this.network = { ...this.network!, connections: this.network!.connections.filter((c) => c !== connection) };
    this.emit('ct-inbox-network-changed');
    this.error = '';
    this.status = `${connection.peer.name} was removed from your network. What you exchanged stays readable.`;
    return '#network-email';
  }

  /** Rings the peer's every signed-in page (a My Network call: no practice, never billed) and opens the call window. */
  private async call(connection: NetworkConnection, opener: HTMLElement) {
    if (!this.ctx || this.calling) return;
    this.calling = connection.id;
    this.callNotice = '';
    this.callNotice = await startCall(this.ctx, { professionalId: connection.peer.id }, connection.peer.name, opener);
    this.calling = undefined;
  }

  private async write(connection: NetworkConnection) {
    this.writingTo = connection;
    this.openThreadId = undefined;
    await this.focusOn('#network-body');
  }

  private async startThread(event: SubmitEvent) {
    event.preventDefault();
    const peer = this.writingTo;
    const form = event.target as HTMLFormElement;
    const body = String(new FormData(form).get('body') ?? '').trim();
    if (!peer || !body) return this.focusOn('#network-body');
    await this.act(async () => {
      const { thread } = await this.ctx!.api.request<{ thread: ThreadSummary }>('POST', '/api/v1/network/threads', {
        peerId: peer.peer.id,
        body,
      });
      this.threads = [thread, ...this.threads.filter((t) => t.id !== thread.id)];
      this.writingTo = undefined;
      this.openThreadId = thread.id;
      return `Message sent to ${peer.peer.name}.`;
    });
  }

  private async back() {
    const id = this.openThreadId;
    this.openThreadId = undefined;
    this.scheduleReload(0);
    if (id) await this.focusOn(`[data-thread="${id}"]`);
  }

  private renderConnection(connection: NetworkConnection) {
    const { peer } = connection;
    return html`<li part="member" data-id=${connection.id}>
      <p><strong part="member-name">${peer.name}</strong></p>
      <div part="actions">
        <button
          part="button secondary-button"
          type="button"
          aria-label="Send a message to ${peer.name}"
          ?disabled=${this.busy}
          @click=${() => void this.write(connection)}
        >
          Send message
        </button>
        <button
          part="button secondary-button video-call-button"
          type="button"
          aria-label="Video call with ${peer.name}"
          ?disabled=${this.busy || this.calling !== undefined}
          @click=${(event: Event) => void this.call(connection, event.currentTarget as HTMLElement)}
        >
          Video call
        </button>
        <button
          part="button danger-button"
          type="button"
          aria-label="Remove ${peer.name}"
          ?disabled=${this.busy}
          @click=${() => void this.removal.ask(connection)}
        >
          Remove
        </button>
      </div>
    </li>`;
  }

  private renderInvite(invite: NetworkInvite) {
    const who = invite.peer?.name ?? invite.email ?? 'A professional';
    if (invite.direction === 'sent') {
      return html`<li part="member" data-id=${invite.id}>
        <p><strong part="member-name">${who}</strong> · <span part="member-status">Invited</span></p>
      </li>`;
    }
    return html`<li part="member" data-id=${invite.id}>
      <p><strong part="member-name">${who}</strong> invites you to connect.</p>
      ${invite.note ? html`<p part="meta">${invite.note}</p>` : nothing}
      <div part="actions">
        <button
          part="button"
          type="button"
          aria-label="Accept ${who}'s invitation"
          ?disabled=${this.busy}
          @click=${() => void this.answer(invite, true)}
        >
          Accept
        </button>
        <button
          part="button secondary-button"
          type="button"
          aria-label="Decline ${who}'s invitation"
          ?disabled=${this.busy}
          @click=${() => void this.answer(invite, false)}
        >
          Decline
        </button>
      </div>
    </li>`;
  }

  private renderThreads() {
    const unread = (t: ThreadSummary) => (t.seq > t.lastReadSeq ? ' (unread)' : '');
    const when = (t: ThreadSummary) => new Date(t.lastMessageAt).toLocaleString();
    if (!this.threads.length) return html`<p part="empty">No conversations yet.</p>`;
    return html`<ul part="list thread-list" aria-label="Conversations">
      ${this.threads.map(
        (t) =>
          html`<li part="thread-item">
            <button
              part="thread${t.seq > t.lastReadSeq ? ' unread' : ''}"
              type="button"
              data-thread=${t.id}
              @click=${() => (this.openThreadId = t.id)}
            >
              ${t.peer ? `Conversation with ${t.peer.name} · ${when(t)}` : `Conversation of ${when(t)}`}${unread(t)}
            </button>
          </li>`,
      )}
    </ul>`;
  }

  private renderWrite(peer: NetworkConnection) {
    return html`<form part="stack compose-form" aria-labelledby="write-heading" novalidate @submit=${this.startThread}>
      <h3 part="heading" id="write-heading">Message to ${peer.peer.name}</h3>
      <div part="field">
        <label part="label" for="network-body">Message</label>
        <textarea part="textarea" id="network-body" name="body" required></textarea>
      </div>
      <div part="actions">
        <button part="button send-button" type="submit" ?disabled=${this.busy}>Send</button>
        <button part="button secondary-button" type="button" @click=${() => (this.writingTo = undefined)}>
          Cancel
        </button>
      </div>
    </form>`;
  }

  protected override render() {
    if (this.loadError) return html`<p part="error" role="alert">${this.loadError}</p>`;
    if (!this.network) return html`<p part="empty">Loading My Network…</p>`;
    if (this.openThreadId) {
      return html`<ct-inbox-thread
        exportparts=${exportparts}
        .ctx=${this.ctx}
        .threadId=${this.openThreadId}
        .backLabel=${'Back to My Network'}
        @ct-inbox-back=${() => void this.back()}
      ></ct-inbox-thread>`;
    }
    const { connections, invites } = this.network;
    return html`<section part="stack settings-section" aria-labelledby="network-heading">
      <h2 part="heading" id="network-heading">My Network</h2>
      ${
        invites.received.length
          ? html`<ul part="list" aria-label="Invitations to you">
              ${invites.received.map((i) => this.renderInvite(i))}
            </ul>`
          : nothing
      }
      ${
        connections.length
          ? html`<ul part="list" aria-label="Connections">
              ${connections.map((c) => this.renderConnection(c))}
            </ul>`
          : html`<p part="empty">No connections yet: invite a peer below.</p>`
      }
      ${this.callNotice ? html`<p part="hint" role="status">${this.callNotice}</p>` : nothing}
      ${this.writingTo ? this.renderWrite(this.writingTo) : nothing}
      <h3 part="heading">Conversations</h3>
      ${this.renderThreads()}
      ${
        invites.sent.length
          ? html`<ul part="list" aria-label="Invitations you sent">
              ${invites.sent.map((i) => this.renderInvite(i))}
            </ul>`
          : nothing
      }
      <form part="stack" aria-labelledby="network-invite-heading" novalidate @submit=${this.invite}>
        <h3 part="heading" id="network-invite-heading">Invite a peer</h3>
        <div part="field">
          <label part="label" for="network-email">E-mail address</label>
          <input
            part="input"
            id="network-email"
            name="email"
            type="email"
            autocomplete="off"
            required
            aria-invalid=${this.emailError ? 'true' : 'false'}
            aria-describedby=${this.emailError ? 'network-email-error' : nothing}
          />
          ${this.emailError ? html`<p part="field-error" id="network-email-error">${this.emailError}</p>` : nothing}
        </div>
        <div part="field">
          <label part="label" for="network-note">Note (optional)</label>
          <textarea part="textarea" id="network-note" name="note" maxlength="500"></textarea>
          <p part="hint">Shown to them in their console; never put in the e-mail.</p>
        </div>
        <button part="button" type="submit" ?disabled=${this.busy}>Send invitation</button>
      </form>
      <div part="error" id="network-error" role="alert" tabindex="-1">${this.error || nothing}</div>
      <p part="status" role="status">${this.status || nothing}</p>
      ${this.removal.render({
        heading: `Remove ${this.removal.subject?.peer.name ?? 'this connection'}?`,
        text: 'You can no longer message each other. What you exchanged stays readable.',
        danger: 'Remove',
        keepId: 'keep-connection',
        action: (connection) => this.removeConnection(connection),
      })}
    </section>`;
  }
}

if (!customElements.get('ct-inbox-network')) customElements.define('ct-inbox-network', CtInboxNetwork);

declare global {
  interface HTMLElementTagNameMap {
    'ct-inbox-network': CtInboxNetwork;
  }
}
