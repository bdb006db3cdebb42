import { css } from 'lit';

export default css`
  section {
    display: grid;
    gap: var(--ct-spacing, 1rem);
  }

  [part~='heading'] {
    margin: 0;
    font-size: 1.25em;
    line-height: 1.3;
  }

  [part~='search'] {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, 13rem), 1fr));
    gap: calc(var(--ct-spacing, 1rem) * 0.75);
    align-items: end;
  }

  [part~='q-field'],
  [part~='location'] {
    grid-column: span 2;
  }

  @media (max-width: 30rem) {
    [part~='q-field'],
    [part~='location'] {
      grid-column: auto;
    }
  }

  [part~='location'] {
    display: grid;
    /* The distance takes the width of its widest choice ("100 mi" cut to "100 m" at 360 px); the place the rest. */
    grid-template-columns: minmax(0, 1fr) auto;
    gap: calc(var(--ct-spacing, 1rem) * 0.5);
  }

  [part~='checks'] {
    display: grid;
    align-self: start;
    gap: calc(var(--ct-spacing, 1rem) * 0.25);
    margin: 0;
    padding: 0;
    border: 0;
  }

  [part~='check'] {
    display: flex;
    gap: calc(var(--ct-spacing, 1rem) * 0.5);
    align-items: center;
  }

  [part~='check'] input {
    width: 1.25em;
    height: 1.25em;
    margin: 0;
  }

  [part~='actions'] {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--ct-spacing, 1rem) * 0.5);
  }

  [part~='clear-button'],
  [part~='pager'] [part~='button'] {
    border-color: var(--ct-color-border, #7b8794);
    background: var(--ct-color-surface, #f3f4f6);
    color: var(--ct-color-text, #1f2933);
  }

  [part~='clear-button']:hover,
  [part~='pager'] [part~='button']:hover:not(:disabled) {
    background: var(--ct-color-surface, #f3f4f6);
    text-decoration: underline;
  }

  [part~='pager'] [part~='button']:disabled {
    cursor: default;
  }

  [part~='status'] {
    margin: 0;
    font-weight: 600;
  }

  [part~='status']:empty {
    display: none;
  }

  [part~='error'] p,
  [part~='empty'] p {
    margin: 0 0 calc(var(--ct-spacing, 1rem) * 0.5);
  }

  [part~='results'] {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, 20rem), 1fr));
    gap: var(--ct-spacing, 1rem);
    margin: 0;
    padding: 0;
    list-style: none;
  }

  [part~='results'][aria-busy='true'] {
    opacity: 0.6;
  }

  [part~='card'] {
    align-self: start;
    min-width: 0;
    padding: var(--ct-spacing, 1rem);
    border: 1px solid var(--ct-color-border, #7b8794);
    border-radius: var(--ct-radius, 0.375rem);
  }

  article {
    display: grid;
    gap: calc(var(--ct-spacing, 1rem) * 0.75);
  }

  [part~='tags'] {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--ct-spacing, 1rem) * 0.375);
    margin: 0;
    padding: 0;
    list-style: none;
  }

  [part~='tag'] {
    padding: 0 calc(var(--ct-spacing, 1rem) * 0.5);
    border-radius: var(--ct-radius, 0.375rem);
    background: var(--ct-color-surface, #f3f4f6);
    font-size: 0.875em;
  }

  [part~='details'] {
    display: grid;
    gap: calc(var(--ct-spacing, 1rem) * 0.25);
    margin: 0;
  }

  [part~='details'] div {
    display: flex;
    flex-wrap: wrap;
    gap: 0 calc(var(--ct-spacing, 1rem) * 0.5);
  }

  dt {
    font-weight: 600;
  }

  dd {
    margin: 0;
  }

  [part~='accepting'] {
    color: var(--ct-color-success, #067647);
  }

  [part~='pager'] {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--ct-spacing, 1rem) * 0.75);
    align-items: center;
    justify-content: center;
  }

  [part~='page'],
  [part~='distance'] {
    color: var(--ct-color-muted, #52606d);
  }

  [part~='distance'] {
    margin: 0;
  }
`;
