import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

export const SRC = join(import.meta.dirname, '../../src');

export type Import = { from: string; to: string; typeOnly: boolean; dynamic: boolean };

/** Every .ts file under src/, as a path relative to src/ ("monitors/create.ts"). */
export function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'migrations' ? [] : sourceFiles(path);
    return e.name.endsWith('.ts') ? [relative(SRC, path)] : [];
  });
}

const STATIC = /^\s*(import|export)\s+(type\s+)?(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The imports of one file: `to` is a src-relative file for our own modules, else the package name. */
export function importsOf(file: string): Import[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  const resolve = (spec: string) =>
    spec.startsWith('.') ? normalize(join(dirname(file), spec)).replace(/\.js$/, '.ts') : spec;
  const found: Import[] = [];
  for (const m of text.matchAll(STATIC)) found.push({ from: file, to: resolve(m[3]!), typeOnly: Boolean(m[2]), dynamic: false });
  for (const m of text.matchAll(DYNAMIC)) found.push({ from: file, to: resolve(m[1]!), typeOnly: false, dynamic: true });
  return found;
}

/** Our own files reachable from `entry` through static imports (what loads when the entry loads). */
export function staticGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const i of importsOf(file)) if (!i.dynamic && !i.typeOnly && i.to.endsWith('.ts')) visit(i.to);
  };
  visit(entry);
  return seen;
}
