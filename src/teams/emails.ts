import { compose } from '../accounts/emails.js';
import type { Role } from '../domain/permissions.js';

/** The token travels in the fragment, as every account link's does (never sent to a server or a Referer). */
export function invitationEmail(appUrl: string, token: string, role: Role) {
  return compose(
    'You are invited to a team on Vigil',
    [
      `A member of a Vigil account invited you to join it as ${role === 'admin' ? 'an' : 'a'} ${role}.`,
      'Open the link below within 7 days, and sign in or register with this email address (it must be confirmed). If you did not expect this, ignore this email.',
    ],
    { label: 'Join the team', url: `${appUrl}/accept-invite#token=${token}` },
  );
}
