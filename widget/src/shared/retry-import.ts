const WAITS_MS = [300, 1_500];

/**
 * Loads a chunk, asking again after a failed download before giving up: a dropped connection or a network change
 * (Chromium aborts requests in flight with ERR_NETWORK_CHANGED when an interface comes or goes) fails one request,
 * not the page. Browsers fetch a module whose fetch failed again on the next import.
 */
export async function importRetrying<T>(load: () => Promise<T>): Promise<T> {
  for (const wait of WAITS_MS) {
    try {
      return await load();
    } catch {
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
  return load();
}
