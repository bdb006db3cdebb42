/**
 * Where a widget sends its API calls. An explicit `api` attribute wins (relative values resolve against the
 * page); otherwise the origin the SDK itself was served from, because the API's host serves the SDK.
 */
export function resolveApiBase(api: string | null | undefined, moduleUrl: string = import.meta.url): string {
  if (api) return new URL(api, document.baseURI).href.replace(/\/+$/, '');
  return new URL(moduleUrl).origin;
}
