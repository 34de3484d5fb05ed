import type { MailMessage } from '../mail/port.js';

/**
 * Every account email's words, in plain text and HTML. Links carry their token in the fragment
 * (#token=…), which browsers never send to a server or in a Referer header.
 */
type Email = Omit<MailMessage, 'to'>;

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function compose(subject: string, paragraphs: string[], link?: { label: string; url: string }): Email {
  const text = [...paragraphs, ...(link ? [`${link.label}: ${link.url}`] : []), '— Vigil'].join('\n\n');
  const html = [
    ...paragraphs.map((p) => `<p>${escape(p)}</p>`),
    ...(link ? [`<p><a href="${escape(link.url)}">${escape(link.label)}</a></p>`] : []),
    '<p>— Vigil</p>',
  ].join('\n');
  return { subject, text, html };
}

export function verificationEmail(appUrl: string, token: string): Email {
  return compose(
    'Confirm your email for Vigil',
    [
      'Someone (we hope you) created a Vigil account with this email address.',
      'Open the link below within 24 hours to confirm it. If it was not you, ignore this email: nothing happens without the link.',
    ],
    { label: 'Confirm my email', url: `${appUrl}/verify-email#token=${token}` },
  );
}

export function alreadyRegisteredEmail(appUrl: string): Email {
  return compose(
    'Someone tried to create a Vigil account with your email',
    [
      'Someone just tried to register a new Vigil account with this email address, which already has an account. Nothing was changed.',
      'If it was you, sign in instead, or reset your password if you have forgotten it. If it was not you, you can ignore this email.',
    ],
    { label: 'Reset my password', url: `${appUrl}/forgot-password` },
  );
}

export function passwordResetEmail(appUrl: string, token: string): Email {
  return compose(
    'Reset your Vigil password',
    [
      'Someone asked to reset the password of the Vigil account with this email address.',
      'Open the link below within 30 minutes to choose a new password; it works once. Resetting signs you out everywhere. If you did not ask, ignore this email: your password stays as it is.',
    ],
    { label: 'Choose a new password', url: `${appUrl}/reset-password#token=${token}` },
  );
}

export function passwordChangedEmail(appUrl: string): Email {
  return compose(
    'Your Vigil password was changed',
    [
      'The password of your Vigil account was just changed, and your other sessions were signed out.',
      'If this was not you, reset your password now.',
    ],
    { label: 'Reset my password', url: `${appUrl}/forgot-password` },
  );
}
