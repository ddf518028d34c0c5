import { join, resolve } from 'node:path';
import type { AnalysisName } from '../analysis/names.js';
import type { ResultFilter } from '../analysis/result.js';
import { listSnapshots } from '../analysis/snapshots/snapshot-store.js';
import type { AnalysisFilter } from '../analysis/types.js';
import { CXRAY_VERSION } from '../analysis/version.js';
import { UserError } from '../errors.js';
import { versionName } from '../workspace/paths.js';
import type { Workspace } from '../workspace/workspace.js';
import { requireChromium } from './browser.js';
import { buildReportDocument } from './build-document.js';
import { chartBlocks, drawCharts } from './draw-charts.js';
import { reportFormat, writeFormat, type ReportFormat } from './write-format.js';

export interface ReportProgress {
  step: 'analyses' | 'charts' | 'writing' | 'printing';
  done: number;
  total: number;
}

export interface ReportOptions {
  filter?: AnalysisFilter;
  /** Chromium for PDFs (default /usr/bin/chromium). */
  chromiumPath?: string;
  onProgress?: (progress: ReportProgress) => void;
  signal?: AbortSignal;
  /** The clock, for tests. */
  now?: () => Date;
}

export interface ReportRequest extends ReportOptions {
  /** The file to write; its extension says the format. */
  out: string;
}

/** What `cxray report --json` prints for each file: what was written, and from what. */
export interface WrittenReport {
  workspace: string;
  out: string;
  format: ReportFormat;
  bytes: number;
  /** Chart files written beside a Markdown report (absolute paths). */
  chartFiles: string[];
  /** Charts drawn; charts with no rows (said in the report); charts not drawn, with why. */
  charts: { drawn: number; empty: number; notDrawn: { title: string; problem: string }[] };
  importVersion: number;
  importedAt: string;
  asOf: string;
  configHash: string;
  snapshot: string | null;
  filter: ResultFilter;
  writtenAt: string;
  /** The executive page's findings, in order, each with the sentence shown. */
  executive: { analysis: AnalysisName; code: string; sentence: string }[];
  notAnalysed: { analysis: AnalysisName; status: 'skipped' | 'failed'; reason: string }[];
  seconds: number;
}

/** A file system refusal (no such folder, no permission, read-only) is the user's to fix; anything else stays a bug. */
function unwritable(out: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === undefined || !['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EISDIR', 'ENOSPC', 'EEXIST'].includes(code)) return error;
  return new UserError('report_unwritable', `The report cannot be written to ${out} (${code}).`, { hint: 'Choose a file in a folder you can write to, with space left on its disk.', file: out, cause: error });
}

/**
 * Writes the report of a workspace's current import to one or more files,
 * each in the format its extension names: runs the analyses through
 * Workspace.analyze (stored Results are reused), reads the import ledger
 * and the profile's snapshot, draws the charts once, and renders; it
 * computes no number itself. `.html` is one self-contained page, `.md` has
 * its charts as SVG files in `<name>-charts/` beside it, `.pdf` is the
 * HTML printed by Chromium.
 *
 * @example
 * const [html, pdf] = await writeReports(await openWorkspace('./acme'), ['acme.html', 'acme.pdf']);
 * console.log(pdf?.executive[0]?.sentence);
 */
