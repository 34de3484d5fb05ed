import { ROLES } from '../domain/permissions.js';
import * as z from 'zod';

/** The length rule of a password (NIST SP 800-63B); here, so the SPA's forms share it without the hashing code. */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'email must be at most 254 characters')
  .pipe(z.email('email must be a valid email address'));

export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN, `password must be at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `password must be at most ${PASSWORD_MAX} characters`);

export const credentialsSchema = z.strictObject({ email: emailSchema, password: passwordSchema });
export type Credentials = z.infer<typeof credentialsSchema>;

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  accountId: z.string(),
  plan: z.enum(['free', 'solo', 'team']),
  /** The user's role in that account. */
  role: z.enum(ROLES),
  /** False until the owner opens the link emailed at registration. */
  emailVerified: z.boolean(),
  createdAt: z.iso.datetime(),
});
export type PublicUser = z.infer<typeof userSchema>;

/** An emailed link's token: 32 random bytes in base64url (43 characters). */
export const linkTokenSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/, 'token must be the one from the emailed link');

export const resetPasswordSchema = z.strictObject({ token: linkTokenSchema, password: passwordSchema });
export const changePasswordSchema = z.strictObject({ current: z.string().min(1).max(256), next: passwordSchema });
export const emailOnlySchema = z.strictObject({ email: emailSchema });

/** The one answer to registration and reset requests, whether or not the email has an account. */
export const checkYourEmailSchema = z.object({ status: z.literal('check-your-email'), message: z.string() });
export type CheckYourEmail = z.infer<typeof checkYourEmailSchema>;
