import { expect } from '@open-wc/testing';
import './ct.ts';

describe('ct.js loader', () => {
  it('defines nothing until an element is used', async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(customElements.get('ct-contact-us')).to.equal(undefined);
  });

  it('loads an element added later, deep in the page, as a single-page app would', async () => {
    const host = document.createElement('section');
    host.innerHTML =
      '<div><ct-contact-us practice="abcdefabcdefabcdefabcdef" api="/__canned/ok"></ct-contact-us></div>';
    document.body.append(host);
    await customElements.whenDefined('ct-contact-us');
    const el = host.querySelector('ct-contact-us')!;
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('form')).to.be.instanceOf(HTMLFormElement);
    host.remove();
  });
});
