/**
 * What the screens say about roles. Which roles may manage the team, the API clients and read the
 * audit log mirrors the server's permission table (src/domain/permissions.ts), which the app may not
 * import; test/web/team.test.ts holds this copy to it. The server decides: a control shown here by
 * mistake is still refused there, with its message shown in place.
 */
export const ROLES = ['owner', 'admin', 'editor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_WORD: Record<Role, string> = { owner: 'Owner', admin: 'Admin', editor: 'Editor', viewer: 'Viewer' };

export const ROLE_HINT: Record<Role, string> = {
  owner: 'everything, including owners and the plan',
  admin: 'everything but owners and the plan: members, contacts, API clients, the audit log',
  editor: 'monitors, status pages and maintenance',
  viewer: 'sees everything, changes nothing',
};

/** Who may do what the team, API-clients and audit screens offer. */
export const MAY: Record<'members:manage' | 'clients:manage' | 'audit:read', readonly Role[]> = {
  'members:manage': ['owner', 'admin'],
  'clients:manage': ['owner', 'admin'],
  'audit:read': ['owner', 'admin'],
};

export const may = (role: Role | undefined, what: keyof typeof MAY): boolean => role !== undefined && MAY[what].includes(role);

/** The reason shown in place of a control the person's role does not allow. */
export const notAllowed = (role: Role, doing: string): string =>
  `Your role here is ${ROLE_WORD[role]}: only owners and admins can ${doing}. Ask one of them if you need this done.`;

