import { sessionFor } from '@clocktree/client';
import type { User } from '@clocktree/protocol';
import { watchRingsFor } from '../ringing/rings.ts';

/**
 * Tells `onUser` who is signed in (and with which token, so a client's message is filed as theirs) to the API at `baseUrl` on this page (through <ct-messages>, say) now and after every
 * sign-in or sign-out; returns the unsubscribe function. Loaded lazily by <ct-contact-us>: the form never needs it.
 */
export function followSignedInUser(
  baseUrl: string,
  onUser: (user: User | undefined, token: string | undefined) => void,
): () => void {
  const session = sessionFor(baseUrl);
  const tell = () => {
    onUser(session.user, session.token);
    if (session.user) watchRingsFor(session);
  };
  tell();
  return session.subscribe(tell);
}
