import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WrittenReport } from '../../src/report/index.js';
import { chromiumInstalled, collapsed, htmlProblems, pdfText, pdftotextInstalled, visitInBrowser } from '../../src/report/report-checks.case.js';
import { escapeHtml } from '../../src/report/escape.js';
import { cxray } from '../helpers/cli.js';
import { itNeeds } from '../helpers/strict.js';

const TELCO = join(import.meta.dirname, '..', 'fixtures', 'telco-classic', 'WA_Fn-UseC_-Telco-Customer-Churn.csv');
const withBrowser = itNeeds(chromiumInstalled() && pdftotextInstalled(), 'chromium and pdftotext', 'Install them with `apt-get install chromium poppler-utils`.');

/** Writes the report in every format through one CLI run (three --out, --json); a PDF only where Chromium is. */
function reportAll(workspace: string, name: string): Record<'html' | 'md' | 'pdf', WrittenReport | null> {
  const formats = chromiumInstalled() ? (['html', 'md', 'pdf'] as const) : (['html', 'md'] as const);
  const run = cxray(['report', '--workspace', workspace, ...formats.flatMap((f) => ['--out', join(workspace, 'reports', `${name}.${f}`)]), '--json']);
  expect(run.code, run.stdout + run.stderr).toBe(0);
  const { reports } = JSON.parse(run.stdout) as { reports: WrittenReport[] };
  expect(reports.map((r) => r.format)).toEqual(formats);
  const out: Record<'html' | 'md' | 'pdf', WrittenReport | null> = { html: null, md: null, pdf: null };
  for (const r of reports) out[r.format] = r;
  return out;
}

function checkWritten(written: WrittenReport | null, format: 'html' | 'md' | 'pdf'): WrittenReport {
  if (written === null) throw new Error(`no ${format} report`);
  expect(written.format).toBe(format);
  expect(existsSync(written.out)).toBe(true);
  expect(written.bytes).toBe(readFileSync(written.out).length);
  expect(written.charts.notDrawn).toEqual([]);
  return written;
}

function checkMarkdown(md: WrittenReport): void {
  const text = readFileSync(md.out, 'utf8');
  const links = [...text.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1] ?? '');
  expect(links).toHaveLength(md.charts.drawn);
  for (const link of links) expect(readFileSync(join(md.out, '..', decodeURIComponent(link)), 'utf8')).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
}

function checkPdf(pdf: WrittenReport): void {
  const first = pdf.executive[0]?.sentence;
  if (first === undefined) throw new Error('the executive page has no finding');
  expect(pdfText(pdf.out)).toContain(collapsed(first));
}

describe('cxray report on the telco-classic export (customers only)', () => {
  let dir: string;
  let written: Record<'html' | 'md' | 'pdf', WrittenReport | null>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cxray-report-telco-'));
    cpSync(TELCO, join(dir, 'telco.csv'));
    expect(cxray(['init', '--workspace', dir, '--from', join(dir, 'telco.csv')]).code).toBe(0);
    expect(cxray(['import', '--workspace', dir]).code).toBe(0);
    written = reportAll(dir, 'telco');
  });

  it('writes .html and .md, says what it wrote with --json, and what could not be analysed and why', () => {
    const html = checkWritten(written.html, 'html');
    checkMarkdown(checkWritten(written.md, 'md'));
    expect(html).toMatchObject({ importVersion: 1, filter: {}, snapshot: expect.stringMatching(/^v000001-/) });
    const text = readFileSync(html.out, 'utf8');
    expect(htmlProblems(text)).toEqual([]);
    expect(html.notAnalysed.map((n) => n.analysis)).toEqual(expect.arrayContaining(['value', 'key-drivers', 'scorecard', 'bad-revenue']));
    const quality = text.slice(text.indexOf('id="data-quality"'), text.indexOf('id="methods"'));
    expect(quality).toContain('Needs transactions. This import has no transactions rows');
    expect(quality).toContain('No survey responses were imported');
    expect(text).toContain(escapeHtml(html.executive[0]?.sentence ?? '?'));
  });

  withBrowser("writes .pdf, whose text holds the executive page's first finding", () => {
    checkPdf(checkWritten(written.pdf, 'pdf'));
  });

  it('one --out prints one document; a file name without a known extension is exit 1 with a hint, as one JSON error', () => {
    const one = cxray(['report', '--workspace', dir, '--out', join(dir, 'reports', 'again.html'), '--json']);
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout)).toMatchObject({ format: 'html', importVersion: 1, executive: written.html?.executive });
    const run = cxray(['report', '--workspace', dir, '--out', join(dir, 'report.txt'), '--json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ error: { code: 'report_format', hint: expect.stringContaining('report.pdf') } });
    expect(cxray(['report', '--help']).stdout).toContain('Examples:');
  });
});

describe('cxray report on the demo company (2,000 customers)', () => {
  let dir: string;
  let written: Record<'html' | 'md' | 'pdf', WrittenReport | null>;
  beforeAll(async () => {
    dir = join(mkdtempSync(join(tmpdir(), 'cxray-report-demo-')), 'demo');
    const demo = cxray(['demo', '--customers', '2000', '--no-serve', '--workspace', dir]);
    expect(demo.code, demo.stderr).toBe(0);
    written = reportAll(dir, 'demo');
  });

  it('renders every analysis: five ranked findings, every chart an SVG with marks, no URL anywhere, the Markdown charts beside it', () => {
    const html = checkWritten(written.html, 'html');
    checkMarkdown(checkWritten(written.md, 'md'));
    expect(html.notAnalysed).toEqual([]);
    expect(html.executive).toHaveLength(5);
    expect(html.charts.drawn).toBeGreaterThan(30);
    expect(htmlProblems(readFileSync(html.out, 'utf8'))).toEqual([]);
  });

  withBrowser('in Chromium, with every request intercepted, nothing leaves file://; no console error; every chart drawn; fits 375 px', async () => {
    const html = checkWritten(written.html, 'html');
    const visit = await visitInBrowser(html.out);
    expect(visit.requests.filter((url) => !url.startsWith('file://'))).toEqual([]);
    expect(visit.consoleErrors).toEqual([]);
    expect(visit.marksPerChart).toHaveLength(html.charts.drawn);
    expect(visit.marksPerChart.every((n) => n > 0)).toBe(true);
    expect(visit.scrollWidthAt375).toBeLessThanOrEqual(375);
    checkPdf(checkWritten(written.pdf, 'pdf'));
  });
});
