import type { AnyProcedure } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../../src/routers/index.js';
import { startTestApp, type TestApp } from '../support/harness.js';

/**
 * Every procedure of the internal API, taken from the router itself (a new one is walked without
 * being listed here): an input with a field it does not have is refused with a 400 that names that
 * field, never run with the field ignored; a string field sent a number names the field and both
 * types. Procedures that take no input are the only ones skipped.
 */
let t: TestApp;
let cookie: string;

beforeAll(async () => {
  t = await startTestApp();
  const c = await t.signUp();
  cookie = `vigil_session=${c.jar.get('vigil_session')}`;
});
afterAll(async () => {
  await t.close();
});

const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, AnyProcedure>)
  .filter(([, p]) => (p._def as { inputs?: unknown[] }).inputs?.length)
  .map(([path, p]) => ({ path, type: p._def.type, input: (p._def as { inputs: unknown[] }).inputs[0] }));

type SchemaDef = { type: string; innerType?: unknown; in?: unknown; shape?: Record<string, unknown> };
const defOf = (schema: unknown) => (schema as { _zod?: { def?: SchemaDef } })._zod?.def;
/** The schema under defaults, optionals and pipes. */
function unwrap(schema: unknown): unknown {
  const def = defOf(schema);
  if (def?.innerType) return unwrap(def.innerType);
  if (def?.type === 'pipe' && def.in) return unwrap(def.in);
  return schema;
}
/** The first field of an object input that takes a string, read from the procedure's own schema. */
function firstStringField(input: unknown): string | undefined {
  const shape = defOf(unwrap(input))?.shape;
  if (!shape) return undefined;
  return Object.keys(shape).find((k) => defOf(unwrap(shape[k]))?.type === 'string');
}

type Refusal = { error?: { data?: { httpStatus?: number; appCode?: string; fieldErrors?: { path: string; message: string }[] } } };

async function call(path: string, type: string, input: unknown): Promise<Refusal> {
  const headers = { cookie, 'content-type': 'application/json' };
  const res =
    type === 'query'
      ? await t.fetch(`/internal/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers })
      : await t.fetch(`/internal/${path}`, { method: 'POST', headers, body: JSON.stringify(input) });
  return (await res.json()) as Refusal;
}

describe('unknown fields and wrong types, at every procedure', () => {
  it('are refused with a 400 naming the field', async () => {
    expect(procedures.length).toBeGreaterThan(40);
    const failures: string[] = [];
    for (const { path, type } of procedures) {
      const body = await call(path, type, { zzNotAField: 1 });
      const data = body.error?.data;
      const named = data?.fieldErrors?.find((f) => f.path === 'zzNotAField');
      if (data?.httpStatus !== 400 || data.appCode !== 'BAD_INPUT' || !named?.message.startsWith('unknown field')) {
        failures.push(`${path}: ${JSON.stringify(body).slice(0, 600)}`);
      }
    }
    expect(failures).toEqual([]);
  }, 60_000);

  it('a string field sent a number is refused naming the field and both types', async () => {
    const checked: string[] = [];
    const failures: string[] = [];
    for (const { path, type, input } of procedures) {
      const field = firstStringField(input);
      if (!field) continue;
      checked.push(path);
      const body = await call(path, type, { [field]: 5 });
      const named = body.error?.data?.fieldErrors?.find((f) => f.path === field);
      if (body.error?.data?.httpStatus !== 400 || named?.message !== 'must be a string, not a number') failures.push(`${path}.${field}: ${JSON.stringify(body).slice(0, 300)}`);
    }
    expect(checked.length).toBeGreaterThan(20);
    expect(failures).toEqual([]);
  }, 60_000);

  it('input that fits no member of a union is refused as the member it came closest to, field by field', async () => {
    const weekly = await call('maintenance.create', 'mutation', { monitorIds: 'all', weekday: 9, startTime: '25:00', durationMinutes: 60, timeZone: 'Europe/Paris' });
    expect(weekly.error?.data?.fieldErrors?.map((f) => f.path).sort()).toEqual(['startTime', 'weekday']);
    const once = await call('maintenance.create', 'mutation', { monitorIds: 'all', startsAt: '2031-06-01T00:00:00Z', endsAt: 'soon' });
    expect(once.error?.data?.fieldErrors?.map((f) => f.path)).toEqual(['endsAt']);
  });
});
