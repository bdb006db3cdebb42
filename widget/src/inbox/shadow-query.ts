// Test support: how the browser tests reach into nested shadow roots and read what a person would read.

/** Looks through nested shadow roots: every selector but the last names a host inside the previous one's root. */
export function find<T extends HTMLElement = HTMLElement>(root: Element, ...selectors: string[]): T | null {
  let scope: Element | ShadowRoot | null | undefined = root.shadowRoot;
  for (const [i, selector] of selectors.entries()) {
    const found: Element | null | undefined = scope?.querySelector(selector);
    if (i === selectors.length - 1) return (found as T) ?? null;
    scope = found?.shadowRoot;
  }
  return null;
}

/** Every match of the last selector, in the shadow root of the host the others lead to (`root` itself without them). */
export function findAll(root: Element, ...selectors: string[]): HTMLElement[] {
  const last = selectors.pop()!;
  const host = selectors.length ? find(root, ...selectors) : root;
  return [...(host?.shadowRoot?.querySelectorAll<HTMLElement>(last) ?? [])];
}

/** An element's text with its white space folded, as it reads on screen. */
export const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
