import type { MediaErrorCode } from './media-errors.ts';

export interface CtDevicesChangeDetail {
  /** The preview stream: one audio and one video track when both could be opened. */
  stream: MediaStream | undefined;
  /** The chosen devices' ids; '' is the browser's default. */
  audioInputId: string;
  videoInputId: string;
  audioOutputId: string;
}

export interface CtMediaErrorDetail {
  code: MediaErrorCode;
}

declare global {
  interface HTMLElementEventMap {
    'ct-devices-change': CustomEvent<CtDevicesChangeDetail>;
    'ct-media-error': CustomEvent<CtMediaErrorDetail>;
  }
}
