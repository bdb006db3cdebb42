import type { ElementHandle, Page } from 'puppeteer-core';

/**
 * Widgets render in (nested) shadow roots. These helpers find elements across all of them from the page itself,
 * by CSS selector and optional visible text, waiting as a person would for the screen to show something.
 */
export async function installDeepQuery(page: Page): Promise<void> {
  // tsx compiles this file with esbuild's keepNames, which wraps functions in `__name(…)`; the functions handed to
  // the page carry those calls, so the page needs the helper too (as a string: it must not be wrapped itself).
  await page.evaluateOnNewDocument('globalThis.__name = (fn) => fn;');
  await page.evaluateOnNewDocument(() => {
    (window as unknown as { __deepAll: (sel: string) => Element[] }).__deepAll = (selector: string) => {
      const found: Element[] = [];
      const walk = (root: Document | ShadowRoot) => {
        found.push(...root.querySelectorAll(selector));
        for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
      };
      walk(document);
      return found;
    };
  });
}

type Deep = { __deepAll: (sel: string) => Element[] };

export async function waitFor(page: Page, selector: string, text?: string, timeout = 15_000): Promise<ElementHandle> {
  const handle = await page.waitForFunction(
    (sel, txt) => (window as unknown as Deep).__deepAll(sel).find((e) => !txt || (e.textContent ?? '').includes(txt)),
    { timeout },
    selector,
    text,
  );
  return handle.asElement() as ElementHandle;
}

export async function waitGone(page: Page, selector: string, text?: string, timeout = 15_000): Promise<void> {
  await page.waitForFunction(
    (sel, txt) => !(window as unknown as Deep).__deepAll(sel).some((e) => !txt || (e.textContent ?? '').includes(txt)),
    { timeout },
    selector,
    text,
  );
}

export async function count(page: Page, selector: string, text?: string): Promise<number> {
  return page.evaluate(
    (sel, txt) =>
      (window as unknown as Deep).__deepAll(sel).filter((e) => !txt || (e.textContent ?? '').includes(txt)).length,
    selector,
    text,
  );
}

export async function fill(page: Page, selector: string, value: string): Promise<void> {
  const field = await waitFor(page, selector);
  await field.click({ clickCount: 3 });
  await field.type(value);
}

export async function click(page: Page, selector: string, text?: string): Promise<void> {
  await (await waitFor(page, selector, text)).click();
}

/** Sets a control's value as a picker would (date, time, select): the value, then `input` and `change`. */
export async function setValue(page: Page, selector: string, value: string): Promise<void> {
  const field = await waitFor(page, selector);
  await field.evaluate((el, v) => {
    (el as HTMLInputElement).value = v;
    for (const type of ['input', 'change']) el.dispatchEvent(new Event(type, { bubbles: true, composed: true }));
  }, value);
}

/** Waits until keyboard focus (followed through shadow roots) is on an element with this tag or `part` name. */
export async function waitForFocus(page: Page, on: { tag?: string; part?: string }, timeout = 15_000): Promise<void> {
  await page.waitForFunction(
    (tag, part) => {
      let el: Element | null = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      if (!el) return false;
      return (
        (!tag || el.tagName.toLowerCase() === tag) &&
        (!part || (el.getAttribute('part') ?? '').split(' ').includes(part))
      );
    },
    { timeout },
    on.tag,
    on.part,
  );
}
