import type { CallEndedReason } from '@clocktree/protocol';

/** What the room says once a call is over, by `call:ended` reason (or our own reasons for leaving). */
export const ENDED_TEXTS: Record<CallEndedReason | 'left' | 'destroyed' | 'lost', string> = {
  answered: 'The call was answered on another device.',
  declined: 'The call was declined.',
  no_answer: 'Nobody answered the call.',
  cancelled: 'The caller hung up before the call was answered.',
  hangup: 'The call has ended.',
  window_ended: 'The time booked for this appointment is over.',
  appointment_cancelled: 'This appointment was cancelled.',
  rescheduled: 'This appointment was moved to another time.',
  // Said alike to both sides: the other party is not told why.
  access_ended: 'The call has ended.',
  left: 'You left the call.',
  destroyed: 'The call has ended.',
  lost: 'The connection to the video service was lost and could not be restored.',
};

export const QUALITY_TEXTS = {
  good: 'Connection: good',
  fair: 'Connection: fair — the picture may stutter',
  poor: 'Connection: poor — try moving closer to your Wi-Fi router or turning your camera off',
  unknown: 'Connection: measuring…',
} as const;
