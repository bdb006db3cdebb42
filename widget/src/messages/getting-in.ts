import { ApiError, type Session } from '@clocktree/client';
import type { Invitation, User } from '@clocktree/protocol';
import { html, nothing, type ReactiveControllerHost } from 'lit';
import { errorText as explain } from '../shared/error-text.ts';
import { takeHashToken } from '../shared/hash-token.ts';
import { answerInvitation, loadInvitations, renderInvitations } from '../shared/invitations.ts';
import {
  inviteBody,
  inviteFailure,
  renderInviteForm,
  takeInviteToken,
  type InviteField,
} from '../shared/invite-form.ts';

export interface GettingInOptions {
  session: () => Session | undefined;
  practice: () => string;
  /** The invitation named another practice than the element's: the portal opens on that one. */
  switchPractice: (practiceId: string) => void;
  /** Why a link did not work, or what happened to it; above the sign-in form. */
  notify: (notice: string) => void;
  announce: (text: string) => void;
  /** A link signed in the person it was for (or they were signed in already). */
  signedIn: (user: User) => void;
  /** The link's thread, or this practice's threads once its invitation is accepted. */
  openThread: (threadId: string) => void;
  accepted: () => void;
  focus: (selector: string) => Promise<void>;
}

/**
 * The ways into <ct-messages> besides the sign-in form: a prospect's `#link=` from a notification e-mail (and
 * "Send me a new link" once it is spent), a first-time client's `#invite=` (choose a password), and an invitation
 * answered by someone who has an account already.
 */
