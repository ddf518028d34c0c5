import type { Result } from './api-types.js';
import { h } from './dom.js';
import { bySeverity, findingList } from './findings-view.js';
import type { Loaded, PageContext } from './page-context.js';
import { errorState } from './states.js';
import { tableBlock } from './table-view.js';

export interface SectionOptions {
  /** The section's heading; the analysis title by default. */
  title?: string;
  /** Which charts, by title (all by default). */
  charts?: 'all' | 'none' | RegExp;
  /** Which tables, by name (all by default), and which of them are shown open. */
  tables?: 'all' | 'none' | readonly string[];
  open?: readonly string[];
  /** Whether to list the findings with their numbers (yes by default). */
  findings?: boolean;
  /** Whether to list the summary sentences (yes by default). */
  summary?: boolean;
  /** Shown after the summary (headline cards, a what-if, comment samples). */
  before?: (result: Result) => (Node | null)[];
}

/** A skipped or failed analysis, in words: why, and what to do. */
export function notRun(result: Result): HTMLElement {
  return h('p', { class: 'state state-note', 'data-kind': result.status }, `${result.status === 'failed' ? 'This analysis failed' : 'Not analysed'}: ${result.reason ?? 'no reason was given.'}`);
}

/**
 * One analysis on a page: its summary sentences, what the page puts first,
 * its findings with their numbers, warnings, charts and tables (each table
 * with its CSV download). A Result that did not run says why; one that
 * could not be loaded shows the API's problem.
 */
export function resultSection(ctx: PageContext, name: string, loaded: Loaded | undefined, options: SectionOptions = {}): HTMLElement {
  const title = options.title ?? ctx.titles.get(name) ?? name;
  const section = h('section', { class: 'analysis', 'data-analysis': name }, h('h2', {}, title));
  if (loaded === undefined) return section;
  if (!loaded.ok) {
    section.append(errorState(loaded.error, `the ${name} analysis`));
    return section;
  }
  const result = loaded.result;
  if (result.status !== 'ok') {
    section.append(notRun(result));
    return section;
  }
  if (options.summary !== false && result.summary.length > 0) section.append(h('ul', { class: 'summary' }, result.summary.map((s) => h('li', {}, s))));
  for (const node of options.before?.(result) ?? []) if (node !== null) section.append(node);
  if (result.warnings.length > 0) section.append(h('ul', { class: 'warnings' }, result.warnings.map((w) => h('li', {}, w))));
  if (options.findings !== false && result.findings.length > 0) {
    section.append(h('details', { class: 'findings-box' }, h('summary', {}, `Findings with their numbers (${result.findings.length})`), findingList(bySeverity(result.findings))));
  }
  const charts = options.charts ?? 'all';
  const chartPicks = charts === 'none' ? [] : result.charts.filter((c) => charts === 'all' || charts.test(typeof c.title === 'string' ? c.title : ''));
  if (chartPicks.length > 0) section.append(h('div', { class: 'charts' }, chartPicks.map((c) => ctx.charts.place(c))));
  const tables = options.tables ?? 'all';
  const open = new Set(options.open ?? []);
  const tablePicks = tables === 'none' ? [] : tables === 'all' ? result.tables : tables.map((t) => result.tables.find((x) => x.name === t)).filter((t) => t !== undefined);
  if (tablePicks.length > 0) section.append(h('div', { class: 'tables' }, tablePicks.map((t) => tableBlock(t, name, ctx, { open: open.has(t.name) }))));
  return section;
}
