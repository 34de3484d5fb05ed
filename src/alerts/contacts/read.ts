import { and, asc, eq } from 'drizzle-orm';
import { alertContacts } from '../../db/schema.js';
import { notFound } from '../../domain/errors.js';
import type { Services } from '../../services.js';
import type { ContactOutput } from '../schemas.js';
import { alertKeyring, type SecretKeyring } from '../secret-box.js';

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

const rings = new Map<string, SecretKeyring>();

/** The keyring sealing webhook secrets; only processes given SEALING_SECRET (internal API, notifier) have it. */
export function keyringOf(svc: Services): SecretKeyring {
  const material = svc.config.sealingSecret;
  if (!material) throw new Error('webhook secrets need SEALING_SECRET in this process (config role api or notifier)');
  let ring = rings.get(material);
  if (!ring) rings.set(material, (ring = alertKeyring(material)));
  return ring;
}
