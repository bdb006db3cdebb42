import type { Mail } from '../../mail/mailer.ts';

/**
 * The one e-mail My Network sends: that someone invited the address, and a link to the console. No names, no note,
 * nothing about anyone's work (the note is shown only in the console, to the invitee once signed in).
 */
export function networkInviteMail(to: string, link: string, hasAccount: boolean): Mail {
  const lines = hasAccount
    ? ['A colleague has invited you to connect on Clocktree My Network.', '', `Sign in to accept or decline: ${link}`]
    : [
        'A colleague has invited you to connect on Clocktree My Network.',
        '',
        `Create a professional account with this e-mail address, then accept the invitation: ${link}`,
      ];
  return {
    to,
    subject: 'You are invited to connect',
    text: [...lines, '', 'If you did not expect this e-mail, you can ignore it.'].join('\n'),
  };
}
