import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * What each screen of the built web app makes the browser download, read from Vite's build
 * manifest: the entry chunk, the screen's own chunk, every chunk they import statically, and the
 * chunks the screen imports on demand (a form's schemas, a chart) — so a budget holds for the
 * screen in use, not just its first paint. Read by the bundle budget test and the bench.
 */
type ManifestChunk = { file: string; isEntry?: boolean; isDynamicEntry?: boolean; imports?: string[]; dynamicImports?: string[]; css?: string[] };
export type ScreenBundle = {
  screen: string;
  files: string[];
  /** Everything the screen runs, on-demand chunks included. */
  jsGzipBytes: number;
  /** What it needs before it can be used: the entry, its chunk and their static imports. */
  firstLoadGzipBytes: number;
};

export function screenBundles(dist: string): ScreenBundle[] {
  const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const entry = Object.keys(manifest).find((k) => manifest[k]!.isEntry);
  if (!entry) throw new Error('the manifest names no entry');
  const gzip = new Map<string, number>();
  const sizeOf = (file: string) => {
    if (!gzip.has(file)) gzip.set(file, gzipSync(readFileSync(join(dist, file)), { level: 9 }).length);
    return gzip.get(file)!;
  };
  const closure = (keys: string[], withDynamic: boolean, seen = new Set<string>()): Set<string> => {
    for (const key of keys) {
      if (seen.has(key)) continue;
      seen.add(key);
      const chunk = manifest[key]!;
      closure(chunk.imports ?? [], false, seen);
      if (withDynamic) closure(chunk.dynamicImports ?? [], false, seen);
    }
    return seen;
  };
  return Object.keys(manifest)
    .filter((k) => k.includes('/screens/') && manifest[k]!.isDynamicEntry)
    .map((screen) => {
      const js = (keys: Set<string>) => [...keys].map((k) => manifest[k]!.file).filter((f) => f.endsWith('.js'));
      const bytes = (files: string[]) => files.reduce((n, f) => n + sizeOf(f), 0);
      const first = js(new Set([...closure([entry], false), ...closure([screen], false)]));
      const files = js(new Set([...closure([entry], false), ...closure([screen], true)]));
      return { screen: screen.replace(/^.*\/screens\//, '').replace(/\/[^/]+$/, ''), files, jsGzipBytes: bytes(files), firstLoadGzipBytes: bytes(first) };
    })
    .sort((a, b) => a.screen.localeCompare(b.screen));
}
