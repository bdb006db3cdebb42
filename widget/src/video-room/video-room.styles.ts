import { css } from 'lit';

export default css`
  [part~='base'] {
    display: grid;
    gap: var(--ct-spacing, 1rem);
  }

  [part~='heading'] {
    margin: 0;
    font-size: 1.25em;
  }

  [part~='status'] {
    margin: 0;
    color: var(--ct-color-muted, #52606d);
  }

  [part~='heading']:focus {
    outline: none;
  }

  [part~='heading']:focus-visible {
    outline: 2px solid var(--ct-color-focus, var(--ct-color-primary, #1d4ed8));
  }

  [part~='check'] {
    display: grid;
    gap: calc(var(--ct-spacing, 1rem) * 0.5);
  }

  /* Join and Cancel stay in view at the bottom of the call window (or the page) however tall the check is: on a
     phone the camera preview and the pickers alone fill the screen. */
  [part~='check-actions'] {
    position: sticky;
    bottom: 0;
    z-index: 1;
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--ct-spacing, 1rem) * 0.5);
    padding-block: calc(var(--ct-spacing, 1rem) * 0.5);
    background: var(--ct-color-surface, #fff);
  }

  [part~='secondary-button'],
  [part~='secondary-button']:hover:not(:disabled) {
    border-color: var(--ct-color-primary, #1d4ed8);
    background: var(--ct-color-surface, #fff);
    color: var(--ct-color-primary, #1d4ed8);
  }

  [part~='status-reconnecting'] {
    color: var(--ct-color-danger-text, #7a271a);
    font-weight: 600;
  }

  [part~='stage'] {
    position: relative;
    display: grid;
    place-items: center;
    /* Half the screen at most: on a phone the controls (Hang up among them) stay in view under the video. */
    height: min(var(--ct-video-height, 28rem), 50vh);
    height: min(var(--ct-video-height, 28rem), 50dvh);
    border-radius: var(--ct-radius, 0.375rem);
    overflow: hidden;
    background: var(--ct-color-video-background, var(--ct-video-background, #111827));
    color: #f9fafb;
  }

  [part~='remote-video'] {
    width: 100%;
    height: 100%;
    object-fit: contain;
  }

  [part~='local-video'] {
    position: absolute;
    right: calc(var(--ct-spacing, 1rem) * 0.75);
    bottom: calc(var(--ct-spacing, 1rem) * 0.75);
    width: 28%;
    max-width: 12rem;
    border: 2px solid #f9fafb;
    border-radius: var(--ct-radius, 0.375rem);
    background: #000;
  }

  [part~='waiting'] {
    position: absolute;
    margin: 0;
  }

  [part~='controls'] {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--ct-spacing, 1rem) * 0.5);
  }

  [part~='hangup-button'] {
    background: var(--ct-color-danger, #b42318);
  }

  [part~='devices'] {
    display: grid;
    gap: calc(var(--ct-spacing, 1rem) * 0.5);
    max-width: 28rem;
  }

  [part~='quality'] {
    margin: 0;
    font-size: 0.875em;
  }

  [part~='quality-good'] {
    color: #166534;
  }

  [part~='quality-fair'] {
    color: #92400e;
  }

  [part~='quality-poor'] {
    color: var(--ct-color-danger-text, #7a271a);
  }

  [hidden] {
    display: none !important;
  }
`;
