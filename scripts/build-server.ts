import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

/**
 * The self-hosted server as the container image runs it: `npm start`'s entry bundled into one ES
 * module (our code only; the production node_modules beside it), and the committed migrations
 * next to it, where src/db/migrate.ts looks for them (relative to the module).
 * Usage: tsx scripts/build-server.ts [outdir]   (default dist/)
 */
export async function buildServer(outdir: string): Promise<string> {
  const root = join(import.meta.dirname, '..');
  rmSync(outdir, { recursive: true, force: true });
  const outfile = join(outdir, 'server.mjs');
  await build({
    entryPoints: [join(root, 'src/entry/local.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20.19',
    format: 'esm',
    packages: 'external',
    sourcemap: false,
    keepNames: true,
    logLevel: 'warning',
  });
  cpSync(join(root, 'src/db/migrations'), join(outdir, 'migrations'), { recursive: true });
  return outfile;
}

if (process.argv[1] === import.meta.filename) {
  const out = await buildServer(process.argv[2] ?? 'dist');
  console.log(`built ${out}`);
}
