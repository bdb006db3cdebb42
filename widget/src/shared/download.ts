/**
 * Saves bytes fetched with the bearer token as a file. The token never goes into a URL (where it would reach
 * history, logs and Referer headers), so the browser cannot fetch the file itself: the widget fetches it, then hands
 * the browser an object URL to save. The temporary link sits in `root` so it never touches the host page.
 */
export function saveBlob(root: ShadowRoot | HTMLElement, blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  root.append(link);
  link.click();
  link.remove();
  // Revoked later: the download may start after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
