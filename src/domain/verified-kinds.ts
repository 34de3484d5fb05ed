/**
 * The alert contact kinds whose target is a person's own address, an inbox or a phone: each starts
 * pending and proves it wants alerts with a code (src/alerts/contacts/verification.ts), so Vigil
 * cannot be used to mail or text strangers; and each is shown and audited as it is (an address is
 * no credential), where a URL kind's target is cut to its origin. The other kinds are URLs.
 */
export const VERIFIED_KINDS = ['email', 'sms'] as const;
export type VerifiedKind = (typeof VERIFIED_KINDS)[number];

export const isVerifiedKind = (kind: string): kind is VerifiedKind => (VERIFIED_KINDS as readonly string[]).includes(kind);
