import { css } from 'lit';
import { baseStyles } from '../shared/base.styles.ts';
import { formStyles } from '../shared/form.styles.ts';
import { linkButtonStyles } from '../shared/link-button.styles.ts';

/**
 * Shared by <ct-inbox> and every pane inside it, so a part looks the same wherever it appears and a theme set on
 * <ct-inbox> (custom properties inherit through the shadow roots) reaches all of them.
 */
const inboxStyles = css`
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }

  h1,
  h2,
  h3,
  p {
    margin: 0;
  }

  h1 {
    font-size: 1.25em;
  }

  h2 {
    font-size: 1.125em;
  }

  h3 {
    font-size: 1em;
  }

  ul,
  ol {
    margin: 0;
    padding: 0;
    list-style: none;
  }

  form,
  fieldset,
  [part~='stack'] {
    display: grid;
    gap: var(--ct-spacing, 1rem);
    margin: 0;
    min-width: 0;
  }

  fieldset {
    padding: var(--ct-spacing, 1rem);
    border: 1px solid var(--ct-color-border-subtle, #cbd2d9);
    border-radius: var(--ct-radius, 0.375rem);
  }

  legend {
    padding: 0 0.25em;
    font-weight: 600;
  }

  [part~='checkbox-label'] {
    display: flex;
    gap: 0.5em;
    align-items: center;
  }

  [part~='hint'] {
    color: var(--ct-color-muted, #52606d);
    font-size: 0.875em;
  }

  [part~='hint']:empty {
    display: none;
  }

  [part~='secondary-button'],
  [part~='secondary-button']:hover:not(:disabled) {
    border-color: var(--ct-color-border, #7b8794);
    background: var(--ct-color-surface, #fff);
    color: var(--ct-color-text, #1f2933);
  }

  [part~='danger-button'],
  [part~='danger-button']:hover:not(:disabled) {
    background: var(--ct-color-danger, #b42318);
    color: #fff;
  }

  [part~='notice']:not(:empty) {
    padding: calc(var(--ct-spacing, 1rem) * 0.75);
    border-left: 4px solid var(--ct-color-primary, #1d4ed8);
    border-radius: var(--ct-radius, 0.375rem);
    background: var(--ct-color-notice-background, #eff4ff);
  }

  /* An empty live region stays in the accessibility tree (so what it says later is announced) but takes no room. */
  [part~='status']:empty {
    position: absolute;
  }

  [part~='actions'] {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--ct-spacing, 1rem) * 0.5);
    align-items: center;
  }

  /* Tabs (WAI-ARIA tabs pattern): the selected one is underlined, not merely coloured. */
  [part~='tabs'] {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--ct-spacing, 1rem) * 0.25);
    border-bottom: 1px solid var(--ct-color-border-subtle, #cbd2d9);
  }

  [part~='tab'] {
    margin-bottom: -1px;
    padding: calc(var(--ct-spacing, 1rem) * 0.5) calc(var(--ct-spacing, 1rem) * 0.875);
    border: 0;
    border-bottom: 3px solid transparent;
    background: none;
    color: var(--ct-color-text, #1f2933);
    font: inherit;
    cursor: pointer;
  }

  [part~='tab'][aria-selected='true'] {
    border-bottom-color: var(--ct-color-primary, #1d4ed8);
    font-weight: 600;
  }

  [part~='tab-panel'] {
    padding-block: var(--ct-spacing, 1rem);
  }

  /* Lists of clients and threads. */
  [part~='list'] {
    display: grid;
    gap: 2px;
  }

  [part~='client'],
  [part~='thread'] {
    display: grid;
    grid-template-columns: 1fr auto;
    gap: 0.125em 0.75em;
    width: 100%;
    padding: calc(var(--ct-spacing, 1rem) * 0.625) calc(var(--ct-spacing, 1rem) * 0.75);
    border: 1px solid transparent;
    border-radius: var(--ct-radius, 0.375rem);
    background: none;
    color: inherit;
    font: inherit;
    text-align: start;
    cursor: pointer;
  }

  [part~='client']:hover,
  [part~='thread']:hover {
    background: var(--ct-color-hover, #f0f4f8);
  }

  [part~='client'][aria-current='true'],
  [part~='thread'][aria-current='true'] {
    border-color: var(--ct-color-primary, #1d4ed8);
    background: var(--ct-color-selected, #eff4ff);
  }

  [part~='thread-alerted'] {
    box-shadow: inset 4px 0 0 var(--ct-color-alert, #b54708);
    background: var(--ct-color-alert-background, #fffaeb);
  }

  [part~='meta'] {
    grid-column: 1;
    color: var(--ct-color-muted, #52606d);
    font-size: 0.875em;
  }

  /* The needs-a-response badge: red, with its meaning in text for screen readers. */
  [part~='badge'] {
    align-self: center;
    min-width: 0.75em;
    height: 0.75em;
    border-radius: 999px;
    background: var(--ct-color-badge, #d92d20);
  }

  /* An invited client: not selectable (nothing of theirs is visible yet), with a way to send the invitation again. */
  [part~='client-invited'] {
    display: grid;
    grid-template-columns: 1fr auto;
    gap: 0.125em 0.75em;
    padding: calc(var(--ct-spacing, 1rem) * 0.625) calc(var(--ct-spacing, 1rem) * 0.75);
  }

  [part~='resend-button'] {
    grid-column: 1 / -1;
    justify-self: start;
  }

  [part~='time-left'],
  [part~='invited-label'],
  [part~='state-label'] {
    align-self: center;
    padding: 0.125em 0.5em;
    border-radius: 999px;
    background: var(--ct-color-chip-background, #e4e7eb);
    font-size: 0.8125em;
    white-space: nowrap;
  }

  [part~='time-left-urgent'] {
    background: var(--ct-color-warning-background, #fef0c7);
    color: var(--ct-color-warning-text, #7a2e0e);
  }

  [part~='time-left-overdue'] {
    background: var(--ct-color-danger, #b42318);
    color: #fff;
  }

  [part~='unread'] {
    font-weight: 600;
  }

  [part~='empty'] {
    color: var(--ct-color-muted, #52606d);
  }

  /* Conversation. */
  [part~='messages'] {
    display: grid;
    gap: calc(var(--ct-spacing, 1rem) * 0.75);
  }

  [part~='message'] {
    max-width: 46rem;
    padding: calc(var(--ct-spacing, 1rem) * 0.75);
    border-radius: var(--ct-radius, 0.375rem);
    background: var(--ct-color-message-background, #f0f4f8);
  }

  [part~='message-practice'] {
    justify-self: end;
    background: var(--ct-color-own-message-background, #e0eaff);
  }

  [part~='message-body'] {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }

  [part~='attachment'] {
    padding: 0;
    border: 0;
    background: none;
    color: var(--ct-color-link, #1d4ed8);
    font: inherit;
    text-decoration: underline;
    cursor: pointer;
  }

  [part~='contact'] {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 0.25em 1em;
    margin: 0;
  }

  [part~='contact'] dt {
    font-weight: 600;
  }

  [part~='contact'] dd {
    margin: 0;
  }

  /* A Contact Us sender's first line, under the row's title. */
  [part~='preview'] {
    grid-column: 1 / -1;
    overflow: hidden;
    color: var(--ct-color-muted, #52606d);
    text-overflow: ellipsis;
    white-space: nowrap;
  }

  [part~='member'],
  [part~='appointment'],
  [part~='service'] {
    display: grid;
    gap: calc(var(--ct-spacing, 1rem) * 0.25);
    padding-block: calc(var(--ct-spacing, 1rem) * 0.75);
    border-bottom: 1px solid var(--ct-color-border-subtle, #cbd2d9);
  }

  dialog {
    max-width: min(28rem, 90vw);
    padding: var(--ct-spacing, 1rem);
    border: 1px solid var(--ct-color-border, #7b8794);
    border-radius: var(--ct-radius, 0.375rem);
    color: inherit;
  }

  [part~='video-window'] {
    width: min(60rem, 96vw);
    max-width: none;
  }

  [part~='appointment-cancelled'] [part~='appointment-time'] {
    text-decoration: line-through;
  }

  [part~='photo-preview'] {
    border-radius: var(--ct-radius, 0.375rem);
    object-fit: cover;
  }

  dialog::backdrop {
    background: rgb(0 0 0 / 40%);
  }
`;

