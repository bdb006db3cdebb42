import type { Mail } from '../../mail/mailer.ts';
import type { PracticeDoc } from '../practices/practice.model.ts';

/**
 * How a mail about a practice's threads, invitations or appointments is sent: under the display name its admins
 * chose and with their Reply-To, or (unset, or no practice) the neutral default. Subjects and bodies never change.
 */
export const senderOf = (
  practice: Partial<Pick<PracticeDoc, 'mailFromName' | 'replyTo'>> | null | undefined,
): Pick<Mail, 'fromName' | 'replyTo'> => ({
  ...(practice?.mailFromName ? { fromName: practice.mailFromName } : {}),
  ...(practice?.replyTo ? { replyTo: practice.replyTo } : {}),
});
