import { z } from 'zod';
import { PASSWORD_MAX, PASSWORD_MIN } from './password.js';

export const emailSchema = z
  .string({ error: 'email is required' })
  .trim()
  .toLowerCase()
  .max(254, 'email must be at most 254 characters')
  .pipe(z.email('email must be a valid email address'));

export const passwordSchema = z
  .string({ error: 'password is required' })
  .min(PASSWORD_MIN, `password must be at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `password must be at most ${PASSWORD_MAX} characters`);

export const credentialsSchema = z.object({ email: emailSchema, password: passwordSchema });
export type Credentials = z.infer<typeof credentialsSchema>;

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  accountId: z.string(),
  plan: z.enum(['free', 'solo', 'team']),
  createdAt: z.iso.datetime(),
});
export type PublicUser = z.infer<typeof userSchema>;
