import * as z from 'zod';
import { clearedSessionCookie } from '../auth/cookies.js';
import { acceptInvite, invite, revokeInvite } from '../teams/invitations.js';
import { leave, listMembers, removeMember, updateRole } from '../teams/members.js';
import { acceptInput, invitationOutput, inviteInput, membersOutput, removeInput, revokedOutput, revokeInviteInput, updateRoleInput } from '../teams/schemas.js';
import { router } from '../trpc.js';
import { actorOf, can } from './can.js';

const ok = z.object({ ok: z.literal(true) });

/** The account's members and pending invitations; see src/teams/. */
export const membersRouter = router({
  list: can('members:read').output(membersOutput).query(({ ctx }) => listMembers(ctx.svc, ctx.account)),

  /** Emails a single-use link valid 7 days; a pending invitation takes a seat. */
  invite: can('members:manage')
    .input(inviteInput)
    .output(invitationOutput)
    .mutation(({ ctx, input }) => invite(ctx.svc, ctx.account, actorOf(ctx), input)),

  revokeInvite: can('members:manage')
    .input(revokeInviteInput)
    .output(ok)
    .mutation(async ({ ctx, input }) => {
      await revokeInvite(ctx.svc, ctx.account, actorOf(ctx), input.id);
      return { ok: true as const };
    }),

  /** By the invitee, signed in with the invited (confirmed) email; then account.switch to work there. */
  accept: can('self')
    .input(acceptInput)
    .output(z.object({ accountId: z.string(), role: inviteInput.shape.role }))
    .mutation(({ ctx, input }) => acceptInvite(ctx.svc, ctx.user, ctx.ip, input.token)),

  updateRole: can('members:manage')
    .input(updateRoleInput)
    .output(z.object({ userId: z.string(), role: inviteInput.shape.role }))
    .mutation(({ ctx, input }) => updateRole(ctx.svc, ctx.account, actorOf(ctx), input.userId, input.role)),

  /**
   * Ends the membership, the member's sessions here and the invitations they sent or that await
   * them; with `revokeCreated`, also their API clients, contacts and ping URLs. Says what it revoked.
   */
  remove: can('members:manage')
    .input(removeInput)
    .output(ok.extend({ revoked: revokedOutput }))
    .mutation(async ({ ctx, input }) => ({
      ok: true as const,
      revoked: await removeMember(ctx.svc, ctx.account, actorOf(ctx), input.userId, { revokeCreated: input.revokeCreated }),
    })),

  /** Leaves the session's account; this session ends with the membership. */
  leave: can('self')
    .output(ok)
    .mutation(async ({ ctx }) => {
      await leave(ctx.svc, ctx.account, actorOf(ctx));
      ctx.resHeaders.append('Set-Cookie', clearedSessionCookie());
      return { ok: true as const };
    }),
});
