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

  [part~='status-reconnecting'] {
    color: var(--ct-color-danger-text, #7a271a);
    font-weight: 600;
  }

  [part~='stage'] {
    position: relative;
    display: grid;
    place-items: center;
    height: var(--ct-video-height, 28rem);
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
