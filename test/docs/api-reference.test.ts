import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_DOCS_FILE, REFERENCE_END, REFERENCE_START, renderProcedureReference } from '../../src/internal/procedure-reference.js';
import { walkAppRouter } from '../teams/router-walk.js';

const doc = readFileSync(join(import.meta.dirname, '../..', API_DOCS_FILE), 'utf8');
const committed = doc.slice(doc.indexOf(REFERENCE_START), doc.indexOf(REFERENCE_END) + REFERENCE_END.length);

describe('docs/API.md’s procedure reference', () => {
  it('is exactly what the router generates (run `npm run api-docs` after changing a procedure)', () => {
    expect(committed).toBe(renderProcedureReference());
  });

  it.each(walkAppRouter().map((p) => [p.path, p] as const))('lists %s with its kind and who may call it', (path, p) => {
    const entry = committed.split(`#### \`${path}\`\n`)[1]?.split('\n#### ')[0] ?? '';
    expect(entry, path).toContain(p.type === 'query' ? 'query (GET)' : 'mutation (POST)');
    expect(entry, path).toContain(p.meta?.public ? 'anyone' : `\`${p.meta?.permission}\``);
    expect(entry, path).toMatch(/Input:/);
  });

  it('names the input fields of the schemas, with their bounds', () => {
    const list = committed.split('#### `monitors.list`\n')[1]!.split('\n#### ')[0]!;
    expect(list).toContain('- `limit` integer 1–100 (optional, default `50`)');
    expect(list).toContain('- `cursor` string ≤ 200 chars or null (optional)');
    expect(list).toContain('- `status` one of `pending`, `up`, `down`');
  });
});
