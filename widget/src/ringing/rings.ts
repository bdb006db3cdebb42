import type { Session } from '@clocktree/client';

/**
 * Every signed-in ct-* element calls this: incoming calls ring on any page where someone is signed in. The ring
 * watcher (and the Socket.IO client it uses) is its own chunk, fetched only after sign-in.
 */
export function watchRingsFor(session: Session): void {
  import('./ring-watch.ts').then(
    ({ watchRings }) => watchRings(session),
    (error: unknown) => console.error('[clocktree] incoming calls cannot ring on this page', error),
  );
}
