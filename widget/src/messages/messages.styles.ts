import { css } from 'lit';

export default css`
  [part~='base'],
  section,
  form,
  [part~='closed-notice'] {
    display: grid;
    gap: var(--ct-spacing, 1rem);
    margin: 0;
  }

  p {
    margin: 0;
  }

  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }

  /* ---- header ---- */

  [part~='header'] {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--ct-spacing, 1rem) * 0.5) var(--ct-spacing, 1rem);
    align-items: flex-start;
    justify-content: space-between;
    padding-bottom: calc(var(--ct-spacing, 1rem) * 0.75);
    border-bottom: 1px solid var(--ct-color-border, #cbd2d9);
  }

  [part~='heading'] {
    margin: 0;
    font-size: 1.125em;
    line-height: 1.3;
  }

  [part~='title'] {
    font-size: 1.25em;
  }

  [part~='phone'],
  [part~='user'],
  [part~='connection'],
  [part~='hint'],
  [part~='thread-meta'],
  [part~='message-meta'],
  [part~='attachment-size'],
  [part~='upload-name'] {
    color: var(--ct-color-muted, #52606d);
    font-size: 0.875em;
  }

  [part~='phone-link'] {
    color: inherit;
  }

  [part~='account'] {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--ct-spacing, 1rem) * 0.5) calc(var(--ct-spacing, 1rem) * 0.75);
    align-items: center;
  }

  [part~='connection'] {
    display: inline-flex;
    gap: 0.4em;
    align-items: center;
  }

  .dot {
    width: 0.6em;
    height: 0.6em;
    border-radius: 50%;
    background: var(--ct-color-muted, #52606d);
  }

  [part~='connection-online'] .dot {
    background: var(--ct-color-online, #067647);
  }

  [part~='connection-offline'] .dot {
    background: var(--ct-color-offline, #b54708);
  }

  /* ---- notices and errors ---- */

  [part~='notice'],
  [part~='closed-notice'] {
    padding: calc(var(--ct-spacing, 1rem) * 0.75);
    border-left: 4px solid var(--ct-color-primary, #1d4ed8);
    border-radius: var(--ct-radius, 0.375rem);
    background: var(--ct-color-notice-background, #eff4ff);
  }

  [part~='upload-error'] {
    color: var(--ct-color-danger, #b42318);
    font-size: 0.875em;
  }

  /* ---- forms ---- */

  [part~='dropzone'] {
    padding: calc(var(--ct-spacing, 1rem) * 0.75);
    border: 2px dashed transparent;
    border-radius: var(--ct-radius, 0.375rem);
  }

  [part~='dropzone-active'] {
    border-color: var(--ct-color-primary, #1d4ed8);
    background: var(--ct-color-notice-background, #eff4ff);
  }

  [part~='attach'] {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--ct-spacing, 1rem) * 0.5);
    align-items: center;
  }

  [part~='uploads'],
  [part~='thread-list'],
  [part~='messages'],
  [part~='attachments'] {
    display: grid;
    gap: calc(var(--ct-spacing, 1rem) * 0.5);
    margin: 0;
    padding: 0;
    list-style: none;
  }

  [part~='upload'] {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--ct-spacing, 1rem) * 0.5);
    align-items: center;
  }

  [part~='upload-progress'] {
    flex: 1 1 8em;
    accent-color: var(--ct-color-primary, #1d4ed8);
  }

  /* ---- buttons ---- */

  [part~='secondary-button'] {
    border-color: var(--ct-color-primary, #1d4ed8);
    background: transparent;
    color: var(--ct-color-primary, #1d4ed8);
  }

  [part~='secondary-button']:hover:not(:disabled) {
    background: var(--ct-color-notice-background, #eff4ff);
  }

  /* ---- thread list ---- */

  [part~='toolbar'] {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--ct-spacing, 1rem) * 0.5);
    align-items: center;
    justify-content: space-between;
  }

  [part~='thread'] {
    display: grid;
    grid-template-columns: 1fr auto;
    gap: 0.25em calc(var(--ct-spacing, 1rem) * 0.5);
    width: 100%;
    padding: calc(var(--ct-spacing, 1rem) * 0.75);
    border: 1px solid var(--ct-color-border, #cbd2d9);
    border-radius: var(--ct-radius, 0.375rem);
    background: var(--ct-color-surface, #fff);
    color: inherit;
    font: inherit;
    text-align: start;
    cursor: pointer;
  }

  [part~='thread']:hover {
    border-color: var(--ct-color-primary, #1d4ed8);
  }

  [part~='thread-unread'] {
    border-left: 4px solid var(--ct-color-primary, #1d4ed8);
  }

  [part~='thread-unread'] [part~='thread-title'] {
    font-weight: 700;
  }

  [part~='thread-meta'] {
    grid-column: 1 / -1;
  }

  [part~='unread-badge'],
  [part~='closed-label'] {
    justify-self: end;
    padding: 0 0.5em;
    border-radius: 999px;
    font-size: 0.75em;
    font-weight: 700;
    line-height: 1.8;
  }

  [part~='unread-badge'] {
    background: var(--ct-color-primary, #1d4ed8);
    color: var(--ct-color-on-primary, #fff);
  }

  [part~='closed-label'] {
    justify-self: start;
    border: 1px solid var(--ct-color-muted, #52606d);
    color: var(--ct-color-muted, #52606d);
  }

  /* ---- conversation ---- */

  [part~='message'] {
    display: grid;
    gap: 0.25em;
    padding: calc(var(--ct-spacing, 1rem) * 0.75);
    border: 1px solid var(--ct-color-border, #cbd2d9);
    border-radius: var(--ct-radius, 0.375rem);
    background: var(--ct-color-surface, #fff);
  }

  [part~='message-own'] {
    margin-inline-start: 10%;
    background: var(--ct-color-own-message-background, var(--ct-color-own-message, #f0f4f8));
  }

  [part~='message'][part~='message-practice'] {
    margin-inline-end: 10%;
  }

  [part~='author'] {
    color: var(--ct-color-text, #1f2933);
    font-weight: 600;
  }

  [part~='message-body'] {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }

  /* Drawn as a link-button (form.styles.ts), flush with the text around it. */
  [part~='attachment'] {
    padding: 0;
  }

  [part~='attachments'] li {
    display: flex;
    gap: 0.5em;
    align-items: baseline;
  }
`;
