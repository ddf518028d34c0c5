/**
 * Measures the simulator's time and memory at growing sizes, to show that
 * memory stays flat (rows stream to disk; only a few bytes per customer are
 * kept). Too slow for the test suite at 200k+ customers on a shared 2-core
 * machine, hence a script:
 *
 *   npx tsx scripts/simulate-memory.ts [sizes=50000,200000] [outDir=<tmp>]
 *
 * Prints one line per size: seconds, customers per second, peak heap, peak
 * RSS and peak external+array buffers, and exits 1 if peak heap per customer
 * grows past the budget (the kept typed arrays and planted-row lists need
 * well under 200 bytes per customer).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulateCompany } from '../src/simulate/index.js';

const MB = 1024 * 1024;
const BASE_HEAP_BUDGET_MB = 120;
const BYTES_PER_CUSTOMER_BUDGET = 200;

const sizes = (process.argv[2] ?? '50000,200000').split(',').map(Number);
const outRoot = process.argv[3] ?? (await mkdtemp(join(tmpdir(), 'cxray-sim-memory-')));
let failed = false;

for (const customers of sizes) {
  const outDir = join(outRoot, String(customers));
  const peak = { heap: 0, rss: 0, buffers: 0 };
  const sample = (): void => {
    const m = process.memoryUsage();
    peak.heap = Math.max(peak.heap, m.heapUsed);
    peak.rss = Math.max(peak.rss, m.rss);
    peak.buffers = Math.max(peak.buffers, m.external + m.arrayBuffers);
  };
  const timer = setInterval(sample, 100);
  const summary = await simulateCompany({ customers, seed: 1, outDir, onProgress: sample });
  clearInterval(timer);
  sample();
  const bytes = Object.values(summary.files).reduce((s, f) => s + f.bytes, 0);
  const budgetMb = BASE_HEAP_BUDGET_MB + (customers * BYTES_PER_CUSTOMER_BUDGET) / MB;
  const ok = peak.heap / MB <= budgetMb;
  failed ||= !ok;
  console.log(
    [
      `customers=${customers}`,
      `seconds=${summary.seconds.toFixed(1)}`,
      `customers/s=${Math.round(customers / summary.seconds)}`,
      `written=${(bytes / MB).toFixed(0)}MB`,
      `peakHeap=${(peak.heap / MB).toFixed(0)}MB (budget ${budgetMb.toFixed(0)}MB) ${ok ? 'ok' : 'OVER'}`,
      `peakRss=${(peak.rss / MB).toFixed(0)}MB`,
      `peakBuffers=${(peak.buffers / MB).toFixed(0)}MB`,
    ].join('  '),
  );
  await rm(outDir, { recursive: true, force: true });
}
if (process.argv[3] === undefined) await rm(outRoot, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
