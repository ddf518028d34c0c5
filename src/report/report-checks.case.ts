import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CHROMIUM_PATH, launchChromium } from './browser.js';

/** Elements HTML closes by itself. */
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

export const chromiumInstalled = (): boolean => existsSync(CHROMIUM_PATH);
export const pdftotextInstalled = (): boolean => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/** The text of a PDF, whitespace collapsed (pdftotext breaks lines where the page did). */
export function pdfText(file: string): string {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).replace(/\s+/g, ' ');
}

/** Text collapsed as pdfText collapses it, to look for a sentence in a PDF. */
export function collapsed(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The marks a chart's SVG holds: the items inside Vega's `role-mark` groups. */
export function svgMarks(svg: string): number {
  let marks = 0;
  for (const group of svg.matchAll(/<g class="mark-[a-z]+ role-mark[^"]*"[^>]*?(\/?)>/g)) {
    const after = svg.slice((group.index ?? 0) + group[0].length);
    if (group[1] !== '/' && /^\s*<(path|line|rect|circle|text|g)\b/.test(after)) marks += 1;
  }
  return marks;
}

/**
 * What is wrong with a report page, or nothing: the document's outline, tags
 * balanced, ids unique, no script, no element that loads, no link or url()
 * to anything but an anchor in the page, a content security policy, and
 * every chart an inline SVG with marks.
 */
export function htmlProblems(html: string): string[] {
  const problems: string[] = [];
  if (!html.startsWith('<!doctype html>\n<html lang="en">')) problems.push('does not start with <!doctype html> and <html lang>');
  for (const tag of ['html', 'head', 'body', 'main', 'title']) {
    if ((html.match(new RegExp(`<${tag}[\\s>]`, 'g')) ?? []).length !== 1) problems.push(`not exactly one <${tag}>`);
  }
  if (!/<meta http-equiv="Content-Security-Policy" content="default-src 'none';/.test(html)) problems.push('no content security policy');
  if (/<(script|link|iframe|img|object|embed|frame|base|image|use|foreignObject)\b/i.test(html)) problems.push('an element that runs or loads');
  for (const tag of html.matchAll(/<[a-zA-Z][^>]*>/g)) {
    for (const m of tag[0].matchAll(/\s([\w:-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/g)) {
      const name = (m[1] ?? '').toLowerCase();
      const value = (m[2] ?? '').replace(/^["']|["']$/g, '');
      if (['href', 'src', 'xlink:href', 'action', 'srcset', 'poster', 'data'].includes(name) && !value.startsWith('#')) problems.push(`${name}=${value}`);
      if (/url\(\s*(?!["']?#)/i.test(value)) problems.push(`url() in ${name}`);
    }
  }
  const css = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
  if (/url\(|@import/i.test(css)) problems.push('the stylesheet loads something');
  if (/https?:\/\//i.test(html.replace(/>[^<]*</g, '><'))) problems.push('an http(s) URL inside a tag');
  const stack: string[] = [];
  for (const m of html.replace(/<!--[\s\S]*?-->/g, '').replace(/<(style|title)>[\s\S]*?<\/\1>/g, '<$1></$1>').matchAll(/<(\/?)([a-zA-Z][\w:-]*)([^>]*?)(\/?)>/g)) {
    const [, closing, rawName, , selfClosing] = m;
    const name = (rawName ?? '').toLowerCase();
    if (VOID.has(name) || selfClosing === '/') continue;
    if (closing === '') stack.push(name);
    else if (stack.pop() !== name) {
      problems.push(`</${name}> closes something else`);
      break;
    }
  }
  if (stack.length > 0) problems.push(`unclosed: ${stack.slice(-3).join(', ')}`);
  const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  const duplicated = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (duplicated.length > 0) problems.push(`ids used twice: ${[...new Set(duplicated)].slice(0, 5).join(', ')}`);
  for (const figure of html.matchAll(/<figure class="chart" id="([^"]+)"[^>]*>([\s\S]*?)<\/figure>/g)) {
    const svg = figure[2] ?? '';
    if (!svg.startsWith('<svg')) problems.push(`${figure[1] ?? ''} is not an inline SVG`);
    else if (svgMarks(svg) === 0) problems.push(`${figure[1] ?? ''} has no marks`);
  }
  return problems;
}

export interface BrowserVisit {
  /** Every URL the page asked for, the page itself included. */
  requests: string[];
  consoleErrors: string[];
  /** Widest content over the viewport width, at 375 px. */
  scrollWidthAt375: number;
  /** Marks drawn in each chart figure, as the browser laid them out. */
  marksPerChart: number[];
}

/**
 * Opens a report file in Chromium with every request intercepted: the file
 * itself is served, anything else is recorded and aborted.
 */
export async function visitInBrowser(file: string): Promise<BrowserVisit> {
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
    const requests: string[] = [];
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      requests.push(url);
      await (url.startsWith('file://') ? route.continue() : route.abort('blockedbyclient'));
    });
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await page.goto(`file://${file}`, { waitUntil: 'load' });
    const scrollWidthAt375 = (await page.evaluate('document.documentElement.scrollWidth')) as number;
    const marksPerChart = (await page.evaluate(
      `[...document.querySelectorAll('figure.chart')].map((f) => f.querySelectorAll('svg g.role-mark > *').length)`,
    )) as number[];
    return { requests, consoleErrors, scrollWidthAt375, marksPerChart };
  } finally {
    await browser.close();
  }
}
