import type { ApiClient } from './api-client.js';
import type { ResultTable } from './api-types.js';
import { h, replace } from './dom.js';
import { narrowSegment, type Filter } from './filter.js';
import { columnHeader, countText, formatCell } from './format.js';
import { routeHash } from './router.js';
import type { SegmentLinks } from './segment-links.js';
import { errorState } from './states.js';

export interface TableContext {
  client: ApiClient;
  filter: Filter;
  links: SegmentLinks | null;
}

export interface TableOptions {
  /** Shown open (rows drawn at once); closed tables draw their rows when first opened. */
  open?: boolean;
  /** A caption instead of the table's name. */
  caption?: string;
}

/** The cell that names a row's customers gets the drill-down link. */
const LINK_COLUMNS = ['level', 'rule', 'segment', 'series'];

/** A download link for a table as CSV, with the current filter; with a token it is fetched with it (a plain link cannot send one). */
export function csvLink(ctx: TableContext, analysis: string, table: string): HTMLAnchorElement {
  const url = ctx.client.tableCsvUrl(analysis, table, ctx.filter);
  const file = `${analysis}-${table}.csv`.replace(/[^A-Za-z0-9_.-]/g, '_');
  const link = h('a', { class: 'csv', href: url, download: file, 'data-csv': `${analysis}/${table}` }, 'Download CSV');
  link.addEventListener('click', (event) => {
    if (Object.keys(ctx.client.headers()).length === 0) return;
    event.preventDefault();
    ctx.client.download(url).then(
      (blob) => {
        const href = URL.createObjectURL(blob);
        const save = h('a', { href, download: file });
        save.click();
        setTimeout(() => URL.revokeObjectURL(href), 10_000);
      },
      (error: unknown) => link.after(errorState(error, 'the CSV')),
    );
  });
  return link;
}

function rowsOf(table: ResultTable, ctx: TableContext): HTMLTableSectionElement {
  const rules = ctx.links?.rowRules(table) ?? null;
  const linkAt = Math.max(0, LINK_COLUMNS.map((name) => table.columns.findIndex((c) => c.name === name)).find((i) => i >= 0) ?? 0);
  const idAt = table.columns.findIndex((c) => c.name === 'customer_id');
  const numeric = table.columns.map((c) => c.type === 'integer' || c.type === 'number');
  return h(
    'tbody',
    {},
    table.rows.map((row, r) =>
      h(
        'tr',
        {},
        table.columns.map((column, i) => {
          const cell = row[i] ?? null;
          const text = formatCell(cell, column.type, column.unit);
          const rule = rules?.[r] ?? null;
          let content: Node | string = text;
          if (i === idAt && typeof cell === 'string') content = h('a', { href: routeHash({ customer: cell }, ctx.filter), 'data-drill': 'customer' }, text);
          else if (i === linkAt && rule !== null) {
            content = h('a', { href: routeHash({ page: 'customers' }, { ...ctx.filter, segment: narrowSegment(ctx.filter.segment, rule) }), 'data-drill': 'segment', title: `The customers with ${rule}` }, text);
          }
          return h('td', { class: numeric[i] === true ? 'num' : null }, content);
        }),
      ),
    ),
  );
}

/**
 * A Result table: its name, row count and CSV download, then the table in
 * its own scrolling box (a wide table never widens the page). Cells are
 * formatted by their column's unit; headers name the unit. A row about a
 * segment links to its customers, a customer id to the customer.
 */
export function tableBlock(table: ResultTable, analysis: string, ctx: TableContext, options: TableOptions = {}): HTMLElement {
  const caption = options.caption ?? table.name.replaceAll('_', ' ');
  const head = h('div', { class: 'table-head' }, h('span', { class: 'table-name' }, caption), h('span', { class: 'table-rows' }, `${countText(table.rows.length)} ${table.rows.length === 1 ? 'row' : 'rows'}`), csvLink(ctx, analysis, table.name));
  if (table.rows.length === 0) return h('div', { class: 'table-block', 'data-table': `${analysis}/${table.name}` }, head, h('p', { class: 'state', 'data-kind': 'empty' }, 'No rows.'));
  const box = h('div', { class: 'scroll' });
  const draw = (): void => {
    if (box.childElementCount > 0) return;
    replace(box, h('table', {}, h('thead', {}, h('tr', {}, table.columns.map((c) => h('th', { scope: 'col', class: c.type === 'integer' || c.type === 'number' ? 'num' : null }, columnHeader(c.name, c.unit))))), rowsOf(table, ctx)));
  };
  const details = h('details', { open: options.open === true }, h('summary', {}, options.open === true ? 'Table' : 'Show the table'), box);
  if (options.open === true) draw();
  details.addEventListener('toggle', () => {
    if (details.open) draw();
  });
  return h('div', { class: 'table-block', 'data-table': `${analysis}/${table.name}` }, head, details);
}
