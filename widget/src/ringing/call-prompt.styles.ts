import { css } from 'lit';

export default css`
  :host {
    position: fixed;
    z-index: 2147483000;
    right: var(--ct-spacing, 1rem);
    bottom: var(--ct-spacing, 1rem);
    display: grid;
    gap: calc(var(--ct-spacing, 1rem) * 0.5);
    max-width: min(40rem, calc(100vw - 2 * var(--ct-spacing, 1rem)));
  }

  [part~='prompt'],
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
    gap: calc(var(--ct-spacing, 1rem) * 0.5);
  }

  [part~='window'] {
    width: min(40rem, calc(100vw - 2 * var(--ct-spacing, 1rem)));
    max-height: calc(100vh - 2 * var(--ct-spacing, 1rem));
    overflow: auto;
  }
`;
