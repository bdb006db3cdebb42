import { css } from 'lit';

/**
 * Shared by every ct-* element: the `--ct-*` theming tokens with their defaults, and a host that never leaks
 * into or depends on the page's CSS beyond inherited text properties. Default colours meet WCAG AA on white.
 */
export const baseStyles = css`
  :host {
    display: block;
    box-sizing: border-box;
    font-family: var(--ct-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    font-size: var(--ct-font-size, 1rem);
    line-height: 1.5;
    color: var(--ct-color-text, #1f2933);
  }

  :host([hidden]) {
    display: none;
  }

  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }

  :focus-visible {
    outline: 2px solid var(--ct-color-focus, var(--ct-color-primary, #1d4ed8));
    outline-offset: 2px;
  }
`;