export async function writeReports(workspace: Workspace, outs: readonly string[], options: ReportOptions = {}): Promise<WrittenReport[]> {
  const started = Date.now();
  const files = outs.map((o) => resolve(o));
  if (files.length === 0) throw new UserError('report_out_missing', 'Name the file to write.', { hint: 'cxray report --out report.html' });
  const twice = files.find((f, i) => files.indexOf(f) !== i);
  if (twice !== undefined) throw new UserError('report_out_twice', `${twice} is named twice.`, { hint: 'Give each --out its own file.' });
  const formats = files.map(reportFormat);
  if (formats.includes('pdf')) requireChromium(options.chromiumPath);
  const progress = options.onProgress ?? (() => undefined);
  const filter = options.filter ?? {};
  const filtered = filter.segment !== undefined || filter.from !== undefined || filter.to !== undefined;

  progress({ step: 'analyses', done: 0, total: 1 });
  const signal = options.signal === undefined ? {} : { signal: options.signal };
  const output = await workspace.analyze([], filter, signal);
  // Snapshots date the whole base: a filtered report still says which one its import version has.
  if (filtered) await workspace.analyze(['profile'], {}, signal);
  progress({ step: 'analyses', done: 1, total: 1 });

  const ledger = (await workspace.versions()).find((v) => v.version === output.importVersion);
  if (ledger === undefined) throw new UserError('version_missing', `Import version ${output.importVersion} has no ledger.`, { hint: 'Run `cxray import` again.' });
  const configHash = output.results[0]?.provenance.configHash ?? (await workspace.config()).hash;
  const snapshot = (await listSnapshots(workspace.paths.snapshots)).filter((s) => s.importVersion === output.importVersion && s.configHash === configHash).at(-1) ?? null;
  const resultFilter = output.results[0]?.provenance.filter ?? {};
  const writtenAt = (options.now ?? (() => new Date()))();
  const { document, ranked } = buildReportDocument({
    workspace: workspace.paths.root,
    results: output.results,
    ledger,
    snapshot,
    configHash,
    filter: resultFilter,
    writtenAt,
    cxrayVersion: CXRAY_VERSION,
    resultsFolder: join('results', versionName(output.importVersion)),
  });
  const charts = await drawCharts(document, (done, total) => progress({ step: 'charts', done, total }));
  const outcomes = chartBlocks(document).map((b) => ({ title: b.title, drawn: charts.get(b.id) }));
  const notDrawn = outcomes.flatMap(({ title, drawn }) => (drawn === undefined || drawn.kind === 'drawn' || drawn.kind === 'empty' ? [] : [{ title, problem: drawn.problem }]));
  const common = {
    workspace: workspace.paths.root,
    charts: { drawn: outcomes.filter((o) => o.drawn?.kind === 'drawn').length, empty: outcomes.filter((o) => o.drawn?.kind === 'empty').length, notDrawn },
    importVersion: output.importVersion,
    importedAt: ledger.createdAt,
    asOf: ledger.asOf,
    configHash,
    snapshot: snapshot?.id ?? null,
    filter: resultFilter,
    writtenAt: writtenAt.toISOString(),
    executive: ranked.map((r) => ({ analysis: r.analysis, code: r.finding.code, sentence: r.sentence })),
    notAnalysed: output.results.flatMap((r) => (r.status === 'ok' ? [] : [{ analysis: r.name, status: r.status, reason: r.reason ?? '' }])),
  };

  const written: WrittenReport[] = [];
  for (const [i, out] of files.entries()) {
    progress({ step: formats[i] === 'pdf' ? 'printing' : 'writing', done: i, total: files.length });
    const file = await writeFormat(out, document, charts, options.chromiumPath === undefined ? {} : { chromiumPath: options.chromiumPath }).catch((error: unknown) => {
      throw unwritable(out, error);
    });
    written.push({ ...common, out, ...file, seconds: Math.round((Date.now() - started) / 100) / 10 });
  }
  progress({ step: 'writing', done: files.length, total: files.length });
  return written;
}

/**
 * Writes the report to one file (see writeReports).
 *
 * @example
 * const written = await writeReport(await openWorkspace('./acme'), { out: 'acme.pdf' });
 * console.log(written.executive[0]?.sentence);
 */
export async function writeReport(workspace: Workspace, request: ReportRequest): Promise<WrittenReport> {
  const { out, ...options } = request;
  const [written] = await writeReports(workspace, [out], options);
  if (written === undefined) throw new Error('writeReports wrote nothing');
  return written;
}
