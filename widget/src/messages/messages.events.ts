import type { SessionEndReason } from '@clocktree/client';

export interface CtSignedInDetail {
  userId: string;
}

export interface CtSignedOutDetail {
  /** `signed-out` (the button), `idle` (automatic logoff), `unauthenticated` (the session ended elsewhere). */
  reason: SessionEndReason;
}

export interface CtMessageSentDetail {
  threadId: string;
}

export interface CtAlertDetail {
  threadId: string;
}

declare global {
  interface HTMLElementEventMap {
    'ct-signed-in': CustomEvent<CtSignedInDetail>;
    'ct-signed-out': CustomEvent<CtSignedOutDetail>;
    'ct-message-sent': CustomEvent<CtMessageSentDetail>;
    'ct-alert': CustomEvent<CtAlertDetail>;
  }
}

type MessagesEventName = 'ct-signed-in' | 'ct-signed-out' | 'ct-message-sent' | 'ct-alert';
type DetailOf<K extends MessagesEventName> = HTMLElementEventMap[K] extends CustomEvent<infer D> ? D : never;

/** Bubbling and composed, so a page listening on `document` hears it through any shadow roots the widget sits in. */
export function emit<K extends MessagesEventName>(target: EventTarget, name: K, detail: DetailOf<K>): void {
  target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}
