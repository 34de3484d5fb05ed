import { execFile, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fmt, median, ms, ROOT, spread, tempDir, type SectionResult } from '../lib.js';
import { lambdaEnv as lambdaEnvOf } from '../../test/support/lambda-env.js';

const run = promisify(execFile);
const STAGE = 'bench';
const FUNCTIONS = ['internalApi', 'publicApi', 'apiDocs', 'statusPages', 'ping', 'checker', 'notifier', 'notifySweep', 'reconcile', 'prune'] as const;
type Bundle = (typeof FUNCTIONS)[number] | 'baseline';
const PROCESSES = Number(process.env.COLDSTART_PROCESSES ?? 20);

const lambdaEnv = (name: string) => lambdaEnvOf(STAGE, name);

/**
 * Runs inside the unpacked bundle: imports the handler, hands it its first event, and prints the
 * time since this process started (performance.now() counts from the process's time origin).
 */
const PROBE = `
const [file, name] = process.argv.slice(1);
const mod = await import(file);
const imported = performance.now();
const event = (method, path, headers = {}) => ({
  version: '2.0', routeKey: '$default', rawPath: path, rawQueryString: '', headers: { host: 'api.vigil.example', ...headers },
  requestContext: { http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'probe' }, domainName: 'api.vigil.example', stage: '$default', requestId: 'r', timeEpoch: Date.now() },
  isBase64Encoded: false,
});
let outcome;
try {
  if (name === 'internalApi') outcome = 'HTTP ' + (await mod.handler(event('GET', '/internal/auth.me', { origin: 'https://app.vigil.example' }))).statusCode;
  else if (name === 'publicApi') outcome = 'HTTP ' + (await mod.handler(event('GET', '/api/v1/monitors'))).statusCode;
  else if (name === 'apiDocs') outcome = 'HTTP ' + (await mod.handler(event('GET', '/api/v1/openapi.json'))).statusCode;
  else if (name === 'statusPages') outcome = 'HTTP ' + (await mod.handler(event('GET', '/status/NOPE'))).statusCode;
  else if (name === 'ping') outcome = 'HTTP ' + (await mod.handler(event('GET', '/ping/nope'))).statusCode;
  else if (name === 'notifier') { await mod.handler({ Records: [] }); outcome = 'returned'; }
  else if (name === 'checker') { await mod.handler({}); outcome = 'returned'; }
  else { await mod.handler({}); outcome = 'returned'; }
} catch (error) {
  outcome = 'threw ' + (error?.cause?.code ?? error?.code ?? error?.name ?? 'error');
}
const handled = performance.now();
console.log('BENCH_RESULT ' + JSON.stringify({ imported, handled, outcome }));
process.exit(0);
`;

type Sample = { wallMs: number; importedMs: number; handledMs: number; outcome: string };

const PROFILED = Number(process.env.COLDSTART_PROFILED ?? 5);

/** Where the init time goes, by what V8's profiler saw running (self time), in a few named kinds. */
const KINDS = [
  'compiling the bundle (V8 parse + compile)',
  'running the bundle (module bodies, first event)',
  "Node's own modules (compile + run)",
  "fetch's Request/Response (undici, first use)",
  'garbage collection',
  'other (start-up, I/O, idle)',
] as const;
type Kind = (typeof KINDS)[number];

type CpuProfile = { nodes: { id: number; callFrame: { functionName: string; url: string } }[]; samples: number[]; timeDeltas: number[] };

function kindOf(frame: { functionName: string; url: string }, bundleDir: string): Kind {
  if (frame.functionName === 'compileSourceTextModule') return KINDS[0];
  if (frame.url.includes(bundleDir)) return KINDS[1];
  if (frame.url.includes('undici')) return KINDS[3];
  if (frame.functionName === '(garbage collector)') return KINDS[4];
  if (frame.url.startsWith('node:') || frame.functionName === 'compileForInternalLoader') return KINDS[2];
  return KINDS[5];
}

