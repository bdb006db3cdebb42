/**
 * What the console shows, kept in the address bar's fragment so a reload comes back to it: `#practice=…&tab=…&client=…`.
 * Ids only: never a name or an e-mail address, which would end up in the history and in bookmarks.
 */
export interface ConsoleView {
  practice?: string | undefined;
  tab?: string | undefined;
  client?: string | undefined;
}

const KEYS = ['practice', 'tab', 'client'] as const;
const ID = /^[\w-]{1,64}$/;

export function readConsoleView(): ConsoleView {
  const params = new URLSearchParams(location.hash.slice(1));
  const view: ConsoleView = {};
  for (const key of KEYS) {
    const value = params.get(key);
    if (value && ID.test(value)) view[key] = value;
  }
  return view;
}

/** Replaces (never pushes) the fragment: the Back button leaves the console rather than stepping through clicks. */
export function writeConsoleView(view: ConsoleView): void {
  const params = new URLSearchParams();
  for (const key of KEYS) if (view[key]) params.set(key, view[key]);
  const hash = params.size ? `#${params}` : '';
  if (hash === location.hash || (!hash && !location.hash)) return;
  history.replaceState(history.state, '', location.pathname + location.search + hash);
}
