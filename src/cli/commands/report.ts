import type { Command } from 'commander';
import { dirname, relative } from 'node:path';
import type { AnalysisFilter } from '../../analysis/types.js';
import { words } from '../../analysis/wording.js';
import { writeReports, type ReportProgress, type WrittenReport } from '../../report/index.js';
import { contextOf, examples } from '../context.js';
import { createProgress, type Progress } from '../progress.js';

interface ReportFlags {
  out: string[];
  segment?: string;
  from?: string;
  to?: string;
}

/** A path as the user reads it: relative to the current folder when inside it. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== '' && !rel.startsWith('..') ? rel : path;
}

function size(bytes: number): string {
  return bytes >= 1e6 ? `${words.number(bytes / 1e6, 1)} MB` : `${words.number(bytes / 1e3, 0)} kB`;
}

/** One bar over the whole job: the analyses as one step, then each chart, then each file written. */
function reportProgress(bar: Progress, files: number): (p: ReportProgress) => void {
  let charts = 0;
  return (p) => {
    if (p.step === 'analyses') bar.update(p.done, 1 + files, 'running the analyses (stored results are reused)');
    else if (p.step === 'charts') {
      charts = p.total;
      bar.update(1 + p.done, 1 + charts + files, 'drawing charts');
    } else bar.update(1 + charts + p.done, 1 + charts + files, p.step === 'printing' ? 'printing the PDF' : 'writing');
  };
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** What was written, for a person: each file, where it came from, the executive page's sentences. */
export function renderWrittenReports(reports: readonly WrittenReport[]): string {
  const [written] = reports;
  if (written === undefined) return 'Nothing was written.';
  const lines = [
    ...reports.map((r) => `Wrote ${shown(r.out)} (${r.format}, ${size(r.bytes)}, ${r.charts.drawn} charts${r.chartFiles.length > 0 ? ` as SVG files in ${shown(dirname(r.chartFiles[0] ?? ''))}` : ''}) in ${r.seconds} s.`),
    `From import version ${written.importVersion} (imported ${written.importedAt}, data as of ${written.asOf}), config ${written.configHash.slice(0, 12)}, snapshot ${written.snapshot ?? 'none'}.`,
  ];
  if (written.executive.length > 0) lines.push('', 'Executive page:', ...written.executive.map((e, i) => `  ${i + 1}. ${e.sentence}`));
  if (written.notAnalysed.length > 0) lines.push('', `Not analysed (the report says why): ${written.notAnalysed.map((n) => n.analysis).join(', ')}.`);
  return lines.join('\n');
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('Write the report of the current import: executive page, one section per capability, data quality and methods, as .html, .md or .pdf.')
    .requiredOption('--out <file>', 'the file to write: report.html (one self-contained page), report.md (charts as SVG files beside it) or report.pdf; repeat it to write several from one run', collect)
    .option('--segment <rule>', 'only customers matching a rule, as in `cxray analyze --segment`')
    .option('--from <date>', 'count events from this day, YYYY-MM-DD, as in `cxray analyze --from`')
    .option('--to <date>', 'count events up to this day (inclusive), YYYY-MM-DD')
    .addHelpText(
      'after',
      `
The report renders the stored results of every analysis (running those not yet
stored for this import, cxray.yaml and filter), the import ledger and the
profile's snapshot: it computes nothing itself. It opens with the five findings
with most at stake (its Methods section says how they are ranked), the ideal
customer and what changed since the last snapshot, and says which import
version, config and snapshot it was made from.

.html needs nothing to open: styles and charts (SVG) are inline and it makes no
request. .md writes its charts to <name>-charts/ beside it. .pdf is the HTML
printed by Chromium (Debian: apt-get install chromium).

With --json the output is one document: {workspace, out, format, bytes,
chartFiles, charts, importVersion, importedAt, asOf, configHash, snapshot,
filter, writtenAt, executive, notAnalysed, seconds}; with several --out,
{reports: [one such document per file]}.
${examples('cxray report --out report.html', 'cxray report --out report.pdf --json', 'cxray report --out report.html --out report.md --out report.pdf', 'cxray report --out retail.md --segment "segment = retail" --from 2025-01-01')}`,
    )
    .action(async (flags: ReportFlags, command: Command) => {
      const { out, workspace } = contextOf(command);
      const filter: AnalysisFilter = {
        ...(flags.segment === undefined ? {} : { segment: flags.segment }),
        ...(flags.from === undefined ? {} : { from: flags.from }),
        ...(flags.to === undefined ? {} : { to: flags.to }),
      };
      const bar = createProgress('report', 'steps');
      let written: WrittenReport[];
      try {
        written = await writeReports(workspace, flags.out, { filter, onProgress: reportProgress(bar, flags.out.length) });
      } finally {
        bar.stop();
      }
      const [first] = written;
      if (first === undefined) return;
      for (const chart of first.charts.notDrawn) out.warn(`chart "${chart.title}" is not drawn: ${chart.problem}`);
      for (const n of first.notAnalysed.filter((x) => x.status === 'failed')) out.warn(`${n.analysis} failed: ${n.reason}`);
      out.result(written.length === 1 ? first : { reports: written }, () => renderWrittenReports(written));
    });
}
