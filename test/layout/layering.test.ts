import { describe, expect, it } from 'vitest';
import { folderOf, importsOf, loopsOf, sourceFiles, staticGraph, type Import } from './imports.js';

/**
 * The layout's rules, checked on the import statements of every file under src/: lower layers
 * never import higher ones, the transport stays at the doors, and no two folders depend on each
 * other, through any chain of imports, types included (a type is a dependency too: the folder
 * cannot be understood, or moved, without the other).
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

  it('folders do not import each other in a loop, counting type-only imports', () => {
    // services.ts is the type every service is handed: it names each folder's port, and every
    // folder takes it. It holds only types (below), so it is the hub of the composition, not a node.
    const edges = own
      .filter((i) => i.from !== 'services.ts' && i.to !== 'services.ts')
      .map((i) => [folderOf(i.from), folderOf(i.to)] as const);
    expect(edges.some(([from, to]) => from !== to)).toBe(true);
    expect(loopsOf(edges)).toEqual([]);
  });

  it('services.ts imports types only, so it carries no dependency at run time', () => {
    expect(own.filter((i) => i.from === 'services.ts' && !i.typeOnly).map(show)).toEqual([]);
  });

  it('the monitor input schemas the app’s forms import load zod and nothing of the server', () => {
    const loaded = staticGraph('monitors/schemas.ts');
    expect(loaded.has('monitors/kinds/tcp.input.ts')).toBe(true);
    const packages = [...loaded].flatMap(importsOf).filter((i) => !i.typeOnly && !i.to.endsWith('.ts')).map((i) => i.to);
    expect([...new Set(packages)]).toEqual(['zod']);
    expect([...loaded].filter((f) => /^(db|net|crypto|probes)\//.test(f) || f === 'services.ts')).toEqual([]);
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

describe('the folder-loop check', () => {
  it('finds a loop of two folders, and one through a third, each once', () => {
    const edges = [
      ['checker', 'heartbeat'],
      ['heartbeat', 'checker'],
      ['monitors', 'alerts'],
      ['alerts', 'db'],
      ['db', 'monitors'],
      ['monitors', 'db'],
    ] as const;
    expect(loopsOf(edges)).toEqual(['alerts → db → monitors → alerts', 'checker → heartbeat → checker', 'db → monitors → db']);
  });

  it('passes a graph that only goes down, and a folder importing itself', () => {
    expect(loopsOf([['routers', 'monitors'], ['monitors', 'db'], ['routers', 'db'], ['db', 'db']])).toEqual([]);
  });

  it('sees the loop a type-only import closes', () => {
    const graph: Import[] = [
      { from: 'checker/run.ts', to: 'heartbeat/evaluate.ts', typeOnly: false, dynamic: false },
      { from: 'heartbeat/evaluate.ts', to: 'checker/probe.ts', typeOnly: true, dynamic: false },
    ];
    expect(loopsOf(graph.map((i) => [folderOf(i.from), folderOf(i.to)] as const))).toEqual(['checker → heartbeat → checker']);
  });
});
