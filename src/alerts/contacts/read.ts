import { and, asc, eq } from 'drizzle-orm';
import { alertContacts } from '../../db/schema.js';
import { notFound } from '../../domain/errors.js';
import type { Services } from '../../services.js';
import type { ContactOutput } from '../schemas.js';

export type ContactRow = typeof alertContacts.$inferSelect;

export function toContactOutput(c: ContactRow): ContactOutput {
  return { id: c.id, kind: c.kind, name: c.name, target: c.target, status: c.status, createdAt: c.createdAt.toISOString() };
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
