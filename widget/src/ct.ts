/**
 * The SDK loader, served at /sdk/v1/ct.js. It defines nothing up front: each ct-* element's code is fetched the
 * first time such an element appears in the page, so a page with one Contact Us form never downloads video code.
 * Add new elements to `registry` only; everything else is generic.
 */
import { importRetrying } from './shared/retry-import.ts';

const registry: Record<string, () => Promise<unknown>> = {
  'ct-av-test': () => import('./av-test/av-test.ts'),
  'ct-contact-us': () => import('./contact-us/contact-us.ts'),
  'ct-directory': () => import('./directory/directory.ts'),
  'ct-inbox': () => import('./inbox/inbox.ts'),
  'ct-messages': () => import('./messages/messages.ts'),
  'ct-practice-card': () => import('./practice-card/practice-card.ts'),
  'ct-video-room': () => import('./video-room/video-room.ts'),
};

const requested = new Set<string>();

function load(tag: string): void {
  const importer = registry[tag];
  if (!importer || requested.has(tag) || customElements.get(tag)) return;
  requested.add(tag);
  importRetrying(importer).catch((error: unknown) => {
    // Forget the attempt so the next element of that kind (e.g. after the network is back) retries.
    requested.delete(tag);
    console.error(`[clocktree] could not load <${tag}>`, error);
  });
}

function discover(root: Element | Document): void {
  if (root instanceof Element && root.localName.startsWith('ct-')) load(root.localName);
  for (const element of root.querySelectorAll(':not(:defined)')) load(element.localName);
}

discover(document);

// Single-page apps add widgets long after this script ran; watch for them until every element is loaded.
const observer = new MutationObserver((mutations) => {
  for (const mutation of mutations) {
    for (const node of mutation.addedNodes) if (node instanceof Element) discover(node);
  }
  if (Object.keys(registry).every((tag) => customElements.get(tag))) observer.disconnect();
});
observer.observe(document.documentElement, { childList: true, subtree: true });
