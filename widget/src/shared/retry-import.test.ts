import { expect } from '@open-wc/testing';
import { importRetrying } from './retry-import.ts';

describe('importRetrying', () => {
  it('asks again after a failed download, and answers the chunk once one arrives', async () => {
    let attempts = 0;
    const chunk = await importRetrying(async () => {
      attempts++;
      if (attempts < 3) throw new TypeError('Failed to fetch dynamically imported module');
      return { ok: true };
    });
    expect(chunk).to.deep.equal({ ok: true });
    expect(attempts).to.equal(3);
  });

  it('gives up after three attempts with the last error, for the caller to say so', async () => {
    let attempts = 0;
    const failed = await importRetrying(async () => {
      attempts++;
      throw new TypeError(`attempt ${attempts}`);
    }).catch((error: Error) => error.message);
    expect(failed).to.equal('attempt 3');
  });
});
