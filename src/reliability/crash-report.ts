import { readFile, rename, writeFile } from 'node:fs/promises';
import type { CrashLoopSummary } from './crash-loop.js';
import { DEATH_PHASES } from './crash-run.js';

const HEADING = '## Crashes';

/** The range of the runs' delay bounds, e.g. `2.4-3.1 s`. */
function bounds(summary: CrashLoopSummary): string {
  const all = summary.records.map((r) => r.boundMs);
  if (all.length === 0) return `${(summary.durationMs / 1000).toFixed(1)} s`;
  const [low, high] = [Math.min(...all), Math.max(...all)].map((ms) => (ms / 1000).toFixed(1));
  return low === high ? `${low} s` : `${low}-${high} s`;
}

const INTRO = '# Reliability\n\nWhat cxray promises when things go wrong, how each promise is tested, and the figures of the last runs.\n';

/** The `## Crashes` section of bench/RELIABILITY.md for the loops just run (one per engine). */
export function renderCrashSection(loops: readonly { command: string; summary: CrashLoopSummary }[]): string {
  const summaries = loops.map((l) => l.summary);
  const lines = [
    HEADING,
    '',
    'kill -9 of `cxray import` at random moments: a workspace over a simulated company, version 1 imported, then per',
    'run: the exports change a little (new customers, new web events or one corrected amount), `node bin/cxray.js import`',
    'starts and gets SIGKILL after a delay drawn uniformly in [0, the wall time of the latest uninterrupted import]',
    '(the first import, then each re-import that wrote a version: the machine is shared, and its load moves import',
    'times by a factor of two or more); then current.json must name a complete version that opens (DuckDB file read-only;',
    'ClickHouse databases present on both shards) holding exactly its ledger\'s row counts, and that version must be',
    'the previous one or the one the killed import wrote from the changed files (same file hashes and counts as an',
    'uninterrupted `import --dry-run`). A plain re-import must then succeed over any stale lock, remove the staging',
    'files, leave no incomplete version on the cluster, and yield the changed files\' counts.',
    '',
    'The loop is src/reliability/crash-loop.ts; its CI version (5 kills on DuckDB, 3 on ClickHouse, a few hundred',
    'customers) is test/e2e/crash-loop.test.ts. Random delays rarely land in the short last steps, so CI also kills at',
    'each named point of src/ingest/crash-points.ts (after-staging, mid-load, mid-ship, after-ship, mid-swap, after-swap:',
    'test/e2e/versions-crash.test.ts on DuckDB, test/e2e/clickhouse-crash.test.ts on the cluster, every table counted) and',
    'inside three file writes: the new version\'s ledger, the temporary pointer and a first import\'s PII salt',
    '(src/reliability/write-points.ts, in test/e2e/crash-loop.test.ts). Figures below were made by:',
    '',
    ...loops.map((l) => `- ${l.summary.engine}: \`${l.command}\``),
    '',
    '| engine | runs | customers | seed | delay bound | killed | finished first | on previous | on new | other/half | stale lock taken over | staging cleaned | re-import ok | failed | left residue | re-import median |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const s of summaries) {
    const t = s.tally;
    lines.push(
      `| ${s.engine} | ${s.runs} | ${s.customers.toLocaleString('en-US')} | ${s.seed} | ${bounds(s)} | ${t.killed} | ${t.finishedBeforeKill} | ${t.landedPrevious} | ${t.landedNew} | ${t.landedElsewhere} | ${t.staleLockLeft} | ${t.stagingLeft} | ${t.reimportOk}/${s.runs} | ${t.failed} | ${t.residue} | ${(s.reimportMs.median / 1000).toFixed(1)} s |`,
    );
  }
  lines.push('', 'Where the imports died (the latest step whose trace was on disk or on the cluster):', '');
  lines.push(`| engine | ${DEATH_PHASES.join(' | ')} |`, `|---|${DEATH_PHASES.map(() => '---').join('|')}|`);
  for (const s of summaries) lines.push(`| ${s.engine} | ${DEATH_PHASES.map((p) => s.tally.byPhase[p]).join(' | ')} |`);
  const failures = summaries.flatMap((s) => s.records.filter((r) => r.outcome === 'fail').map((r) => ({ s, r })));
  const residue = summaries.flatMap((s) => s.records.filter((r) => r.outcome === 'residue').map((r) => ({ s, r })));
  lines.push('');
  if (failures.length === 0) lines.push('No run broke a promise: every store opened on exactly the previous or the new version, and every re-import completed.');
  else {
    lines.push(`${failures.length} run(s) broke a promise (replay: the same seed, with \`--duration-ms\` set to the run's bound):`, '');
    for (const { s, r } of failures.slice(0, 10)) lines.push(`- ${s.engine} run ${r.run} (delay ${r.delayMs} ms of ${r.boundMs}, died ${r.died}): ${r.problems.join('; ')}`);
  }
  if (residue.length > 0) {
    const names = [...new Set(residue.flatMap(({ r }) => r.newResidue.map((n) => n.replace(/\d+/g, 'N'))))];
    lines.push('', `${residue.length} run(s) left files no later import removes: ${names.join(', ')}.`);
  }
  const date = summaries.map((s) => s.startedAt.slice(0, 10)).sort().at(-1) ?? '';
  lines.push('', `Last run ${date}; the per-run records are in the JSON summary the script writes.`, '');
  return lines.join('\n');
}

/**
 * Puts `section` (starting with its `## ` heading) into the Markdown file:
 * replaces that section if present (up to the next `## ` heading), else
 * appends it; creates the file with a one-line intro if missing. Other
 * sections are left byte for byte. Written to a temporary file renamed over
 * the old one, read again just before, as other people edit other sections.
 */
export async function putSection(file: string, section: string): Promise<void> {
  const heading = section.split('\n', 1)[0] ?? '';
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    text = INTRO;
  }
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trimEnd() === heading);
  const body = section.split('\n');
  while (body.at(-1)?.trim() === '') body.pop();
  if (start < 0) {
    const trimmed = text.endsWith('\n') ? text : `${text}\n`;
    text = `${trimmed}\n${body.join('\n')}\n`;
  } else {
    let end = lines.findIndex((l, i) => i > start && /^## /.test(l));
    if (end < 0) end = lines.length;
    const after = lines.slice(end);
    text = [...lines.slice(0, start), ...body, ...(after.length > 0 ? ['', ...after] : [''])].join('\n');
  }
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}
