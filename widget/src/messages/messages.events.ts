import type { SessionEndReason } from '@clocktree/client';

export type { CtAlertDetail } from '../shared/events.ts';

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

declare global {
  interface HTMLElementEventMap {
    'ct-signed-in': CustomEvent<CtSignedInDetail>;
    'ct-signed-out': CustomEvent<CtSignedOutDetail>;
    'ct-message-sent': CustomEvent<CtMessageSentDetail>;
  }
}
