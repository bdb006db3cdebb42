import { sessionFor } from '@clocktree/client';
import type { User } from '@clocktree/protocol';

/**
 * Tells `onUser` who is signed in to the API at `baseUrl` on this page (through <ct-messages>, say) now and after every
 * sign-in or sign-out; returns the unsubscribe function. Loaded lazily by <ct-contact-us>: the form never needs it.
 */
export function followSignedInUser(baseUrl: string, onUser: (user: User | undefined) => void): () => void {
  const session = sessionFor(baseUrl);
  onUser(session.user);
  return session.subscribe((event) => onUser(event.type === 'signed-in' ? event.session.user : undefined));
}
