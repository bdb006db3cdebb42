import { html, nothing } from 'lit';
import type { ConsoleView } from './console-view.ts';
import type { ConnectionState } from './inbox-live.ts';

const CONNECTION_TEXT: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Live updates off: reload to see new messages',
  refused: 'Live updates are not allowed on this website',
};

export interface HeaderOptions {
  view: ConsoleView;
  connection: ConnectionState;
  userName: string | undefined;
  onPractice: (practiceId: string) => void;
  onSignOut: () => void;
}

/** The console's bar: its title, the practice switcher (with several practices), the connection, Home, sign-out. */
export function renderHeader(o: HeaderOptions) {
  const { practiceId, practices, me, tab } = o.view;
  const practice = practiceId ? practices[practiceId] : undefined;
  const memberships = me?.memberships ?? [];
  // Not a <header> landmark: the element may sit in a page that has its own banner.
  return html`<div part="header">
    <h1 part="title" tabindex="-1">
      <slot name="title">${practice ? `${practice.name} inbox` : 'Practice inbox'}</slot>
    </h1>
    ${
      memberships.length > 1
        ? html`<div part="field practice-field">
            <label part="label" for="practice-select">Practice</label>
            <select
              part="select practice-select"
              id="practice-select"
              @change=${(e: Event) => o.onPractice((e.target as HTMLSelectElement).value)}
            >
              ${memberships.map(
                (m) =>
                  html`<option value=${m.practiceId} ?selected=${m.practiceId === practiceId}>
                    ${practices[m.practiceId]?.name ?? m.practiceId}
                  </option>`,
              )}
            </select>
          </div>`
        : nothing
    }
    <p part="connection connection-${o.connection}" role="status">
      <span class="dot" aria-hidden="true"></span>${CONNECTION_TEXT[o.connection]}
    </p>
    ${
      memberships.length
        ? html`<button
            part="button secondary-button home-button"
            type="button"
            aria-pressed=${tab === 'home' ? 'true' : 'false'}
            @click=${() => o.view.goHome()}
          >
            Home &amp; My Network
          </button>`
        : nothing
    }
    <p part="user">${o.userName}</p>
    <button part="button secondary-button sign-out-button" type="button" @click=${o.onSignOut}>Sign out</button>
  </div>`;
}

export interface AlertOptions {
  shown: boolean;
  onOpen: () => void;
  onDismiss: () => void;
}

/** The notice of a new message for this member, until it is opened or dismissed. */
export function renderAlert(o: AlertOptions) {
  if (!o.shown) return nothing;
  return html`<div part="alert" role="alert">
    <span>A new message arrived for you.</span>
    <button part="button alert-button" type="button" @click=${o.onOpen}>Open it</button>
    <button
      part="button secondary-button"
      type="button"
      aria-label="Dismiss the new message notice"
      @click=${o.onDismiss}
    >
      Dismiss
    </button>
  </div>`;
}
