import * as z from 'zod';
import { pageInput } from '../domain/page.js';
import { AUDIT_OUTCOMES } from '../domain/permissions.js';

export const AUDIT_ENTITIES = ['monitors', 'contacts', 'oauthClients', 'members', 'plan', 'sessions', 'statusPages', 'account', 'audit', 'maintenance', 'alerts', 'users'] as const;

export const auditListInput = z.strictObject({
  ...pageInput,
  actorId: z.string().regex(/^(usr|cli)_[a-z0-9]{1,64}$|^operator$/, 'must be a user id (usr_…) or client id (cli_…)').optional(),
  entity: z.enum(AUDIT_ENTITIES, { error: `entity must be one of ${AUDIT_ENTITIES.join(', ')}` }).optional(),
});

export const auditEntryOutput = z.object({
  id: z.string(),
  actorId: z.string(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  ip: z.string().nullable(),
  changes: z.record(z.string(), z.unknown()).nullable(),
  outcome: z.enum(AUDIT_OUTCOMES),
  at: z.iso.datetime(),
});

export type AuditListInput = z.infer<typeof auditListInput>;
export type AuditEntryOutput = z.infer<typeof auditEntryOutput>;
