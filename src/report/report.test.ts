import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { itNeeds } from '../../test/helpers/strict.js';
import { makeShop } from '../analysis/shop.case.js';
import { UserError } from '../errors.js';
import { Workspace } from '../workspace/workspace.js';
import { escapeHtml } from './escape.js';
import { chromiumInstalled, collapsed, htmlProblems, pdfText, pdftotextInstalled, visitInBrowser } from './report-checks.case.js';
import { writeReport, type WrittenReport } from './write-report.js';

const SCRIPT = '<script>alert(1)</script>';
const IMG = '<img src=x onerror=alert(2)>';
const withChromium = itNeeds(chromiumInstalled(), 'chromium', 'Install it with `apt-get install chromium`.');
const withPdfTools = itNeeds(chromiumInstalled() && pdftotextInstalled(), 'chromium and pdftotext', 'Install them with `apt-get install chromium poppler-utils`.');

let dir: string;
let ws: Workspace;
let html: WrittenReport;
let md: WrittenReport;
let htmlText: string;

/**
 * The hand-made shop (40 customers; no referrals, behaviours, status changes
 * or comments), its segment and channel values made hostile: user data that
 * must come out as text in every format.
 */
beforeAll(async () => {
  dir = makeShop();
  const customers = join(dir, 'customers.csv');
  writeFileSync(customers, readFileSync(customers, 'utf8').replaceAll(',smb,', `,${SCRIPT},`).replaceAll(',search,', `,${IMG},`));
  ws = new Workspace(dir);
  await ws.import();
  html = await writeReport(ws, { out: join(dir, 'out', 'shop.html'), now: () => new Date('2026-02-03T04:05:06.000Z') });
  htmlText = readFileSync(html.out, 'utf8');
  md = await writeReport(ws, { out: join(dir, 'out', 'shop.md') });
});

