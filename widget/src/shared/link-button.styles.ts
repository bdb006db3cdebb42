import { css } from 'lit';

/**
 * A quiet action beside a form's own button ("Forgot your password?", "Back to sign in") or inside text (an
 * attachment). Apart from formStyles: only the signed-in elements need it, and Contact Us stays within its budget.
 */
export const linkButtonStyles = css`
  [part~='link-button'] {
    justify-self: start;
    padding: calc(var(--ct-spacing, 1rem) * 0.25) 0;
    border: 0;
    background: none;
    color: var(--ct-color-primary, #1d4ed8);
    font: inherit;
    text-decoration: underline;
    cursor: pointer;
  }
`;
