import { css } from 'lit';

export default css`
  [part~='card'] {
    display: grid;
    gap: var(--ct-spacing, 1rem);
  }

  [part~='name'] {
    font-size: 1.375em;
  }

  [part~='error'] {
    margin: 0;
  }
`;
