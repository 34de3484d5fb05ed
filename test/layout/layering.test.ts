import { describe, expect, it } from 'vitest';
import { importsOf, sourceFiles, staticGraph, type Import } from './imports.js';

/**
 * The layout's rules, checked on the source text (farm-studio style): lower layers never import
 * higher ones, the transport stays at the doors, and folders do not import each other in a loop.
 */
const files = sourceFiles();
const all: Import[] = files.flatMap(importsOf);
const own = all.filter((i) => i.to.endsWith('.ts'));
const show = (i: Import) => `${i.from} → ${i.to}`;

/**
 * What each lower layer may import of ours: domain only itself, db the domain, config nothing, net
 * (the SSRF guard and pinned connection every outbound request shares) nothing but the domain.
 */
const LOWER: Array<[layer: (f: string) => boolean, name: string, allowed: (f: string) => boolean]> = [
  [(f) => f.startsWith('domain/'), 'domain/', (t) => t.startsWith('domain/')],
  [(f) => f.startsWith('db/') && f !== 'db/migrate-cli.ts', 'db/', (t) => t.startsWith('db/') || t.startsWith('domain/')],
  [(f) => f === 'config.ts', 'config', (t) => t.startsWith('domain/')],
  [(f) => f.startsWith('net/'), 'net/', (t) => t.startsWith('net/') || t.startsWith('domain/')],
];

describe('layers', () => {
  it('finds the source it checks', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(own.length).toBeGreaterThan(200);
  });

  it.each(LOWER)('%s imports nothing from a higher layer (types included)', (inLayer, _name, allowed) => {
    expect(own.filter((i) => inLayer(i.from) && !allowed(i.to)).map(show)).toEqual([]);
  });

  it('only the doors import @trpc/server: routers/, trpc.ts, public/, internal/, and the router type the app sees', () => {
    // spa-router.d.ts is generated from the router (scripts/spa-types.ts): the door's type, no code.
    const door = (f: string) => /^(routers|public|internal)\//.test(f) || f === 'trpc.ts' || f === 'spa-router.d.ts';
    const outside = all.filter((i) => i.to.startsWith('@trpc/server') && !door(i.from)).map(show);
    expect(outside).toEqual([]);
  });

  it('folders do not import each other in a loop', () => {
    const folder = (f: string) => (f.includes('/') ? f.split('/')[0]! : f);
    const edges = new Map<string, Set<string>>();
    for (const i of own) {
      if (i.typeOnly || folder(i.from) === folder(i.to)) continue;
      if (!edges.has(folder(i.from))) edges.set(folder(i.from), new Set());
      edges.get(folder(i.from))!.add(folder(i.to));
    }
    const loops: string[] = [];
    const walk = (node: string, path: string[]) => {
      if (path.includes(node)) {
        loops.push([...path.slice(path.indexOf(node)), node].join(' → '));
        return;
      }
      for (const next of edges.get(node) ?? []) walk(next, [...path, node]);
    };
    for (const start of edges.keys()) walk(start, []);
    expect(loops).toEqual([]);
  });

  it('the public API Lambda loads no monitor writer and no scheduler adapter', () => {
    const loaded = staticGraph('entry/lambda/public-api/index.ts');
    expect(loaded.has('public/router.ts')).toBe(true);
    const forbidden = [...loaded].filter((f) =>
      /^monitors\/(create|update|delete|reconcile|lease)\.ts$|^scheduler\/(local|eventbridge)\.ts$/.test(f),
    );
    expect(forbidden).toEqual([]);
  });
});