/** Self time per kind in one profiled cold start (ms). */
function profileKinds(profileFile: string, bundleDir: string): Record<Kind, number> {
  const p = JSON.parse(readFileSync(profileFile, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n.callFrame]));
  const out = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<Kind, number>;
  p.samples.forEach((id, i) => (out[kindOf(byId.get(id)!, bundleDir)] += p.timeDeltas[i]! / 1000));
  return out;
}

/** One profiled fresh process (node --cpu-prof), same probe and environment as the timed ones. */
async function profiledColdStart(dir: string, file: string, name: string, profDir: string): Promise<Record<Kind, number>> {
  rmSync(profDir, { recursive: true, force: true });
  mkdirSync(profDir, { recursive: true });
  await run(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profDir}`, '--cpu-prof-interval=100', '--input-type=module', '-e', PROBE, file, name], {
    cwd: dir,
    env: lambdaEnv(name),
    timeout: 60_000,
  });
  const [profile] = readdirSync(profDir).filter((f) => f.endsWith('.cpuprofile'));
  return profileKinds(join(profDir, profile!), dir);
}

/** One fresh Node process: wall time from spawn to the result line, and the child's own clock. */
function coldStart(dir: string, file: string, name: string): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--input-type=module', '-e', PROBE, file, name], {
      cwd: dir,
      env: lambdaEnv(name),
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let buf = '';
    let done = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      const wallMs = ms(t0);
      buf += chunk.toString();
      const m = /BENCH_RESULT (\{.*\})/.exec(buf);
      if (m && !done) {
        done = true;
        const r = JSON.parse(m[1]!) as { imported: number; handled: number; outcome: string };
        resolve({ wallMs, importedMs: r.imported, handledMs: r.handled, outcome: r.outcome });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (!done) reject(new Error(`${name}: exited ${code} without a result; output: ${buf.slice(-500)}`));
    });
  });
}

export async function coldstartBench(): Promise<Omit<SectionResult, 'finishedAt' | 'durationSeconds'>> {
  const out = tempDir('sls');
  try {
    const t0 = Date.now();
    const env = { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '', SLS_TELEMETRY_DISABLED: '1' };
    await run(join(ROOT, 'node_modules/.bin/serverless'), ['package', '--stage', STAGE, '--package', out], { cwd: ROOT, env, timeout: 240_000 });
    const packageSeconds = (Date.now() - t0) / 1000;
    const resources = JSON.parse(readFileSync(join(out, 'cloudformation-template-update-stack.json'), 'utf8')).Resources as Record<
      string,
      { Properties: { Handler: string } }
    >;

    const bundles: { name: Bundle; dir: string; file: string; zipBytes: number; unpackedBytes: number }[] = [];
    // Baseline: a bundle whose handler returns at once.
    const baseDir = join(out, 'unpacked-baseline');
    mkdirSync(baseDir);
    writeFileSync(join(baseDir, 'handler.mjs'), 'export const handler = async () => ({ statusCode: 200 });\n');
    bundles.push({ name: 'baseline', dir: baseDir, file: join(baseDir, 'handler.mjs'), zipBytes: NaN, unpackedBytes: statSync(join(baseDir, 'handler.mjs')).size });
    for (const name of FUNCTIONS) {
      const dir = join(out, `unpacked-${name}`);
      await run('python3', ['-m', 'zipfile', '-e', join(out, `${name}.zip`), dir]);
      const handler = resources[`${name[0]!.toUpperCase()}${name.slice(1)}LambdaFunction`]!.Properties.Handler;
      const file = join(dir, `${handler.slice(0, handler.lastIndexOf('.'))}.mjs`);
      const { stdout } = await run('du', ['-sb', dir]);
      bundles.push({ name, dir, file, zipBytes: statSync(join(out, `${name}.zip`)).size, unpackedBytes: Number(stdout.split(/\s/)[0]) });
    }

    const samples = new Map<Bundle, Sample[]>(bundles.map((b) => [b.name, []]));
    for (const b of bundles) await coldStart(b.dir, b.file, b.name); // warm the file cache
    for (let i = 0; i < PROCESSES; i++) {
      // Rotate the order each round so no bundle always runs first.
      for (let j = 0; j < bundles.length; j++) {
        const b = bundles[(i + j) % bundles.length]!;
        samples.get(b.name)!.push(await coldStart(b.dir, b.file, b.name));
      }
    }
    // Where each bundle's init time goes: a few profiled processes per bundle, medians per kind.
    const profiles = new Map<Bundle, Record<Kind, number>[]>(bundles.map((b) => [b.name, []]));
    for (let i = 0; i < PROFILED; i++) {
      for (const b of bundles) profiles.get(b.name)!.push(await profiledColdStart(b.dir, b.file, b.name, join(out, 'prof')));
    }
    const profileRows = bundles.map((b) => {
      const ps = profiles.get(b.name)!;
      return { bundle: b.name, ...Object.fromEntries(KINDS.map((k) => [k, fmt(median(ps.map((p) => p[k])), 1)])), total: fmt(median(ps.map((p) => KINDS.reduce((a, k) => a + p[k], 0))), 1) };
    });
    const base = samples.get('baseline')!;
    const rows = bundles.map((b) => {
      const s = samples.get(b.name)!;
      return {
        bundle: b.name,
        'zip KB': Number.isNaN(b.zipBytes) ? '—' : fmt(b.zipBytes / 1000, 0),
        'unpacked KB': fmt(b.unpackedBytes / 1000, 0),
        'spawn → first event handled, ms': spread(s.map((x) => x.wallMs), 0),
        'process start → handled (child clock), ms': spread(s.map((x) => x.handledMs), 0),
        'of which import done at, ms': fmt(median(s.map((x) => x.importedMs)), 0),
        'ratio to baseline (wall, same round)': b.name === 'baseline' ? '1' : spread(s.map((x, i) => x.wallMs / base[i]!.wallMs), 2),
        'first event outcome': [...new Set(s.map((x) => x.outcome))].join(', '),
      };
    });
    return {
      id: 'coldstart',
      title: '2. Cold start of the Lambda bundles',
      method: `
\`serverless package --stage ${STAGE} --package <tmp>\` (offline, no AWS credentials; took ${fmt(packageSeconds, 0)} s), each zip unpacked
with \`python3 -m zipfile -e\` and its handler loaded in a fresh \`node\` process (${process.version}, not Lambda's Node 22 runtime) with the
environment of test/deploy/package.test.ts, as that test does. Each process imports the handler and hands it one event:
internalApi \`GET /internal/auth.me\` (401, no database), publicApi \`GET /api/v1/monitors\` without a token (401, no database),
apiDocs \`GET /api/v1/openapi.json\` (200, static), statusPages \`GET /status/NOPE\` and ping \`GET /ping/nope\` (404 for a malformed
address, no database), checker an event without \`monitorId\` and notifier an empty SQS batch (both return at once, no database),
notifySweep, reconcile and prune their scheduled event; those three go straight to the database, which is unreachable on purpose (\`libsql://127.0.0.1:9\`), so their "first event" ends with
the connection refused, the work itself excluded. Baseline: a one-line bundle whose handler returns at once.
"Spawn → first event handled" is measured by the bench process from \`spawn()\` to the child's result line (includes Node's own
start-up); the child's clock (\`performance.now()\`, from its process start) is shown too. ${PROCESSES} fresh processes per bundle,
in rounds over all bundles with the order rotated; ratio per round, then median. This is a local proxy for Lambda's
init phase: it excludes the runtime's download and unzip of the code and Lambda's CPU share per memory size.`,
      tables: [
        { rows },
        {
          caption: `Where the time goes: CPU profile (\`node --cpu-prof\`, 100 µs sampling) of ${PROFILED} more fresh processes per bundle, same probe; median self time per kind, ms (profiling slows a process down, so these add up to more than the timed runs)`,
          rows: profileRows,
        },
      ],
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
