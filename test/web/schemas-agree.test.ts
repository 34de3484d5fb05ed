import { describe, expect, it } from 'vitest';
import { PASSWORD_MAX, PASSWORD_MIN, passwordSchema } from '../../src/auth/schemas.js';
import { PASSWORD_MIN as SHOWN_MIN } from '../../web/src/ui/password-rule.js';

// The sign-up and reset screens show the minimum before the schema is loaded; it must be the server's.
describe('the app’s password hint', () => {
  it('names the minimum length the server enforces', () => {
    expect(SHOWN_MIN).toBe(PASSWORD_MIN);
    expect(passwordSchema.safeParse('a'.repeat(SHOWN_MIN - 1) + '§').success).toBe(true);
    expect(passwordSchema.safeParse('x'.repeat(SHOWN_MIN - 1)).success).toBe(false);
    expect(PASSWORD_MAX).toBeGreaterThan(SHOWN_MIN);
  });
});
