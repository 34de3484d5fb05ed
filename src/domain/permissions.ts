/** The roles a member can hold in an account, most powerful first. */
export const ROLES = ['owner', 'admin', 'editor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const AUDIT_OUTCOMES = ['ok', 'denied'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

const ALL: readonly Role[] = ROLES;
const EDITORS: readonly Role[] = ['owner', 'admin', 'editor'];
const ADMINS: readonly Role[] = ['owner', 'admin'];
const OWNERS: readonly Role[] = ['owner'];

/**
 * The one table of who may do what. Every tRPC procedure declares one of these (see `can` in
 * src/routers/can.ts); test/teams/permissions.test.ts walks the router to prove it.
 * `self` is what any member does to their own user or session (sign out, switch account, leave).
 */
export const PERMISSIONS = {
  self: ALL,
  'account:read': ALL,
  'monitors:read': ALL,
  'monitors:write': EDITORS,
  'statusPages:read': ALL,
  'statusPages:write': EDITORS,
  'contacts:read': ALL,
  'contacts:write': ADMINS,
  'members:read': ALL,
  'members:manage': ADMINS,
  'clients:read': ADMINS,
  'clients:manage': ADMINS,
  'audit:read': ADMINS,
  'plan:manage': OWNERS,
  'account:delete': OWNERS,
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/**
 * A write: every permission but `self` and the reads. Where REQUIRE_VERIFIED_EMAIL is on, a write
 * also needs a confirmed email (`can` in src/routers/can.ts), so an unverified holder of an email
 * sets nothing up that its real owner would inherit.
 */
export const isWrite = (permission: Permission): boolean => permission !== 'self' && !permission.endsWith(':read');

export function roleHas(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/** Higher rank, more power: an admin may not promote anyone above themself. */
export const roleRank = (role: Role) => ROLES.length - ROLES.indexOf(role);
