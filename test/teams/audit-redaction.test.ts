import { describe, expect, it } from 'vitest';
import { monitorChanges } from '../../src/audit/redact.js';

describe('audit rows never carry a monitor’s secrets', () => {
  it('keeps the URL’s origin, the credential’s type, the header names and the body’s size only', () => {
    const changes = monitorChanges({
      name: 'API',
      url: 'https://user:pw-in-url@api.example.com/health?token=url-token',
      auth: { type: 'basic', username: 'svc', password: 'basic-password' },
      headers: { 'X-Api-Key': 'header-secret' },
      body: '{"key":"body-secret"}',
    });
    expect(changes).toEqual({
      name: 'API',
      url: 'https://api.example.com',
      auth: { type: 'basic', set: true },
      headers: ['X-Api-Key'],
      body: '(21 bytes)',
    });
    const text = JSON.stringify(changes);
    for (const secret of ['pw-in-url', 'url-token', 'basic-password', 'header-secret', 'body-secret', 'svc']) expect(text).not.toContain(secret);
  });

  it('records a removed credential as removed', () => {
    expect(monitorChanges({ auth: null }).auth).toBeNull();
  });
});
