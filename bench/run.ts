import { machine, printSection, saveSection, writeResultsMd, type SectionResult } from './lib.js';
import { alertsBench } from './sections/alerts.js';
import { apiBench } from './sections/api.js';
import { checkerBench } from './sections/checker.js';
import { coldstartBench } from './sections/coldstart.js';
import { fanoutBench } from './sections/fanout.js';
import { growthBench } from './sections/growth.js';
import { passwordBench } from './sections/password.js';
import { pruneBench } from './sections/prune.js';
import { reconcileBench } from './sections/reconcile.js';
import { regionsBench } from './sections/regions.js';
import { scaleBench } from './sections/scale.js';
import { statusBench } from './sections/status.js';
import { webBench } from './sections/web.js';

type Section = () => Promise<Omit<SectionResult, 'finishedAt' | 'durationSeconds'>>;

/** In the order they run; `npm run bench -- api growth` runs only those. */
const SECTIONS: Record<string, Section> = {
  api: apiBench,
  coldstart: coldstartBench,
  checker: checkerBench,
  regions: regionsBench,
  growth: growthBench,
  password: passwordBench,
  status: statusBench,
  alerts: alertsBench,
  scale: scaleBench,
  prune: pruneBench,
  reconcile: reconcileBench,
  fanout: fanoutBench,
  web: webBench,
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((w) => !(w in SECTIONS));
if (unknown.length) {
  console.error(`unknown section(s): ${unknown.join(', ')}; choose from ${Object.keys(SECTIONS).join(', ')}`);
  process.exit(2);
}
const machineRows = machine();
let failed = false;
for (const [id, run] of Object.entries(SECTIONS)) {
  if (wanted.length && !wanted.includes(id)) continue;
  console.log(`\n--- ${id} ---`);
  const t0 = Date.now();
  try {
    const result: SectionResult = { ...(await run()), finishedAt: new Date().toISOString(), durationSeconds: (Date.now() - t0) / 1000 };
    saveSection(result);
    printSection(result);
  } catch (error) {
    failed = true;
    console.error(`section ${id} failed:`, error);
  }
}
writeResultsMd(machineRows);
console.log('\nwrote bench/RESULTS.md');
process.exit(failed ? 1 : 0);
