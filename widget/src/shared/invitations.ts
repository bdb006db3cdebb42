import type { Client } from '@clocktree/client';
import type { Invitation, InvitationList } from '@clocktree/protocol';
import { css, html, nothing } from 'lit';

/** The signed-in person's open invitations (`GET /invitations`): practices wait for them to accept or decline. */
export async function loadInvitations(api: Client, signal?: AbortSignal): Promise<Invitation[]> {
  const init = signal ? { signal } : {};
  return (await api.request<InvitationList>('GET', '/api/v1/invitations', undefined, init)).invitations;
}

/** Accepts (200) or declines (204) one; the practice sees nothing of the person unless they accept. */
export async function answerInvitation(api: Client, invitation: Invitation, accept: boolean): Promise<void> {
  const path = `/api/v1/invitations/${encodeURIComponent(invitation.id)}/${accept ? 'accept' : 'decline'}`;
  await api.request('POST', path);
}

export interface InvitationsOptions {
  invitations: readonly Invitation[];
  /** The id of the invitation being answered. */
  busy: string | undefined;
  error: string;
  /** Of the heading, to fit the element's outline (the console's sections are h2, the portal's h3). */
  level: 2 | 3;
  onAnswer: (invitation: Invitation, accept: boolean) => void;
}

const asWhat = (i: Invitation) =>
  i.role === 'client' ? 'to message them securely as a client' : `to join its team as ${i.role}`;

/** Each open invitation, with what accepting means and its two answers. Nothing when there is none. */
export function renderInvitations(o: InvitationsOptions) {
  if (!o.invitations.length) return nothing;
  return html`<section part="invitations" aria-labelledby="invitations-heading">
    ${
      o.level === 2
        ? html`<h2 part="heading invitations-heading" id="invitations-heading">Invitations</h2>`
        : html`<h3 part="heading invitations-heading" id="invitations-heading">Invitations</h3>`
    }
    <ul part="invitation-list">
      ${o.invitations.map(
        (i) =>
          html`<li part="invitation">
            <p part="invitation-text"><strong>${i.practice.name}</strong> invites you ${asWhat(i)}.</p>
            <button
              part="button accept-button"
              type="button"
              aria-label="Accept the invitation from ${i.practice.name}"
              ?disabled=${o.busy !== undefined}
              @click=${() => o.onAnswer(i, true)}
            >
              Accept
            </button>
            <button
              part="button secondary-button decline-button"
              type="button"
              aria-label="Decline the invitation from ${i.practice.name}"
              ?disabled=${o.busy !== undefined}
              @click=${() => o.onAnswer(i, false)}
            >
              Decline
            </button>
          </li>`,
      )}
    </ul>
    <div part="error" role="alert">${o.error || nothing}</div>
  </section>`;
}

/** The invitations box: a notice with one row per practice; elements list it after their own sheet. */
export const invitationStyles = css`
  [part~='invitations'] {
    display: grid;
    gap: calc(var(--ct-spacing, 1rem) * 0.5);
    margin-block-end: var(--ct-spacing, 1rem);
    padding: calc(var(--ct-spacing, 1rem) * 0.75);
    border-left: 4px solid var(--ct-color-primary, #1d4ed8);
    border-radius: var(--ct-radius, 0.375rem);
    background: var(--ct-color-notice-background, #eff4ff);
  }

  [part~='invitation-list'] {
    display: grid;
    gap: calc(var(--ct-spacing, 1rem) * 0.5);
    margin: 0;
    padding: 0;
    list-style: none;
  }

  [part~='invitation'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: calc(var(--ct-spacing, 1rem) * 0.5);
  }

  [part~='invitation-text'] {
    flex: 1 1 16em;
    margin: 0;
  }
`;
