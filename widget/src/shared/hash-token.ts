/**
 * A token from a link in one of our e-mails (`#link=`, `#invite=`, `#reset=`), taken out of the address bar and the
 * history at once: single-use, but a credential until it is used.
 */
export function takeHashToken(name: 'link' | 'invite' | 'reset'): string | undefined {
  const token = new URLSearchParams(location.hash.slice(1)).get(name);
  if (!token) return undefined;
  history.replaceState(history.state, '', location.pathname + location.search);
  return token;
}
