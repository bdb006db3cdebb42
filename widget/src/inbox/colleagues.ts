import type {
  AddMemberBody,
  AddMemberResult,
  InvitedMember,
  MemberDetail,
  MemberList,
  Role,
  RosterChangedEvent,
} from '@clocktree/protocol';
import { html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import { placeFields } from '../shared/error-text.ts';
import { ConfirmDialog } from './confirm-dialog.ts';
import { explain, isAbort, type InboxContext } from './inbox-context.ts';
import { InboxPane } from './pane.ts';

const ROLE_TEXT: Record<Role, string> = { admin: 'Admin', colleague: 'Colleague' };

/**
 * The practice's team, for its admins: who is a member (active) and who was invited and has not joined yet; invite a
 * colleague by e-mail (an invitation, whether or not the address has an account), change a role, remove someone
 * (after a confirmation whose default is to keep them), resend an invitation.
 */
export class CtInboxColleagues extends InboxPane {
  @state() accessor members: MemberDetail[] | undefined;
  @state() accessor invited: InvitedMember[] = [];
  @state() accessor loadError = '';
  @state() accessor busy = false;
  @state() accessor status = '';
  @state() accessor error = '';
  @state() accessor emailError = '';
  private readonly removal = new ConfirmDialog<MemberDetail>(this, 'remove-member-dialog');

  protected override liveHandlers() {
    return {
      resync: () => this.scheduleReload(),
      // An invitation accepted (or sent, withdrawn, a role changed) anywhere: the rows and their names come from the API.
      'roster:changed': ({ practiceId, list }: RosterChangedEvent) => {
        if (list === 'members' && practiceId === this.ctx?.practice.id) this.scheduleReload();
      },
    };
  }

  protected override async load(ctx: InboxContext, signal: AbortSignal) {
    try {
      const list = await ctx.api.request<MemberList>('GET', this.path('/members'), undefined, { signal });
      this.members = list.members;
      this.invited = list.invited;
      this.loadError = '';
    } catch (error) {
      if (!isAbort(error)) this.loadError = explain(error);
    }
  }

  private path(rest: string) {
    return `/api/v1/practices/${encodeURIComponent(this.ctx!.practice.id)}${rest}`;
  }

  /** One action at a time, its outcome in the status line or the error box. */
  private async act(work: () => Promise<string>) {
    if (!this.ctx || this.busy) return;
    this.busy = true;
    this.status = this.error = '';
    try {
      this.status = await work();
    } catch (error) {
      this.error = explain(error);
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#colleagues-error')?.focus();
    } finally {
      this.busy = false;
    }
  }

  private async invite(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const body: AddMemberBody = { email: String(data.get('email') ?? '').trim(), role: data.get('role') as Role };
    this.emailError = body.email ? '' : 'E-mail address is required.';
    if (this.emailError) return this.focusEmail();
    await this.act(async () => {
      try {
        const { member } = await this.ctx!.api.request<AddMemberResult>('POST', this.path('/members'), body);
        this.invited = [...this.invited.filter((i) => i.id !== member.id), member];
        form.reset();
        return `Invitation sent to ${member.email}.`;
      } catch (error) {
        const { placed } = placeFields(error, ['email'] as const);
        if (placed.email) {
          this.emailError = `E-mail address ${placed.email}`;
          void this.focusEmail();
          return '';
        }
        throw error;
      }
    });
  }

  private async focusEmail() {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#invite-email')?.focus();
  }

  private changeRole(member: MemberDetail, role: Role) {
    return this.act(async () => {
      try {
        await this.ctx!.api.request('PATCH', this.path(`/members/${encodeURIComponent(member.userId)}`), { role });
      } catch (error) {
        // The select shows what the server still has.
        this.members = [...(this.members ?? [])];
        throw error;
      }
      this.members = this.members!.map((m) => (m.userId === member.userId ? { ...m, role } : m));
      return `${member.name} is now ${role === 'admin' ? 'an admin' : 'a colleague'}.`;
    });
  }

  private resend(invitation: InvitedMember) {
    return this.act(async () => {
      await this.ctx!.api.request('POST', `/api/v1/invitations/${encodeURIComponent(invitation.id)}/resend`);
      return `Invitation sent again to ${invitation.email}.`;
    });
  }

  private async removeMember(member: MemberDetail) {
    await this.ctx!.api.request('DELETE', this.path(`/members/${encodeURIComponent(member.userId)}`));
    this.members = this.members!.filter((m) => m.userId !== member.userId);
    this.error = '';
    this.status = `${member.name} was removed from the practice.`;
    return '#invite-email';
  }

  private renderMember(member: MemberDetail) {
    const self = member.userId === this.ctx?.user.id;
    return html`<li part="member" data-id=${member.userId}>
      <p>
        <strong part="member-name">${member.name}${self ? ' (you)' : ''}</strong>
        <span part="meta">${member.email}</span> · <span part="member-status">Active</span>
      </p>
      <div part="actions">
        <label part="label" for="role-${member.userId}" class="visually-hidden">Role of ${member.name}</label>
        <select
          part="select"
          id="role-${member.userId}"
          ?disabled=${this.busy}
          @change=${(e: Event) => void this.changeRole(member, (e.target as HTMLSelectElement).value as Role)}
        >
          ${(['admin', 'colleague'] as const).map(
            (role) => html`<option value=${role} ?selected=${member.role === role}>${ROLE_TEXT[role]}</option>`,
          )}
        </select>
        <button
          part="button danger-button"
          type="button"
          aria-label="Remove ${member.name}"
          ?disabled=${this.busy}
          @click=${() => void this.removal.ask(member)}
        >
          Remove
        </button>
      </div>
    </li>`;
  }

  private renderInvited(invitation: InvitedMember) {
    return html`<li part="member" data-id=${invitation.id}>
      <p>
        <strong part="member-name">${invitation.email}</strong>
        <span part="meta">${ROLE_TEXT[invitation.role]}</span> · <span part="member-status">Invited</span>
      </p>
      <div part="actions">
        <button
          part="button secondary-button"
          type="button"
          aria-label="Resend invitation to ${invitation.email}"
          ?disabled=${this.busy}
          @click=${() => void this.resend(invitation)}
        >
          Resend invitation
        </button>
      </div>
    </li>`;
  }

  protected override render() {
    if (this.loadError) return html`<p part="error" role="alert">${this.loadError}</p>`;
    if (!this.members) return html`<p part="empty">Loading colleagues…</p>`;
    return html`<section part="stack settings-section" aria-labelledby="colleagues-heading">
      <h2 part="heading" id="colleagues-heading">Colleagues</h2>
      <ul part="list" aria-label="Colleagues">
        ${this.members.map((m) => this.renderMember(m))} ${this.invited.map((i) => this.renderInvited(i))}
      </ul>
      <form part="stack" aria-labelledby="invite-heading" novalidate @submit=${this.invite}>
        <h3 id="invite-heading">Invite a colleague</h3>
        <div part="field">
          <label part="label" for="invite-email">E-mail address</label>
          <input
            part="input"
            id="invite-email"
            name="email"
            type="email"
            autocomplete="off"
            required
            aria-invalid=${this.emailError ? 'true' : 'false'}
            aria-describedby="invite-hint${this.emailError ? ' invite-email-error' : ''}"
          />
          <p part="hint" id="invite-hint">
            They get an e-mail with a link to join (or, with an account already, an invitation to accept).
          </p>
          ${this.emailError ? html`<p part="field-error" id="invite-email-error">${this.emailError}</p>` : nothing}
        </div>
        <div part="field">
          <label part="label" for="invite-role">Role</label>
          <select part="select" id="invite-role" name="role">
            <option value="colleague" selected>Colleague</option>
            <option value="admin">Admin (can change these settings)</option>
          </select>
        </div>
        <button part="button" type="submit" ?disabled=${this.busy}>Send invitation</button>
      </form>
      <div part="error" id="colleagues-error" role="alert" tabindex="-1">${this.error || nothing}</div>
      <p part="status" role="status">${this.status || nothing}</p>
      ${this.removal.render({
        heading: `Remove ${this.removal.subject?.name ?? 'this colleague'}?`,
        text: "They can no longer read the practice's messages. Threads they wrote in stay as they are.",
        danger: 'Remove',
        keepId: 'keep-member',
        action: (member) => this.removeMember(member),
      })}
    </section>`;
  }
}

if (!customElements.get('ct-inbox-colleagues')) customElements.define('ct-inbox-colleagues', CtInboxColleagues);

declare global {
  interface HTMLElementTagNameMap {
    'ct-inbox-colleagues': CtInboxColleagues;
  }
}
