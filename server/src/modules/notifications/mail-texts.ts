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
