import type { Envelope } from '../../crypto/envelope.ts';
import type { MessageDoc, ThreadDoc } from './thread.model.ts';

export interface Contact {
  name: string;
  email: string;
  phone: string;
}

export interface OpenedMessage {
  body: string;
  /** In the order of the message's attachments. */
  attachmentNames: string[];
}

/**
 * Whose data key seals a thread's content: its practice's, or for a `network` thread (no practice) the key of the
 * My Network connection it was started on. The one place that decides it.
 */
export const keyOf = (t: Pick<ThreadDoc, 'practiceId' | 'connectionId'>) => t.practiceId ?? t.connectionId;

/** Subjects, Contact Us details, bodies and attachment names are sealed with the thread's data key before they are stored. */
export function threadContent(crypto: Envelope) {
  const seal = (practiceId: unknown, text: string) => crypto.encryptText(String(practiceId), text);
  return {
    sealText: seal,
    sealContact: (practiceId: unknown, contact: Contact) => seal(practiceId, JSON.stringify(contact)),
    async subject(t: Pick<ThreadDoc, 'practiceId' | 'subjectEnc'>): Promise<string | null> {
      return t.subjectEnc && t.practiceId ? crypto.decryptText(t.practiceId, t.subjectEnc) : null;
    },
    async contact(t: Pick<ThreadDoc, 'practiceId' | 'contactEnc'>): Promise<Contact | null> {
      if (!t.contactEnc || !t.practiceId) return null;
      return JSON.parse(await crypto.decryptText(t.practiceId, t.contactEnc)) as Contact;
    },
    body: (practiceId: unknown, bodyEnc: Buffer) => crypto.decryptText(String(practiceId), bodyEnc),
    /** A stored message's body and attachment names, opened. */
    async message(practiceId: unknown, m: Pick<MessageDoc, 'bodyEnc' | 'attachments'>): Promise<OpenedMessage> {
      const pid = String(practiceId);
      const [body, names] = await Promise.all([
        crypto.decryptText(pid, m.bodyEnc),
        Promise.all(m.attachments.map((a) => crypto.decryptText(pid, a.nameEnc))),
      ]);
      return { body, attachmentNames: names };
    },
  };
}

export type ThreadContent = ReturnType<typeof threadContent>;
