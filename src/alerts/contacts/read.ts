import { and, asc, eq } from 'drizzle-orm';
import { alertContacts } from '../../db/schema.js';
import { notFound } from '../../domain/errors.js';
import { hiddenUrl } from '../../domain/hidden.js';
import type { Services } from '../../services.js';
import { contactKind } from '../kinds/index.js';
import type { ContactOutput } from '../schemas.js';

export type ContactRow = typeof alertContacts.$inferSelect;

export function toContactOutput(c: ContactRow): ContactOutput {
  return {
    id: c.id,
    kind: c.kind,
    name: c.name,
    target: c.target,
    targetHidden: false,
    secretSet: c.secretSealed !== null,
    status: c.status,
    createdAt: c.createdAt.toISOString(),
    createdBy: c.createdBy,
  };
}

/**
 * A contact as a member who may not edit it sees it: a URL target (a webhook's, a chat service's)
 * cut to its scheme and host, as the audit log records it; an email address or a chat id is shown
 * (it is no credential).
 */
export function withTargetHidden<T extends ContactOutput>(o: T): T {
  return contactKind(o.kind).target === 'url' ? { ...o, target: hiddenUrl(o.target), targetHidden: true } : o;
}

export function listContacts(svc: Services, accountId: string): Promise<ContactRow[]> {
  return svc.db
    .select()
    .from(alertContacts)
    .where(eq(alertContacts.accountId, accountId))
    .orderBy(asc(alertContacts.createdAt), asc(alertContacts.id));
}

export async function getContact(svc: Services, accountId: string, id: string): Promise<ContactRow> {
  const row = await svc.db.query.alertContacts.findFirst({
    where: and(eq(alertContacts.id, id), eq(alertContacts.accountId, accountId)),
  });
  if (!row) throw notFound('contact');
  return row;
}
