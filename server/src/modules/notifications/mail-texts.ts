import type { Mail } from '../../mail/mailer.ts';

const mail = (to: string, subject: string, lines: string[]): Mail => ({ to, subject, text: lines.join('\n') });

/**
 * Every notification e-mail, in one place so it is easy to see that none carries health information: no body, no
 * subject, no names, no practice or service names — only that something is waiting, and a link.
 */
export const mailTexts = {
  newMessage(to: string, link: string): Mail {
    return mail(to, 'You have a new secure message', [
      'You have a new secure message.',
      '',
      `Read it securely here: ${link}`,
      '',
      'For your privacy, this e-mail does not include the message itself.',
    ]);
  },

  /** To an address without an account (or one without a password yet): the link sets a password. */
  invitation(to: string, link: string, asColleague: boolean): Mail {
    return mail(to, asColleague ? 'You are invited to join a practice team' : 'You are invited to secure messaging', [
      asColleague
        ? 'A practice has invited you to join its team on Clocktree.'
        : 'A practice has invited you to send and receive secure messages.',
      '',
      `Choose your password here: ${link}`,
      '',
      'The link works once, for 7 days. If you did not expect this e-mail, you can ignore it.',
    ]);
  },

  /** To an address that has an account: the invitation waits for them to sign in and accept it. */
  invitationToAccount(to: string, link: string): Mail {
    return mail(to, 'You have a new invitation', [
      'A practice has invited you. Sign in to see the invitation, and accept or decline it:',
      '',
      link,
      '',
      'Nothing of yours is shared with the practice unless you accept.',
    ]);
  },

  /** A prospect asked again for a way into their conversation: the new single-use link. */
  newLink(to: string, link: string): Mail {
    return mail(to, 'Your new secure link', [
      'You asked for a new link to your secure messages.',
      '',
      `Open them securely here: ${link}`,
      '',
      'The link works once, for 3 days. If you did not ask for it, you can ignore this e-mail.',
    ]);
  },

  /** Sent only to an address that has an account; the answer to the request is the same either way. */
  passwordReset(to: string, link: string): Mail {
    return mail(to, 'Reset your password', [
      'Someone asked to reset the password of your secure messaging account.',
      '',
      `Choose a new password here: ${link}`,
      '',
      'The link works once, for 1 hour. If you did not ask for it, ignore this e-mail: your password stays as it is.',
    ]);
  },

  responseDue(to: string, link: string): Mail {
    return mail(to, 'A secure message is waiting for a response', [
      'A secure message to your practice has been waiting for a response for 5 days.',
      'Respond to it or close it within 2 days to stay listed in the directory.',
      '',
      `Open your inbox: ${link}`,
    ]);
  },
};
