import type { ApiErrorCode } from '@clocktree/client';

export interface CtSentDetail {
  threadId: string;
}

export interface CtErrorDetail {
  code: ApiErrorCode;
}

declare global {
  interface HTMLElementEventMap {
    'ct-sent': CustomEvent<CtSentDetail>;
    'ct-error': CustomEvent<CtErrorDetail>;
  }
}

type CtEventName = 'ct-sent' | 'ct-error';
type DetailOf<K extends CtEventName> = HTMLElementEventMap[K] extends CustomEvent<infer D> ? D : never;

/** Composed so a page listening on `document` hears it through any shadow roots the widget sits in. */
export function emit<K extends CtEventName>(target: EventTarget, name: K, detail: DetailOf<K>): void {
  target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}
