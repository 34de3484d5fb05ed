import * as z from 'zod';
import { emailSchema, linkTokenSchema } from '../auth/schemas.js';
import { ROLES } from '../domain/permissions.js';

const role = z.enum(ROLES, { error: `role must be one of ${ROLES.join(', ')}` });
export const userId = z.string().regex(/^usr_[a-z0-9]{1,64}$/, 'must be a user id (usr_…)');
export const accountId = z.string().regex(/^acc_[a-z0-9]{1,64}$/, 'must be an account id (acc_…)');

export const inviteInput = z.strictObject({ email: emailSchema, role });
export const revokeInviteInput = z.strictObject({ id: z.string().regex(/^inv_[a-z0-9]{1,64}$/, 'must be an invitation id (inv_…)') });
export const acceptInput = z.strictObject({ token: linkTokenSchema });
export const updateRoleInput = z.strictObject({ userId, role });
/** `revokeCreated`: also revoke the API clients and contacts the member created and the ping URLs they were shown. */
export const removeInput = z.strictObject({ userId, revokeCreated: z.boolean().default(false) });
export const revokedOutput = z.object({
  invitations: z.array(z.string()),
  clients: z.array(z.string()),
  contacts: z.array(z.string()),
  pingTokens: z.array(z.string()),
});
export const switchInput = z.strictObject({ accountId });

export const memberOutput = z.object({ userId: z.string(), email: z.string(), role, joinedAt: z.iso.datetime() });
export const invitationOutput = z.object({
  id: z.string(),
  email: z.string(),
  role,
  invitedBy: z.string(),
  expiresAt: z.iso.datetime(),
});
export const membersOutput = z.object({
  members: z.array(memberOutput),
  invitations: z.array(invitationOutput),
  seats: z.object({ used: z.number().int(), limit: z.number().int() }),
});
export const membershipOutput = z.object({ accountId: z.string(), plan: z.enum(['free', 'solo', 'team']), role });

export type InviteInput = z.infer<typeof inviteInput>;
export type InvitationOutput = z.infer<typeof invitationOutput>;
export type MembersOutput = z.infer<typeof membersOutput>;
export type MembershipOutput = z.infer<typeof membershipOutput>;
