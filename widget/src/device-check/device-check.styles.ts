import { css } from 'lit';

export default css`
  [part~='base'] {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 16rem), 1fr));
    gap: var(--ct-spacing, 1rem);
    align-items: start;
  }

  [part~='preview'] {
    display: grid;
    place-items: center;
    overflow: hidden;
    aspect-ratio: 4 / 3;
    border-radius: var(--ct-radius, 0.375rem);
    background: var(--ct-color-video-background, #1f2933);
    color: #fff;
  }

  [part~='video'] {
    width: 100%;
    height: 100%;
    object-fit: cover;
    /* A mirror image, as people expect to see themselves; the other side sees the camera's picture unmirrored. */
    transform: scaleX(-1);
  }

  [part~='video'][hidden] {
    display: none;
  }

  [part~='controls'] {
    display: grid;
    gap: calc(var(--ct-spacing, 1rem) * 0.75);
  }

  [part~='level'] {
    overflow: hidden;
    height: 0.75rem;
    border-radius: var(--ct-radius, 0.375rem);
    background: var(--ct-color-level-track, #e4e7eb);
  }

  [part~='level-bar'] {
    height: 100%;
    background: var(--ct-color-level, #067647);
    transform-origin: left;
    transition: transform 50ms linear;
  }

  p,
  ol {
    margin: 0;
  }

  [part~='hint'] {
    color: var(--ct-color-muted, #52606d);
    font-size: 0.875em;
  }

  [part~='status'],
  [part~='problem'] {
    grid-column: 1 / -1;
  }

  [part~='problem'] {
    display: grid;
    gap: calc(var(--ct-spacing, 1rem) * 0.5);
  }

  [part~='problem-title'] {
    font-weight: 600;
  }

  [part~='problem-help'] {
    padding-left: 1.25em;
  }

  @media (prefers-reduced-motion: reduce) {
    [part~='level-bar'] {
      transition: none;
    }
  }
`;
