import type { ApiErrorCode } from '@clocktree/client';

export interface CtSentDetail {
  threadId: string;
}

export interface CtErrorDetail {
  code: ApiErrorCode;
}

/** Raised by <ct-messages> and <ct-inbox> alike when a message arrives that is to be brought to the user's notice. */
export interface CtAlertDetail {
  threadId: string;
}

declare global {
  interface HTMLElementEventMap {
    'ct-sent': CustomEvent<CtSentDetail>;
    'ct-error': CustomEvent<CtErrorDetail>;
    'ct-alert': CustomEvent<CtAlertDetail>;
  }
}

/** The detail a `ct-*` event carries, as its element declares it in `HTMLElementEventMap`. */
type DetailOf<K extends keyof HTMLElementEventMap> = HTMLElementEventMap[K] extends CustomEvent<infer D> ? D : never;

/** Bubbling and composed, so a page listening on `document` hears it through any shadow roots the widget sits in. */
export function emit<K extends keyof HTMLElementEventMap>(target: EventTarget, name: K, detail: DetailOf<K>): void {
  target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}
