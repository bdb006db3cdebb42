import { css } from 'lit';

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

  [part~='field'] {
    display: grid;
    gap: calc(var(--ct-spacing, 1rem) * 0.25);
  }

  [part~='label'] {
    font-weight: 600;
  }

  [part~='input'],
  [part~='textarea'] {
    width: 100%;
    margin: 0;
    padding: calc(var(--ct-spacing, 1rem) * 0.5) calc(var(--ct-spacing, 1rem) * 0.75);
    border: 1px solid var(--ct-color-border, #7b8794);
    border-radius: var(--ct-radius, 0.375rem);
    background: var(--ct-color-input-background, #fff);
    color: var(--ct-color-input-text, #1f2933);
    font: inherit;
  }

  [part~='textarea'] {
    min-height: 8em;
    resize: vertical;
  }

  [aria-invalid='true'] {
    border-color: var(--ct-color-danger, #b42318);
  }

  [part~='field-error'] {
    margin: 0;
    color: var(--ct-color-danger, #b42318);
    font-size: 0.875em;
  }

  [part~='error']:not(:empty) {
    padding: calc(var(--ct-spacing, 1rem) * 0.75);
    border-left: 4px solid var(--ct-color-danger, #b42318);
    border-radius: var(--ct-radius, 0.375rem);
    background: var(--ct-color-danger-background, #fef3f2);
    color: var(--ct-color-danger-text, #7a271a);
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
    justify-self: start;
    padding: calc(var(--ct-spacing, 1rem) * 0.625) calc(var(--ct-spacing, 1rem) * 1.25);
    border: 0;
    border-radius: var(--ct-radius, 0.375rem);
    background: var(--ct-color-primary, #1d4ed8);
    color: var(--ct-color-on-primary, #fff);
    font: inherit;
    font-weight: 600;
    cursor: pointer;
  }

  [part~='button']:hover:not(:disabled) {
    background: var(--ct-color-primary-hover, #1e40af);
  }

  [part~='button']:disabled {
    opacity: 0.7;
    cursor: progress;
  }

  /* The honeypot: moved off-screen rather than display: none, which bots recognise and skip. */
  .honeypot {
    position: absolute;
    left: -10000px;
    width: 1px;
    height: 1px;
    overflow: hidden;
  }
`;
