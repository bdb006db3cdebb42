/**
 * The one list of the `--ct-*` custom properties a practice may set to theme the ct-* elements (on the element or
 * any ancestor). Every stylesheet uses only these names (tests/widget-theme-names.test.ts fails otherwise), and each
 * element documents the ones it reads with `@cssproperty`. Plain data, no Lit: the node test reads it.
 */
export const THEME_PROPERTIES = {
  '--ct-font-family': 'Font of the whole element.',
  '--ct-font-size': 'Base font size.',
  '--ct-spacing': 'Base spacing unit; gaps and paddings derive from it.',
  '--ct-radius': 'Corner radius of inputs, buttons, notices and messages.',
  '--ct-color-text': 'Text colour.',
  '--ct-color-muted': 'Secondary text: dates, hints, roles.',
  '--ct-color-surface': 'Background of lists, headers and secondary buttons.',
  '--ct-color-border': 'Borders of inputs, lists and messages.',
  '--ct-color-border-subtle': 'Dividers.',
  '--ct-color-input-background': 'Background of inputs.',
  '--ct-color-input-text': 'Text of inputs.',
  '--ct-color-primary': 'Buttons, links, unread markers, the selected tab; default focus ring.',
  '--ct-color-primary-hover': 'Hovered buttons.',
  '--ct-color-on-primary': 'Text on primary buttons.',
  '--ct-color-focus': 'Focus ring.',
  '--ct-color-hover': 'Background of a hovered row.',
  '--ct-color-selected': 'Background of the selected row.',
  '--ct-color-link': 'Attachment links in the console.',
  '--ct-color-badge': 'The "needs a response" badge.',
  '--ct-color-chip-background': 'Background of time-left and state labels.',
  '--ct-color-alert': 'Accent of an alerted thread and of the new-message notice.',
  '--ct-color-alert-background': 'Background of an alerted thread and of the new-message notice.',
  '--ct-color-danger': 'Field errors, invalid borders, destructive buttons.',
  '--ct-color-danger-background': 'Background of errors.',
  '--ct-color-danger-text': 'Text of errors.',
  '--ct-color-warning': 'Accent of warnings (slow connection).',
  '--ct-color-warning-background': 'Background of warnings and of threads with under 2 days left.',
  '--ct-color-warning-text': 'Text of warnings and of threads with under 2 days left.',
  '--ct-color-success': 'Accent of a confirmation.',
  '--ct-color-success-background': 'Background of a confirmation.',
  '--ct-color-notice-background': 'Background of notices (closed thread, signed out).',
  '--ct-color-message-background': 'A message from the other side of the conversation.',
  '--ct-color-own-message-background': 'A message of the person using the element.',
  '--ct-color-online': 'The connection dot while live.',
  '--ct-color-offline': 'The connection dot while offline.',
  '--ct-color-level': 'The microphone level bar.',
  '--ct-color-level-track': 'Behind the level bar.',
  '--ct-color-video-background': 'Behind videos and the camera preview.',
  '--ct-video-height': 'Height of the call area (default 28rem).',
} as const;

/**
 * Old names that still work for one release (0.1.x) because a practice may already set them; each stylesheet reads
 * the new name first and falls back to the old one. Removed in the next release.
 */
export const DEPRECATED_THEME_PROPERTIES = {
  '--ct-color-own-message': '--ct-color-own-message-background',
  '--ct-video-background': '--ct-color-video-background',
} as const;

export type ThemeProperty = keyof typeof THEME_PROPERTIES;
