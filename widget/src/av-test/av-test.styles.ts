import { css } from 'lit';

export default css`
  [part~='base'],
  section {
    display: grid;
    gap: var(--ct-spacing, 1rem);
  }

  [part~='base'] {
    gap: calc(var(--ct-spacing, 1rem) * 1.5);
  }

  [part~='heading'] {
    margin: 0;
    font-size: 1.25em;
    line-height: 1.3;
  }

  [part~='subheading'] {
    margin: 0;
    font-size: 1.0625em;
    line-height: 1.3;
  }

  p,
  ul {
    margin: 0;
  }

  [part~='hint'] {
    color: var(--ct-color-muted, #52606d);
  }

  [part~='results'] {
    border-collapse: collapse;
    justify-self: start;
  }

  [part~='results'] caption {
    padding-bottom: calc(var(--ct-spacing, 1rem) * 0.375);
    font-weight: 600;
    text-align: left;
  }

  [part~='results'] th,
  [part~='results'] td {
    padding: calc(var(--ct-spacing, 1rem) * 0.375) var(--ct-spacing, 1rem) calc(var(--ct-spacing, 1rem) * 0.375) 0;
    border-bottom: 1px solid var(--ct-color-border, #cbd2d9);
    text-align: left;
  }

  [part~='results'] td {
    font-variant-numeric: tabular-nums;
  }

  [part~='warning'] {
    display: grid;
    gap: calc(var(--ct-spacing, 1rem) * 0.5);
    padding: calc(var(--ct-spacing, 1rem) * 0.75);
    border-left: 4px solid var(--ct-color-warning, #b54708);
    border-radius: var(--ct-radius, 0.375rem);
    background: var(--ct-color-warning-background, #fffaeb);
    color: var(--ct-color-warning-text, #7a2e0e);
  }

  [part~='warning'] ul {
    padding-left: 1.25em;
  }
`;