export class GettingInController {
  linking = false;
  /** A prospect's e-mail link that was used or had expired: it can still ask for a fresh one to the same address. */
  spentLink: string | undefined;
  renewing = false;
  /** The token of the invitation link this page was opened with (`#invite=`), until it is used. */
  inviteToken: string | undefined;
  invite: { busy: boolean; error: string; fieldErrors: Partial<Record<InviteField, string>> } = {
    busy: false,
    error: '',
    fieldErrors: {},
  };
  /** This practice's invitation to the signed-in person, if it waits for an answer. */
  invitation: Invitation | undefined;
  private invitationBusy = false;
  private invitationError = '';

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly o: GettingInOptions,
  ) {}

  private set(patch: Partial<Pick<this, 'linking' | 'spentLink' | 'renewing' | 'inviteToken' | 'invite'>>) {
    Object.assign(this, patch);
    this.host.requestUpdate();
  }

  /** A session was bound: takes the page's `#invite=` and `#link=` tokens; true while a link is being exchanged. */
  bind(session: Session): boolean {
    this.inviteToken = takeInviteToken() ?? this.inviteToken;
    return this.consumeLink(session);
  }

  /** Someone signed in: a spent link no longer matters. */
  signedIn(): void {
    this.spentLink = undefined;
  }

  clear(): void {
    this.invitation = undefined;
  }

  /** `#link=TOKEN` from a notification e-mail: exchanged once, removed from the address at once, thread opened. */
  private consumeLink(session: Session): boolean {
    const token = takeHashToken('link');
    if (!token) return false;
    this.set({ linking: true });
    session.linkExchange(token).then(
      ({ threadId }) => {
        this.set({ linking: false });
        this.o.openThread(threadId);
      },
      (error: unknown) => {
        this.set({ linking: false });
        const user = session.user;
        if (user) this.o.signedIn(user);
        const spent = error instanceof ApiError && error.code === 'unauthenticated';
        this.set({ spentLink: spent ? token : undefined });
        this.o.notify(
          spent
            ? 'This link has expired or has already been used. Links from our e-mails work once, for 72 hours. We can send a new link to the address this one was sent to; or sign in if you have an account.'
            : `Your message could not be opened. ${explain(error)}`,
        );
      },
    );
    return true;
  }

  /** A first-time client chose a password on the page their invitation e-mail opened: signed in, and linked. */
  private async acceptInvite(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const session = this.o.session();
    const token = this.inviteToken;
    if (!session || !token || this.invite.busy) return;
    if (!form.checkValidity()) return form.reportValidity();
    this.set({ invite: { busy: true, error: '', fieldErrors: {} } });
    try {
      const { practiceId } = await session.acceptInvite(inviteBody(form, token));
      this.set({ inviteToken: undefined, invite: { busy: false, error: '', fieldErrors: {} } });
      // The link names no practice: the portal opens on the one that invited them.
      if (practiceId !== this.o.practice()) this.o.switchPractice(practiceId);
      await this.o.focus('[part~="threads-heading"]');
    } catch (error) {
      const failure = inviteFailure(error);
      const final = error instanceof ApiError && (error.code === 'unauthenticated' || error.code === 'conflict');
      // A used or expired link, or an address that has an account: the sign-in form is the way in now.
      if (final) this.inviteToken = undefined;
      this.o.notify(final ? failure.error : '');
      this.set({ invite: { busy: false, ...(final ? { error: '', fieldErrors: {} } : failure) } });
      await this.o.focus('[aria-invalid="true"], [part~="error"]:not(:empty), [part~="notice"]');
    }
  }

  /** "Send me a new link": mailed to the address the spent link was for; the page never learns or shows it. */
  private async renewLink() {
    const session = this.o.session();
    const token = this.spentLink;
    if (!session || !token || this.renewing) return;
    this.set({ renewing: true });
    let notice: string;
    try {
      await session.renewLink(token);
      this.spentLink = undefined;
      notice =
        'We have sent a new link to the address the old one was sent to. It works once, for 72 hours: open it from your most recent e-mail.';
    } catch (error) {
      notice = `A new link could not be sent. ${explain(error)}`;
    } finally {
      this.set({ renewing: false });
    }
    this.o.notify(notice);
    this.o.announce(notice);
    await this.o.focus('[part~="notice"]');
  }

  /**
   * Someone with an account whom this practice added answers its invitation here, on the practice's own page.
   * `signal`: the sign-in it is loaded for; once that ends, a late answer is dropped.
   */
  async loadInvitation(signal: AbortSignal): Promise<void> {
    const session = this.o.session();
    const practice = this.o.practice();
    if (!session || !practice) return;
    try {
      const invitations = await loadInvitations(session.api, signal);
      if (signal.aborted) return;
      this.invitation = invitations.find((i) => i.practice.id === practice);
      this.host.requestUpdate();
    } catch {
      // Without it the invitation stays in the e-mail's portal link; messages still work.
    }
  }

  private async answerInvitation(invitation: Invitation, accept: boolean) {
    const session = this.o.session();
    if (!session || this.invitationBusy) return;
    this.invitationBusy = true;
    this.invitationError = '';
    this.host.requestUpdate();
    try {
      await answerInvitation(session.api, invitation, accept);
      this.invitation = undefined;
      this.o.announce(accept ? `You are now a client of ${invitation.practice.name}.` : 'Invitation declined.');
      if (accept) this.o.accepted();
    } catch (error) {
      this.invitationError = explain(error);
    } finally {
      this.invitationBusy = false;
      this.host.requestUpdate();
    }
  }

  /** While a link is exchanged or an invitation's password is to be chosen: what shows instead of everything else. */
  renderGate() {
    if (this.linking) return html`<p part="loading" role="status">Opening your message…</p>`;
    if (!this.inviteToken) return undefined;
    return renderInviteForm({
      ...this.invite,
      heading: 'Welcome: choose your password',
      hint: 'From now on you sign in to your secure messages with your e-mail address and this password.',
      askName: false,
      onSubmit: (event) => void this.acceptInvite(event),
    });
  }

  renderRenew() {
    if (!this.spentLink) return nothing;
    return html`<button
      part="button renew-link-button"
      type="button"
      ?disabled=${this.renewing}
      @click=${() => void this.renewLink()}
    >
      ${this.renewing ? 'Sending…' : 'Send me a new link'}
    </button>`;
  }

  renderInvitation() {
    return renderInvitations({
      invitations: this.invitation ? [this.invitation] : [],
      busy: this.invitationBusy ? this.invitation?.id : undefined,
      error: this.invitationError,
      level: 3,
      onAnswer: (answered, accept) => void this.answerInvitation(answered, accept),
    });
  }
}