/** The console's own frame: header, alert, two-column sections. */
const shellStyles = css`
  [part~='header'] {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--ct-spacing, 1rem) * 0.5) var(--ct-spacing, 1rem);
    align-items: center;
    padding-block: calc(var(--ct-spacing, 1rem) * 0.5);
  }

  [part~='title'] {
    flex: 1 1 auto;
  }

  [part~='practice-field'] {
    grid-auto-flow: column;
    align-items: center;
  }

  [part~='connection'] {
    display: inline-flex;
    /* Home, the name and Sign out keep their place while the status text changes length (Connecting… → Live). */
    margin-inline-end: auto;
    gap: 0.4em;
    align-items: center;
    color: var(--ct-color-muted, #52606d);
    font-size: 0.875em;
  }

  [part~='connection'] .dot {
    width: 0.6em;
    height: 0.6em;
    border-radius: 999px;
    background: var(--ct-color-muted, #52606d);
  }

  [part~='connection-live'] .dot {
    background: var(--ct-color-success, #067647);
  }

  [part~='connection-reconnecting'] .dot,
  [part~='connection-connecting'] .dot {
    background: var(--ct-color-alert, #b54708);
  }

  [part~='alert'] {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--ct-spacing, 1rem) * 0.5) var(--ct-spacing, 1rem);
    align-items: center;
    margin-block: calc(var(--ct-spacing, 1rem) * 0.5);
    padding: calc(var(--ct-spacing, 1rem) * 0.75);
    border-left: 4px solid var(--ct-color-alert, #b54708);
    border-radius: var(--ct-radius, 0.375rem);
    background: var(--ct-color-alert-background, #fffaeb);
    font-weight: 600;
  }

  [part~='tab-count'] {
    display: inline-block;
    min-width: 1.5em;
    margin-inline-start: 0.25em;
    padding: 0 0.4em;
    border-radius: 999px;
    background: var(--ct-color-badge, #d92d20);
    color: #fff;
    font-size: 0.8125em;
    font-weight: 600;
    text-align: center;
  }

  [part~='layout'] {
    display: grid;
    grid-template-columns: minmax(16rem, 1fr) minmax(0, 2fr);
    gap: calc(var(--ct-spacing, 1rem) * 1.5);
    align-items: start;
  }

  @media (max-width: 48rem) {
    [part~='layout'] {
      grid-template-columns: 1fr;
    }
  }
`;

export default [baseStyles, formStyles, linkButtonStyles, inboxStyles, shellStyles];
