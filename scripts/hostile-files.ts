/**
 * The long hostile-file run of issue 10: N generated malformed exports, each
 * through `cxray init` and `cxray import` in its own temporary workspace (in
 * worker processes, so a crash or a hang costs one file). Writes a JSON
 * summary and updates the hostile-files section of bench/RELIABILITY.md.
 *
 *   npx tsx scripts/hostile-files.ts --files 10000 --seed 1
 *   npx tsx scripts/hostile-files.ts --seed 1 --only 1234 --keep   # replay one file, keep its workspace
 *
 * Options: --from I (first index, default 0), --workers W (default 1),
 * --time-limit MS (per file, default 30000), --out FILE (default
 * bench/out/hostile-files-seed<S>.json), --no-report (leave RELIABILITY.md),
 * --report-from FILE (only rewrite the RELIABILITY.md section from a summary).
 * Exits 1 when any file failed.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HostileResult } from '../src/fuzz/check-hostile-file.js';
import { summariseHostile, type HostileSummary } from '../src/fuzz/hostile-summary.js';
import { runHostileFiles } from '../src/fuzz/run-hostile.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const RELIABILITY = join(REPO, 'bench', 'RELIABILITY.md');
/** The section's heading: the other runs' scripts replace their sections the same way (a heading to the next one). */
const HEADING = '## Hostile files';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}

function count(name: string, fallback: number): number {
  const text = option(name);
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${name} takes a whole number, not ${text}`);
  return n;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

function describeOutcome(r: HostileResult): string {
  const o = r.outcome;
  if (o.status === 'user_error') return `user error at ${o.stage}: ${o.code}`;
  if (o.status === 'imported') return `imported: read ${o.read}, inserted ${o.inserted}, quarantined ${o.quarantined}, duplicates ${o.duplicates}, excluded ${o.excluded}`;
  return `FAILURE at ${o.stage}: ${o.problem}`;
}

/** The section of bench/RELIABILITY.md this run writes. */
function section(s: HostileSummary, date: string, workers: number): string {
  const kinds = Object.entries(s.byKind).map(([kind, k]) => {
    const errors = Object.entries(k.userErrors)
      .sort((a, b) => b[1] - a[1])
      .map(([code, n]) => `${code} ${n}`)
      .join(', ');
    return `| ${kind} | ${k.files} | ${k.imports} | ${k.quarantinedRows} | ${errors === '' ? '-' : errors} | ${k.failures} |`;
  });
  const failures = s.failures.slice(0, 20).map((f) => `- seed ${f.seed}, file ${f.index} (${f.parts.join(' + ')}), ${f.stage}: ${f.problem.replaceAll('\n', ' ').slice(0, 300)}`);
  return [
    HEADING,
    '',
    'Generated malformed exports (truncated, binary, mixed encodings, Windows-1252, wrong delimiters, 10,000 columns, 1 MB fields, formula injection, duplicate headers, dates and amounts out of range, odd line endings, random combinations) through `cxray init` and `cxray import`, each in its own workspace: each must end in a clear user error (naming the file, with a hint, and the line where one is meant) or an import whose ledger balances and whose record count is the file\'s, never a crash, a hang or a silently lost row.',
    '',
    `Run on ${date}: **${s.files.toLocaleString('en')} files**, seed ${s.seed}, in ${seconds(s.durationMs)} (\`npx tsx scripts/hostile-files.ts --files ${s.files} --seed ${s.seed}${workers > 1 ? ` --workers ${workers}` : ''}\`: ${workers === 1 ? 'one worker' : `${workers} workers`} on the shared 2-core machine, ${(s.files / (s.durationMs / 1000)).toFixed(1)} files a second). CI runs 200 files (seed 10) in \`src/fuzz/hostile-files.test.ts\`.${s.files < 10_000 ? ` Issue 10's 10,000 files (the script's default) would take about ${Math.round((s.durationMs / s.files) * 10_000 / 60_000)} min at this rate.` : ''}`,
    '',
    `- Outcomes: ${s.outcomes.imports} imports with balanced ledgers, ${s.outcomes.userErrors} clear user errors, **${s.outcomes.failures} failures** (crash, hang, bug error, unbalanced or lossy import).`,
    `- Rows of the imported files: ${s.rows.read} read = ${s.rows.inserted} inserted + ${s.rows.duplicates} duplicates + ${s.rows.excluded} excluded + ${s.rows.quarantined} quarantined (each with a reason, each quarantine CSV row count equal to the ledger's).`,
    `- Formula-injection cells: ${s.formulaCells.verbatim} came back from the store byte for byte; ${s.formulaCells.notStored} sat in columns the mapping does not store as text (hashed, numbers, unmapped). No quarantine CSV cell starts with \`= + - @\`, tab or CR.`,
    `- Windows-1252 text (€, curly quotes, dashes: the characters Latin-1 lacks): ${s.encodedText?.verbatim ?? 0} cells came back from the store as written; ${s.encodedText?.notStored ?? 0} sat in columns not stored as text.`,
    `- Planted bad or good values in typed columns whose fate was checked (bad ones never loaded, good ones never quarantined): ${s.plantedChecked}.`,
    `- Slowest files: ${s.slowest.map((x) => `${x.index} (${x.kind}) ${seconds(x.durationMs)}`).join(', ')}.`,
    '',
    '| kind | files | imports | quarantined rows | user errors (stage:code) | failures |',
    '|---|---|---|---|---|---|',
    ...kinds,
    '',
    ...(failures.length === 0 ? ['No failures.'] : ['Failures (replay with `--seed S --only INDEX --keep`):', '', ...failures]),
  ].join('\n');
}

