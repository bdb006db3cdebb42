import { css } from 'lit';

/**
 * Form controls, buttons and the error region as every ct-* element draws them, so a theme styles them once. Each
 * element lists it after `baseStyles` and before its own sheet, which may then adjust a rule (a taller textarea, say).
 */
export const formStyles = css`
  [part~='field'] {
    display: grid;
    gap: calc(var(--ct-spacing, 1rem) * 0.25);
  }

  [part~='label'] {
    font-weight: 600;
  }

  [part~='input'],
  [part~='select'],
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
    min-height: 6em;
    resize: vertical;
  }

  [aria-invalid='true'] {
    border-color: var(--ct-color-danger, #b42318);
  }

  [part~='field-error'] {
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

  [part~='button'] {
    justify-self: start;
    padding: calc(var(--ct-spacing, 1rem) * 0.5) var(--ct-spacing, 1rem);
    border: 1px solid transparent;
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
`;
