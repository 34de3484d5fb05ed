import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Docs that name code must name code that exists: a moved file is caught here, not by the next reader. */
const root = join(import.meta.dirname, '../..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const adrs = readdirSync(join(root, 'docs/adr')).filter((f) => /^\d{4}-.*\.md$/.test(f));

/** Every `src/…`, `test/…` (and so on) path in backticks, up to the first character a path does not have. */
function pathsIn(text: string): string[] {
  const named = [...text.matchAll(/`((?:src|test|scripts|deploy|web|bench|examples|docs)\/[^`\s*(:]*)/g)].map((m) => m[1]!);
  return [...new Set(named.map((p) => p.replace(/[.,;]+$/, '')))];
}

describe('the ADRs', () => {
  it('are found', () => expect(adrs.length).toBeGreaterThanOrEqual(10));

  it.each(adrs)('%s names only files that exist', (file) => {
    const missing = pathsIn(read(`docs/adr/${file}`)).filter((p) => !existsSync(join(root, p)));
    expect(missing).toEqual([]);
  });

  it.each(adrs)('%s follows the template: title, one status line, the four sections', (file) => {
    const text = read(`docs/adr/${file}`);
    const number = file.slice(0, 4);
    expect(text.split('\n')[0]).toMatch(new RegExp(`^# ADR ${number} — \\S`));
    expect(text).toMatch(/\n\n\*\*Status:\*\* (?:(?!\n\n)[\s\S])+? · \*\*Recorded:\*\* \d{4}-\d{2}-\d{2} · \*\*Code:\*\* /);
    const sections = [...text.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(sections).toEqual(['Context', 'Decision', 'Rejected alternatives', 'Consequences']);
  });

  it('are each listed in docs/adr/README.md', () => {
    const index = read('docs/adr/README.md');
    expect(adrs.filter((f) => !index.includes(`](${f})`))).toEqual([]);
  });
});

describe('test/README.md', () => {
  const table = [...read('test/README.md').matchAll(/^\| `([a-z-]+)\/` \|/gm)].map((m) => m[1]!);
  const folders = readdirSync(join(root, 'test')).filter((f) => statSync(join(root, 'test', f)).isDirectory());

  it('has a row for every test folder, and none for a folder that does not exist', () => {
    expect([...table].sort()).toEqual([...folders].sort());
  });

  it('names only files that exist', () => {
    const text = read('test/README.md');
    const inRows = [...text.matchAll(/^\| `([a-z-]+)\/` \|(.*)$/gm)].flatMap(([, folder, row]) =>
      [...row!.matchAll(/`([a-z-]+\.test\.ts)`/g)].map((m) => `test/${folder}/${m[1]}`),
    );
    expect(inRows.length).toBeGreaterThan(5);
    expect(inRows.filter((p) => !existsSync(join(root, p)))).toEqual([]);
  });
});