const INTRO = `# Reliability runs

Long runs that check cxray keeps its promises on inputs nobody should send it,
too slow for every CI run. CI runs the short version of each; the figures
below are from the long runs in \`scripts/\`, with the date and the size of the run.

- **Hostile files**: generated malformed exports (truncated, binary, mixed
  encodings, wrong delimiters, 10,000 columns, 1 MB fields, formula
  injection, duplicate headers, dates and amounts out of range, odd line
  endings, random combinations) through \`cxray init\` and \`cxray import\`:
  each must end in a clear user error or an import whose ledger balances,
  never a crash, a hang or a silently lost row.
`;

/** Replace (or add) this run's section, from its heading to the next `## `, leaving the other runs' sections as they are. */
async function updateReliability(s: HostileSummary, date: string, workers: number): Promise<void> {
  const text = existsSync(RELIABILITY) ? await readFile(RELIABILITY, 'utf8') : INTRO;
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trimEnd() === HEADING);
  const body = section(s, date, workers).split('\n');
  let next: string;
  if (start < 0) next = `${text.trimEnd()}\n\n${body.join('\n')}\n`;
  else {
    let end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
    if (end < 0) end = lines.length;
    const after = lines.slice(end);
    next = [...lines.slice(0, start), ...body, ...(after.length > 0 ? ['', ...after] : [''])].join('\n');
  }
  await writeFile(RELIABILITY, next);
}

async function main(): Promise<void> {
  const from_ = option('report-from');
  if (from_ !== undefined) {
    // Rewrite the section from a summary already written (another run's script replaced the file, say).
    const summary = JSON.parse(await readFile(from_, 'utf8')) as HostileSummary & { finishedAt?: string; workers?: number };
    // --workers names the run's workers for a summary written before summaries held them.
    await updateReliability(summary, (summary.finishedAt ?? (await stat(from_)).mtime.toISOString()).slice(0, 10), summary.workers ?? count('workers', 1));
    return;
  }
  const seed = count('seed', 1);
  const only = option('only');
  const from = count('from', 0);
  const files = count('files', 10_000);
  const indexes = only === undefined ? Array.from({ length: files }, (_, i) => from + i) : [count('only', 0)];
  const keep = process.argv.includes('--keep');
  const workDir = await mkdtemp(join(tmpdir(), 'cxray-hostile-'));
  const tty = process.stderr.isTTY;
  const started = Date.now();
  let counts = { imports: 0, userErrors: 0, failures: 0 };
  const results = await runHostileFiles({
    seed,
    indexes,
    workDir,
    keep,
    workers: count('workers', 1),
    timeLimitMs: count('time-limit', 30_000),
    onResult: (r, done, total) => {
      const o = r.outcome;
      counts = { imports: counts.imports + (o.status === 'imported' ? 1 : 0), userErrors: counts.userErrors + (o.status === 'user_error' ? 1 : 0), failures: counts.failures + (o.status === 'failure' ? 1 : 0) };
      if (o.status === 'failure' || only !== undefined) process.stderr.write(`${tty ? '\n' : ''}file ${r.index} (${r.parts.join(' + ')}, ${r.base}): ${describeOutcome(r)}\n`);
      const elapsed = Date.now() - started;
      const line = `${done}/${total} files  ${counts.imports} imports  ${counts.userErrors} user errors  ${counts.failures} failures  ${seconds(elapsed)}, about ${seconds((elapsed / done) * (total - done))} to go`;
      if (tty) process.stderr.write(`\r${line}   `);
      else if (done % 100 === 0 || done === total) process.stderr.write(`${line}\n`);
    },
  });
  if (tty) process.stderr.write('\n');
  const summary = summariseHostile(results, { seed, durationMs: Date.now() - started });
  if (only !== undefined) {
    process.stderr.write(keep ? `Workspace kept in ${join(workDir, `file-${seed}-${only}`)}\n` : '');
  } else {
    const out = option('out') ?? join(REPO, 'bench', 'out', `hostile-files-seed${seed}.json`);
    await mkdir(dirname(out), { recursive: true });
    const finishedAt = new Date().toISOString();
    const workers = count('workers', 1);
    await writeFile(out, `${JSON.stringify({ ...summary, finishedAt, workers }, null, 2)}\n`);
    if (!process.argv.includes('--no-report')) await updateReliability(summary, finishedAt.slice(0, 10), workers);
    process.stderr.write(`${summary.files} files: ${summary.outcomes.imports} imports, ${summary.outcomes.userErrors} user errors, ${summary.outcomes.failures} failures in ${seconds(summary.durationMs)}. Summary: ${out}\n`);
  }
  if (!keep) await rm(workDir, { recursive: true, force: true });
  process.exitCode = summary.outcomes.failures > 0 ? 1 : 0;
}

await main();
