import type { Attachment } from '@clocktree/protocol';
import { expect } from '@open-wc/testing';
import { Draft, type Uploader } from './draft.ts';
import { LIMITS } from './limits.ts';

const file = (name: string, size = 10) => ({ name, size }) as File;

describe('Draft (the composer of <ct-messages> and the console)', () => {
  it('refuses files past the protocol’s limits without uploading them', async () => {
    const uploaded: string[] = [];
    const upload: Uploader = async (f) => {
      uploaded.push(f.name);
      return {
        id: `0123456789abcdef0123456${uploaded.length}`,
        name: f.name,
        size: f.size,
        type: 'text/plain',
      } as Attachment;
    };
    const draft = new Draft(() => undefined);
    draft.add([file('huge.bin', LIMITS.attachmentBytes + 1)], upload);
    draft.add(
      Array.from({ length: LIMITS.attachments + 1 }, (_, i) => file(`f${i}.txt`)),
      upload,
    );
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(uploaded).to.have.length(LIMITS.attachments);
    expect(draft.uploads[0]!.error).to.match(/^Larger than/);
    expect(draft.uploads.at(-1)!.error).to.equal(`At most ${LIMITS.attachments} files.`);
    expect(draft.attachmentIds).to.have.length(LIMITS.attachments);
    expect(draft.uploading).to.equal(false);
  });

  it('keeps one idempotency key while the message is unchanged, and takes a new one once it changes', () => {
    const draft = new Draft(() => undefined);
    const first = draft.keyFor({ body: 'Hello' });
    expect(draft.keyFor({ body: 'Hello' })).to.equal(first);
    expect(draft.keyFor({ body: 'Hello!' })).to.not.equal(first);
    draft.clear();
    expect(draft.uploads).to.deep.equal([]);
  });
});
