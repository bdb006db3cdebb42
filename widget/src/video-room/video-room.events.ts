export interface CtCallJoinedDetail {
  roomId: number;
}
export interface CtCallConnectedDetail {
  /** From the Join click to the first frame of the other party's video on screen. */
  firstFrameMs: number;
}
export interface CtCallEndedDetail {
  reason: string;
}

declare global {
  interface HTMLElementEventMap {
    'ct-call-joined': CustomEvent<CtCallJoinedDetail>;
    'ct-call-connected': CustomEvent<CtCallConnectedDetail>;
    'ct-call-ended': CustomEvent<CtCallEndedDetail>;
    'ct-call-cancelled': CustomEvent<Record<string, never>>;
  }
}
