import type { Mail } from '../../mail/mailer.ts';

/**
 * Every notification e-mail, in one place so it is easy to see that none carries health information: no body, no
 * subject, no names, no practice or service names — only that something is waiting, and a link.
 */
export const mailTexts = {
  newMessage(to: string, link: string): Mail {
    return {
      to,
      subject: 'You have a new secure message',
      text: [
        'You have a new secure message.',
        '',
        `Read it securely here: ${link}`,
        '',
        'For your privacy, this e-mail does not include the message itself.',
      ].join('\n'),
    };
  },

  /** To an address without an account (or one without a password yet): the link sets a password. */
  invitation(to: string, link: string, asColleague: boolean): Mail {
    return {
      to,
      subject: asColleague ? 'You are invited to join a practice team' : 'You are invited to secure messaging',
      text: [
        asColleague
          ? 'A practice has invited you to join its team on Clocktree.'
          : 'A practice has invited you to send and receive secure messages.',
        '',
        `Choose your password here: ${link}`,
        '',
        'The link works once, for 7 days. If you did not expect this e-mail, you can ignore it.',
      ].join('\n'),
    };
  },

  /** To an address that has an account: the invitation waits for them to sign in and accept it. */
  invitationToAccount(to: string, link: string): Mail {
    return {
      to,
      subject: 'You have a new invitation',
      text: [
        'A practice has invited you. Sign in to see the invitation, and accept or decline it:',
        '',
        link,
        '',
        'Nothing of yours is shared with the practice unless you accept.',
      ].join('\n'),
    };
  },

  responseDue(to: string, link: string): Mail {
    return {
      to,
      subject: 'A secure message is waiting for a response',
      text: [
        'A secure message to your practice has been waiting for a response for 5 days.',
        'Respond to it or close it within 2 days to stay listed in the directory.',
        '',
        `Open your inbox: ${link}`,
      ].join('\n'),
    };
  },
};
