import { importRetrying } from '../shared/retry-import.ts';
import { THREAD_LIST_PARTS } from './thread-list.ts';
import { THREAD_PANE_PARTS } from './thread-pane.ts';

/**
 * The console's panes that only some members open (Settings, Appointments, the booking form) are chunks of their own,
 * fetched on first use: the console's first download stays small. Their part lists live here, in the first download,
 * because the shell names them in `exportparts` before the chunk has arrived.
 */

const FORM_PARTS = [
  'stack',
  'heading',
  'hint',
  'field',
  'label',
  'input',
  'textarea',
  'select',
  'checkbox',
  'checkbox-label',
  'field-error',
  'error',
  'status',
  'notice',
  'actions',
  'button',
  'secondary-button',
  'danger-button',
  'list',
  'meta',
  'empty',
  'dialog',
];

export const SETTINGS_PANE_PARTS = [
  ...FORM_PARTS,
  'settings-section',
  'service',
  'service-name',
  'photo',
  'origin',
  'member',
  'member-name',
  'member-status',
];

export const APPOINTMENTS_PANE_PARTS = [
  ...FORM_PARTS,
  'tabs',
  'tab',
  'tab-selected',
  'tab-panel',
  'appointment',
  'appointment-time',
  'appointment-cancelled',
  'book-form',
  'join-button',
  'video-window',
];

/** The Home view: a summary per practice and My Network (whose threads open in the thread pane). */
export const NETWORK_PANE_PARTS = [
  ...FORM_PARTS,
  ...THREAD_PANE_PARTS,
  'settings-section',
  'member',
  'member-name',
  'member-status',
  'compose-form',
  'send-button',
  'video-call-button',
  'thread-list',
  'thread-item',
  'thread',
  'unread',
];
export const HOME_PANE_PARTS = [...NETWORK_PANE_PARTS, 'practice-summary'];

/** The booking form on a client's profile. */
export const BOOK_FORM_PARTS = [...FORM_PARTS, 'book-form', 'book-appointment-button'];

export const CLIENT_PROFILE_EXTRA_PARTS = [...BOOK_FORM_PARTS, ...THREAD_LIST_PARTS];

export type LazyPane = 'settings' | 'appointments' | 'book' | 'home';

const chunks: Record<LazyPane, () => Promise<unknown>> = {
  settings: () => import('./settings-pane.ts'),
  appointments: () => import('./appointments-pane.ts'),
  book: () => import('./book-appointment.ts'),
  home: () => import('./home-pane.ts'),
};
const loading = new Map<LazyPane, Promise<unknown>>();

/** Fetches (once) the chunk that defines the pane's element; a failed fetch may be tried again. */
export function loadPane(pane: LazyPane): Promise<unknown> {
  let promise = loading.get(pane);
  if (!promise) {
    promise = importRetrying(chunks[pane]).catch((error: unknown) => {
      loading.delete(pane);
      throw error;
    });
    loading.set(pane, promise);
  }
  return promise;
}
