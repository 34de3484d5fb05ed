/**
 * A monitor's changed fields for the audit log. A URL may carry credentials or tokens (user:pass@,
 * ?token=…), so only its scheme and host are recorded.
 */
export function monitorChanges(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...fields };
  if (typeof fields.url === 'string') out.url = originOf(fields.url);
  return out;
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(invalid url)';
  }
}
