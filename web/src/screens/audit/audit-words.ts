/**
 * An audit entry's action (the procedure's path, `area.verb`) in words. Actions not listed here
 * (a new procedure) are still readable: their area and verb, split into words.
 */
const ACTIONS: Record<string, string> = {
  'account.switch': 'switched into the account',
  'auth.login': 'signed in',
  'auth.logout': 'signed out',
  'auth.logoutEverywhere': 'signed out everywhere',
  'auth.changePassword': 'changed their password',
  'auth.resetPassword': 'reset their password',
  'members.invite': 'invited a member',
  'members.revokeInvite': 'revoked an invitation',
  'members.accept': 'accepted an invitation',
  'members.updateRole': "changed a member's role",
  'members.remove': 'removed a member',
  'members.leave': 'left the team',
  'monitors.create': 'added a monitor',
  'monitors.update': 'changed a monitor',
  'monitors.delete': 'deleted a monitor',
  'monitors.rotatePingToken': "replaced a heartbeat's ping URL",
  'oauthClients.create': 'created an API client',
  'oauthClients.revoke': 'revoked an API client',
  'contacts.create': 'added an alert contact',
  'contacts.update': 'changed an alert contact',
  'contacts.delete': 'deleted an alert contact',
  'contacts.verify': 'verified an alert contact',
  'contacts.test': 'sent a test alert',
  'contacts.rotateSecret': "replaced a webhook's signing secret",
  'contacts.resendVerification': 'sent a new verification code',
  'maintenance.create': 'scheduled maintenance',
  'maintenance.update': 'changed a maintenance window',
  'maintenance.delete': 'deleted a maintenance window',
  'statusPages.create': 'created a status page',
  'statusPages.update': 'changed a status page',
  'statusPages.delete': 'deleted a status page',
  'plan.set': 'changed the plan',
};

const words = (camel: string) => camel.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();

export function actionInWords(action: string): string {
  const known = ACTIONS[action];
  if (known) return known;
  const [area = '', verb = ''] = action.split('.');
  return `${words(verb)} (${words(area)})`.trim();
}

/** A refused attempt says what was tried. */
export function attemptInWords(action: string): string {
  const [area = '', verb = ''] = action.split('.');
  return `tried to ${words(verb)} ${words(area)}`;
}

/** What changed, as `key: value` pairs; values the server redacted stay redacted. */
export function changesInWords(changes: Record<string, unknown> | null): string {
  if (!changes) return '';
  return Object.entries(changes)
    .map(([k, v]) => `${words(k)}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' · ');
}