describe('cxray report on a hand-made shop', () => {
  it('HTML: one self-contained page, sections in order, made from the stated import, config and snapshot', async () => {
    expect(htmlProblems(htmlText)).toEqual([]);
    const order = ['executive', 'customers', 'perfect-customer', 'right-customers', 'fairness', 'scorecard', 'changes', 'data-quality', 'methods'].map((id) => htmlText.indexOf(`<section class="report-section" id="${id}">`));
    expect(order.every((at, i) => at > 0 && (i === 0 || at > (order[i - 1] ?? 0)))).toBe(true);
    const { hash } = await ws.config();
    const snapshot = readdirSync(join(dir, 'snapshots')).find((f) => f.endsWith('.json'))?.replace(/\.json$/, '');
    expect(html).toMatchObject({ format: 'html', importVersion: 1, asOf: '2025-12-31', configHash: hash, snapshot, writtenAt: '2026-02-03T04:05:06.000Z' });
    for (const fact of [`<dt>Import version</dt><dd>1, imported ${html.importedAt}</dd>`, `<dd>${hash}</dd>`, `<dd>${snapshot ?? '?'} (written `, '<dd>2026-02-03T04:05:06.000Z</dd>']) expect(htmlText).toContain(fact);
    expect(html.charts.drawn).toBeGreaterThan(5);
    expect((htmlText.match(/<figure class="chart"/g) ?? []).length).toBe(html.charts.drawn);
    expect(html.bytes).toBe(Buffer.byteLength(htmlText));
  });

  it('the executive page: ranked findings, each one sentence with its interval; the ideal customer; what changed', () => {
    const executive = htmlText.slice(htmlText.indexOf('id="executive"'), htmlText.indexOf('id="customers"'));
    expect(html.executive.length).toBeGreaterThan(0);
    for (const e of html.executive) {
      expect(e.sentence).toMatch(/\d+% CI/);
      expect(executive).toContain(escapeHtml(e.sentence));
    }
    expect(new Set(html.executive.map((e) => e.sentence)).size).toBe(html.executive.length);
    expect(executive).toContain('The ideal customer');
    expect(executive).toMatch(/is the first of this workspace: the next report will say what changed since it/);
    expect(htmlText).toContain('The executive page takes the findings the analyses marked high, medium or low');
  });

  it('user text with <script> comes out escaped, in HTML, Markdown and the charts', () => {
    expect(htmlText).not.toContain(SCRIPT);
    expect(htmlText).not.toContain('<img');
    expect(htmlText).toContain(escapeHtml(SCRIPT));
    expect(htmlText).toContain(escapeHtml(IMG));
    const charts = [...htmlText.matchAll(/<figure class="chart"[\s\S]*?<\/figure>/g)].map((m) => m[0]).join('');
    expect(charts).toContain('&lt;script&gt;');
    const markdown = readFileSync(md.out, 'utf8');
    expect(markdown).not.toContain(SCRIPT);
    expect(markdown).not.toMatch(/<img|<script/);
    expect(markdown).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('a workspace without some tables renders, saying what could not be analysed and why', () => {
    expect(html.notAnalysed.map((n) => n.analysis)).toEqual(expect.arrayContaining(['referrals', 'quarter-end', 'comments']));
    const right = htmlText.slice(htmlText.indexOf('id="right-customers"'), htmlText.indexOf('id="fairness"'));
    expect(right).toMatch(/<h3 id="analysis-referrals">[^<]+<\/h3>\s*<p class="note">Not analysed: Needs referrals\./);
    const quality = htmlText.slice(htmlText.indexOf('id="data-quality"'), htmlText.indexOf('id="methods"'));
    for (const n of html.notAnalysed) expect(quality).toContain(`(${n.analysis}): `);
    expect(quality).toContain('rows per file');
    expect(quality).toMatch(/Import version 1 read \d[\d,]* rows/);
    expect(quality).toMatch(/survey responses were imported/);
  });

  it('Markdown: the same report, its charts as SVG files beside it, linked relatively; stale charts go, other files stay', async () => {
    const markdown = readFileSync(md.out, 'utf8');
    const links = [...markdown.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1] ?? '');
    expect(links).toHaveLength(md.charts.drawn);
    expect(md.chartFiles).toHaveLength(md.charts.drawn);
    for (const link of links) {
      expect(link).toMatch(/^shop-charts\/chart-\d{2}-[a-z-]+\.svg$/);
      const svg = readFileSync(join(dir, 'out', decodeURIComponent(link)), 'utf8');
      expect(svg).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    }
    expect(markdown).toContain('## Executive summary');
    expect(markdown).toContain(`1. **`);
    writeFileSync(join(dir, 'out', 'shop-charts', 'chart-99-profile.svg'), '<svg/>');
    writeFileSync(join(dir, 'out', 'shop-charts', 'notes.svg'), '<svg/>');
    const again = await writeReport(ws, { out: join(dir, 'out', 'shop.md') });
    expect(existsSync(join(dir, 'out', 'shop-charts', 'chart-99-profile.svg'))).toBe(false);
    expect(existsSync(join(dir, 'out', 'shop-charts', 'notes.svg'))).toBe(true);
    expect(again.chartFiles).toEqual(md.chartFiles);
  });

  it('a filtered report says so, and still names the snapshot of its import version', async () => {
    const retail = await writeReport(ws, { out: join(dir, 'out', 'retail.html'), filter: { segment: 'segment = retail', from: '2025-01-01' } });
    expect(retail.filter).toEqual({ segment: expect.stringMatching(/^segment = '?retail'?$/), from: '2025-01-01' });
    expect(retail.snapshot).toBe(html.snapshot);
    const text = readFileSync(retail.out, 'utf8');
    expect(text).toContain(`<dd>${escapeHtml(`the segment ${retail.filter.segment ?? ''}`)}</dd>`);
    expect(text).toContain('<dd>2025-01-01 to the end</dd>');
    expect(text).toContain('Snapshots describe the whole customer base');
  });

  it('says what to do for an unknown format, a folder it cannot write, and a PDF without Chromium (before running any analysis)', async () => {
    await expect(writeReport(ws, { out: join(dir, 'out', 'shop.docx') })).rejects.toMatchObject({ code: 'report_format', hint: expect.stringContaining('report.html') });
    await expect(writeReport(ws, { out: join(dir, 'cxray.yaml', 'shop.html') })).rejects.toMatchObject({ code: 'report_unwritable' });
    const started = Date.now();
    const error = await writeReport(ws, { out: join(dir, 'out', 'shop.pdf'), chromiumPath: join(dir, 'no-chromium') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect(error).toMatchObject({ code: 'chromium_missing', hint: expect.stringContaining('apt-get install chromium') });
    expect(Date.now() - started).toBeLessThan(500);
  });

  withChromium('in Chromium the page asks for nothing but itself, logs no error, draws every chart and fits 375 px', async () => {
    const visit = await visitInBrowser(html.out);
    expect(visit.requests).toEqual([`file://${html.out}`]);
    expect(visit.consoleErrors).toEqual([]);
    expect(visit.scrollWidthAt375).toBeLessThanOrEqual(375);
    expect(visit.marksPerChart).toHaveLength(html.charts.drawn);
    expect(visit.marksPerChart.every((n) => n > 0)).toBe(true);
  });

  withPdfTools("PDF: the HTML printed by Chromium; its text holds the executive page's first finding", async () => {
    const pdf = await writeReport(ws, { out: join(dir, 'out', 'shop.pdf') });
    expect(readFileSync(pdf.out).subarray(0, 5).toString()).toBe('%PDF-');
    const first = pdf.executive[0]?.sentence ?? '';
    expect(first.length).toBeGreaterThan(20);
    expect(pdfText(pdf.out)).toContain(collapsed(first));
  });

  it('after the next import, the executive page says what changed since the previous snapshot', async () => {
    writeFileSync(join(dir, 'cxray.yaml'), `${readFileSync(join(dir, 'cxray.yaml'), 'utf8')}thresholds: {points: 2}\n`);
    expect((await ws.import()).version).toBe(2);
    const next = await writeReport(ws, { out: join(dir, 'out', 'next.html') });
    expect(next.importVersion).toBe(2);
    expect(next.snapshot).toMatch(/^v000002-/);
    const text = readFileSync(next.out, 'utf8');
    const changed = text.slice(text.indexOf('id="executive-changes"'), text.indexOf('id="customers"'));
    expect(changed).toContain(`<li>No material change since snapshot ${html.snapshot ?? '?'} (import version 1, as of 2025-12-31)`);
  });
});
