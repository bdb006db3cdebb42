import { css } from 'lit';

// The honeypot (.honeypot) is moved off-screen rather than hidden with display: none, which bots recognise and skip.
// Comments stay out of the CSS itself: the template is shipped as written, and every byte counts against the budget.
export default css`
  form,
  [part~='success'] {
    display: grid;
    gap: var(--ct-spacing, 1rem);
    margin: 0;
  }

  [part~='heading'] {
    margin: 0;
    font-size: 1.25em;
    line-height: 1.3;
  }

  [part~='textarea'] {
    min-height: 8em;
  }

  [part~='field-error'] {
    margin: 0;
  }

  [part~='success'] {
    padding: var(--ct-spacing, 1rem);
    border-left: 4px solid var(--ct-color-success, #067647);
    border-radius: var(--ct-radius, 0.375rem);
    background: var(--ct-color-success-background, #ecfdf3);
  }

  [part~='success'] p {
    margin: 0;
  }

  [part~='button'] {
    padding: calc(var(--ct-spacing, 1rem) * 0.625) calc(var(--ct-spacing, 1rem) * 1.25);
    border: 0;
  }

  .honeypot {
    position: absolute;
    left: -10000px;
    width: 1px;
    height: 1px;
    overflow: hidden;
  }
`;
