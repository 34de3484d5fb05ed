import { forbidden } from '../domain/errors.js';
import type { Role } from '../domain/permissions.js';

/** Owners are made, changed and removed only by owners. */
export function assertMayGrant(actorRole: Role, ...roles: Role[]): void {
  if (roles.includes('owner') && actorRole !== 'owner') throw forbidden('only an owner can make, change or remove an owner');
}
