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

/** The top-level folder of a src-relative file ("monitors/kinds/http.ts" → "monitors"); a file at the root is its own. */
export function folderOf(file: string): string {
  return file.includes('/') ? file.split('/')[0]! : file;
}

/**
 * Every loop in a directed graph given as edges, each once, written from its alphabetically first
 * node back to it ("checker → heartbeat → checker"). A self-edge is not a loop (a folder's files
 * import each other freely).
 */
export function loopsOf(edges: Iterable<readonly [from: string, to: string]>): string[] {
  const next = new Map<string, Set<string>>();
  for (const [from, to] of edges) if (from !== to) (next.get(from) ?? next.set(from, new Set()).get(from)!).add(to);
  const loops = new Set<string>();
  const walk = (node: string, path: string[]) => {
    const at = path.indexOf(node);
    if (at >= 0) {
      const cycle = path.slice(at);
      const first = cycle.indexOf([...cycle].sort()[0]!);
      const rotated = [...cycle.slice(first), ...cycle.slice(0, first)];
      loops.add([...rotated, rotated[0]].join(' → '));
      return;
    }
    for (const to of next.get(node) ?? []) walk(to, [...path, node]);
  };
  for (const start of next.keys()) walk(start, []);
  return [...loops].sort();
}
