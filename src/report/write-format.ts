import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { UserError } from '../errors.js';
import type { DrawnChart } from './chart-svg.js';
import type { ChartBlock, ReportDocument } from './document.js';
import { chartBlocks } from './draw-charts.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import { printPdf } from './pdf.js';

export type ReportFormat = 'html' | 'md' | 'pdf';

const FORMATS: Record<string, ReportFormat> = { '.html': 'html', '.htm': 'html', '.md': 'md', '.markdown': 'md', '.pdf': 'pdf' };

/** The format a file name's extension names; any other is a UserError. */
export function reportFormat(out: string): ReportFormat {
  const format = FORMATS[extname(out).toLowerCase()];
  if (format === undefined) {
    throw new UserError('report_format', `cxray report writes .html, .md or .pdf, and takes the format from the file name: ${JSON.stringify(basename(out))} has ${extname(out) === '' ? 'no extension' : `the extension ${extname(out)}`}.`, {
      hint: 'Name the file report.html (one self-contained page), report.md (with its charts as SVG files beside it) or report.pdf.',
    });
  }
  return format;
}

/** Written beside and renamed: a reader sees the old file or the new one, never half. */
async function writeWhole(path: string, content: string | Buffer): Promise<number> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, content);
  await rename(tmp, path);
  return typeof content === 'string' ? Buffer.byteLength(content) : content.length;
}

/** How this writer names chart files; only such files are removed as stale. */
const CHART_FILE = /^chart-\d+-[a-z0-9-]+\.svg$/;

function chartFileName(block: ChartBlock): string {
  return `${block.id}-${block.analysis}.svg`;
}

/** Markdown with its charts as SVG files in `<name>-charts/` beside it; returns the bytes of the Markdown and the chart files. */
async function writeMarkdown(out: string, document: ReportDocument, charts: ReadonlyMap<string, DrawnChart>): Promise<{ bytes: number; chartFiles: string[] }> {
  const folderName = `${basename(out, extname(out))}-charts`;
  const folder = join(dirname(out), folderName);
  await mkdir(folder, { recursive: true });
  // Charts of an earlier report in the same place would be stale: only files named as this writer names them go.
  for (const name of (await readdir(folder)).filter((n) => CHART_FILE.test(n))) await rm(join(folder, name));
  const chartFiles: string[] = [];
  for (const block of chartBlocks(document)) {
    const drawn = charts.get(block.id);
    if (drawn === undefined || drawn.svg === null) continue;
    const path = join(folder, chartFileName(block));
    await writeWhole(path, `<?xml version="1.0" encoding="UTF-8"?>\n${drawn.svg}\n`);
    chartFiles.push(path);
  }
  const bytes = await writeWhole(out, renderMarkdown(document, charts, (block) => `${encodeURIComponent(folderName)}/${encodeURIComponent(chartFileName(block))}`));
  return { bytes, chartFiles };
}

/**
 * Writes one format of a rendered document to `out` (its parent folders
 * made): one HTML page, Markdown with chart files beside it, or the HTML
 * printed to PDF by Chromium.
 */
export async function writeFormat(out: string, document: ReportDocument, charts: ReadonlyMap<string, DrawnChart>, options: { chromiumPath?: string } = {}): Promise<{ format: ReportFormat; bytes: number; chartFiles: string[] }> {
  const format = reportFormat(out);
  await mkdir(dirname(out), { recursive: true });
  if (format === 'md') return { format, ...(await writeMarkdown(out, document, charts)) };
  if (format === 'html') return { format, bytes: await writeWhole(out, renderHtml(document, charts)), chartFiles: [] };
  return { format, bytes: await writeWhole(out, await printPdf(renderHtml(document, charts), options)), chartFiles: [] };
}
