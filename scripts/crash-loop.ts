/**
 * kill -9 of `cxray import` at random moments, many times, on DuckDB and/or
 * the local two-shard ClickHouse cluster (src/reliability/crash-loop.ts):
 *
 *   npx tsx scripts/crash-loop.ts --runs 50 --engine duckdb|clickhouse|both --customers 2000
 *     [--seed S] [--duration-ms D] [--out-dir bench/out] [--no-markdown] [--keep]
 *   npx tsx scripts/crash-loop.ts --markdown-only [--out-dir bench/out]   (the section again from the JSON summaries)
 *
 * Prints each run (delay, where the import died, which version the store
 * opened on, the outcome) and the seed. Delays are seeded fractions of the
 * wall time of the latest uninterrupted import; the same --seed replays the
 * same changes, and with --duration-ms (a fixed bound) the same delays. Writes a JSON summary per engine
 * (OUT-DIR/crash-loop-ENGINE.json) and replaces the `## Crashes` section of
 * bench/RELIABILITY.md with the figures of every engine's latest summary
 * there (so engines run at different times both show). Uses the built CLI
 * (bin/cxray.js -> dist/): run `npm run build` first after changing src/.
 * Exits 1 when a run broke a promise.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { leaseCluster, releaseCluster } from '../src/engine/clickhouse/test-cluster.js';
import { runCrashLoop, type CrashLoopSummary } from '../src/reliability/crash-loop.js';
import { putSection, renderCrashSection } from '../src/reliability/crash-report.js';
import type { CrashRunRecord } from '../src/reliability/crash-run.js';
import type { CrashEngine } from '../src/reliability/crash-workspace.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: npx tsx scripts/crash-loop.ts --runs N --engine duckdb|clickhouse|both --customers N [--seed S] [--duration-ms D] [--out-dir DIR] [--no-markdown] [--keep] | --markdown-only [--out-dir DIR]\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): { runs: number; engines: CrashEngine[]; customers: number; seed: number; durationMs?: number; outDir: string; markdown: boolean; markdownOnly: boolean; keep: boolean } {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--no-markdown' || arg === '--keep' || arg === '--markdown-only') flags.add(arg);
    else if (arg.startsWith('--') && i + 1 < argv.length) values.set(arg, argv[(i += 1)] ?? '');
    else usage(`unexpected argument ${arg}`);
  }
  const whole = (name: string, fallback: number | undefined): number | undefined => {
    const text = values.get(name);
    if (text === undefined) return fallback;
    if (!/^\d+$/.test(text)) usage(`${name} must be a whole number, not ${text}`);
    return Number(text);
  };
  const engine = values.get('--engine') ?? 'duckdb';
  if (!['duckdb', 'clickhouse', 'both'].includes(engine)) usage(`--engine must be duckdb, clickhouse or both, not ${engine}`);
  const durationMs = whole('--duration-ms', undefined);
  return {
    runs: whole('--runs', 50) ?? 50,
    engines: engine === 'both' ? ['duckdb', 'clickhouse'] : [engine as CrashEngine],
    customers: whole('--customers', 2000) ?? 2000,
    seed: whole('--seed', Date.now() % 1_000_000) ?? 1,
    ...(durationMs === undefined ? {} : { durationMs }),
    outDir: resolve(values.get('--out-dir') ?? join(REPO, 'bench', 'out')),
    markdown: !flags.has('--no-markdown'),
    markdownOnly: flags.has('--markdown-only'),
    keep: flags.has('--keep'),
  };
}

function line(engine: CrashEngine, r: CrashRunRecord): string {
  const state = `${r.ended}${r.ended === 'killed' ? ` at ${r.died}` : ''}`;
  const left = [r.afterKill.lock === 'stale' ? 'stale lock' : '', r.afterKill.staging > 0 ? `${r.afterKill.staging} staging` : '', r.afterKill.quarantineTemps > 0 ? `${r.afterKill.quarantineTemps} quarantine tmp` : '']
    .filter((s) => s !== '')
    .join(', ');
  const problems = r.problems.length > 0 ? `\n    ${r.problems.join('\n    ')}` : '';
  const residue = r.newResidue.length > 0 ? ` residue: ${r.newResidue.join(', ')}` : '';
  return `${engine} run ${String(r.run).padStart(3)}: ${r.mutation.kind.padEnd(14)} delay ${String(r.delayMs).padStart(6)} ms (${r.fraction.toFixed(3)} of ${r.boundMs}), ${state.padEnd(20)} v${r.previous} -> v${String(r.current)} (${r.landed})${left === '' ? '' : ` left ${left}`}; re-import ${r.reimport.exitCode === 0 ? `ok v${String(r.reimport.version)} in ${r.reimport.ms} ms` : 'FAILED'}: ${r.outcome}${residue}${problems}`;
}

/** Replaces the `## Crashes` section with every engine's latest summary in the folder: a loop on one engine keeps the other's figures. */
async function writeMarkdown(outDir: string): Promise<void> {
  const latest: { command: string; summary: CrashLoopSummary }[] = [];
  for (const engine of ['duckdb', 'clickhouse'] as const) {
    const file = join(outDir, `crash-loop-${engine}.json`);
    if (existsSync(file)) latest.push(JSON.parse(await readFile(file, 'utf8')) as { command: string; summary: CrashLoopSummary });
  }
  const file = join(REPO, 'bench', 'RELIABILITY.md');
  await putSection(file, renderCrashSection(latest));
  process.stdout.write(`updated ${file} (## Crashes)\n`);
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args.markdownOnly) {
    await writeMarkdown(args.outDir);
    return 0;
  }
  process.stdout.write(`crash loop: seed ${args.seed}, ${args.runs} runs per engine (${args.engines.join(', ')}), ${args.customers} customers${args.durationMs === undefined ? '' : `, delays in [0, ${args.durationMs}] ms`}\n`);
  const summaries: CrashLoopSummary[] = [];
  // The command that replays this engine's loop (the seed written out even when it was drawn).
  const command = (engine: CrashEngine): string =>
    `npx tsx scripts/crash-loop.ts --runs ${args.runs} --engine ${engine} --customers ${args.customers} --seed ${args.seed}${args.durationMs === undefined ? '' : ` --duration-ms ${args.durationMs}`}`;
  await mkdir(args.outDir, { recursive: true });
  for (const engine of args.engines) {
    const parent = await mkdtemp(join(tmpdir(), `cxray-crash-loop-${engine}-`));
    if (engine === 'clickhouse') leaseCluster();
    try {
      const summary = await runCrashLoop({
        engine,
        runs: args.runs,
        customers: args.customers,
        seed: args.seed,
        dir: join(parent, 'workspace'),
        ...(args.durationMs === undefined ? {} : { durationMs: args.durationMs }),
        ...(engine === 'clickhouse' ? { database: `crashloop_${process.pid}` } : {}),
        keepDatabases: args.keep,
        onRun: (r) => process.stdout.write(`${line(engine, r)}\n`),
      });
      summaries.push(summary);
      const out = join(args.outDir, `crash-loop-${engine}.json`);
      await writeFile(out, `${JSON.stringify({ command: command(engine), summary }, null, 2)}\n`);
      process.stdout.write(`wrote ${out}\n`);
      const t = summary.tally;
      process.stdout.write(
        `${engine}: first delay bound ${summary.durationMs} ms (seed ${summary.seed}); ${t.killed} killed, ${t.finishedBeforeKill} finished first; on previous ${t.landedPrevious}, on new ${t.landedNew}, elsewhere ${t.landedElsewhere}; ${t.failed} failed, ${t.residue} left residue; ${summary.seconds} s\n`,
      );
    } finally {
      if (engine === 'clickhouse') releaseCluster();
      if (!args.keep) await rm(parent, { recursive: true, force: true });
      else process.stdout.write(`kept ${parent}\n`);
    }
  }
  if (args.markdown) await writeMarkdown(args.outDir);
  return summaries.some((s) => s.tally.failed > 0) ? 1 : 0;
}

process.exitCode = await main();
