import { css } from 'lit';

export default css`
  :host {
    position: fixed;
    z-index: 2147483000;
    right: var(--ct-spacing, 1rem);
    bottom: var(--ct-spacing, 1rem);
    display: flex;
    flex-direction: column;
    gap: calc(var(--ct-spacing, 1rem) * 0.5);
    max-width: min(40rem, calc(100vw - 2 * var(--ct-spacing, 1rem)));
    /* Everything it shows stays on screen, on a phone too: the call window scrolls inside, never off the top. */
    max-height: calc(100vh - 2 * var(--ct-spacing, 1rem));
    max-height: calc(100dvh - 2 * var(--ct-spacing, 1rem));
  }

  [part~='prompt'],
  [part~='busy'],
  [part~='window'],
  [part~='notice'] {
    display: grid;
    gap: calc(var(--ct-spacing, 1rem) * 0.5);
    margin: 0;
    padding: var(--ct-spacing, 1rem);
    border: 1px solid var(--ct-color-border, #7b8794);
    border-radius: var(--ct-radius, 0.375rem);
    background: var(--ct-color-surface, #fff);
    box-shadow: 0 0.5rem 2rem rgb(0 0 0 / 25%);
  }

  [part~='title'] {
    margin: 0;
    font-weight: 700;
  }

  [part~='caller'] {
    margin: 0;
  }

  [part~='actions'] {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--ct-spacing, 1rem) * 0.5);
  }

  [part~='accept-button'] {
    background: var(--ct-color-success, #067647);
  }

  [part~='accept-button']:hover:not(:disabled) {
    background: var(--ct-color-success, #067647);
    filter: brightness(0.9);
  }

  [part~='decline-button'] {
    border-color: var(--ct-color-danger, #b42318);
    background: var(--ct-color-surface, #fff);
    color: var(--ct-color-danger, #b42318);
  }

  [part~='decline-button']:hover:not(:disabled) {
    background: var(--ct-color-danger-background, #fef3f2);
  }

  [part~='busy'] {
    grid-template-columns: 1fr auto;
    align-items: center;
    padding: calc(var(--ct-spacing, 1rem) * 0.5) var(--ct-spacing, 1rem);
  }

  [part~='busy'] [part~='caller'] {
    font-size: 0.875em;
  }

  [part~='window'] {
    flex: 0 1 auto;
    min-height: 0;
    width: min(40rem, calc(100vw - 2 * var(--ct-spacing, 1rem)));
    overflow: auto;
    overscroll-behavior: contain;
  }
`;
