import type { LiveState } from '@clocktree/client';
import type { PracticePublic, User } from '@clocktree/protocol';
import { html, nothing } from 'lit';

const CONNECTION_LABELS: Record<LiveState, string> = {
  connecting: 'Connecting…',
  online: 'Live',
  offline: 'Offline, reconnecting…',
  'signed-out': 'Not connected',
};

export interface HeaderOptions {
  practice: PracticePublic | undefined;
  user: User | undefined;
  connection: LiveState;
  /** This website may not open live updates for the account. */
  refused: boolean;
  onSignOut: () => void;
}

/** The practice's name and phone, and once someone is signed in who it is, the connection and "Sign out". */
export function renderHeader(o: HeaderOptions) {
  const phone = o.practice?.phone;
  const state = o.refused ? 'offline' : o.connection;
  const label = o.refused ? 'Live updates are not available on this site' : CONNECTION_LABELS[state];
  return html`<header part="header">
    <div>
      <h2 part="heading title">${o.practice?.name ?? 'Messages'}</h2>
      ${
        phone
          ? html`<p part="phone">
              Phone: <a part="phone-link" href="tel:${phone.replace(/[^0-9+]/g, '')}">${phone}</a>
            </p>`
          : nothing
      }
    </div>
    ${
      o.user
        ? html`<div part="account">
            <p part="user">Signed in as <strong>${o.user.name}</strong></p>
            <p part="connection connection-${state}"><span class="dot" aria-hidden="true"></span>${label}</p>
            <button part="button secondary-button sign-out-button" type="button" @click=${o.onSignOut}>Sign out</button>
          </div>`
        : nothing
    }
  </header>`;
}
