import type { CustomerQuery } from './api-client.js';
import type { CustomerPage } from './api-types.js';
import { h, replace } from './dom.js';
import { countText, valueWithUnit } from './format.js';
import type { PageContext } from './page-context.js';
import { routeHash } from './router.js';
import { emptyState, errorState, loadingState } from './states.js';

const SORTS: { key: CustomerQuery['sort']; label: string }[] = [
  { key: 'id', label: 'customer id' },
  { key: 'netValue', label: 'net value' },
  { key: 'fitScore', label: 'fit score' },
  { key: 'perfectCustomerIndex', label: 'Perfect Customer Index' },
  { key: 'lifetimeValue', label: 'lifetime value' },
  { key: 'pAlive', label: 'P(still buying)' },
  { key: 'churnRisk', label: 'churn risk' },
];

const PAGE_SIZE = 25;

function queryOf(ctx: PageContext): CustomerQuery {
  const p = ctx.route.params;
  const page = Number(p.get('page') ?? '1');
  const sort = SORTS.find((s) => s.key === p.get('sort'))?.key ?? 'netValue';
  return { segment: ctx.filter.segment, q: p.get('q') ?? undefined, page: Number.isInteger(page) && page >= 1 ? page : 1, pageSize: PAGE_SIZE, sort, order: p.get('order') === 'asc' ? 'asc' : 'desc' };
}

function listTable(ctx: PageContext, answer: CustomerPage, currency: string | null): HTMLElement {
  if (answer.total === 0) return emptyState(answer.q === null ? 'No customers match this segment.' : `No customer id of this segment contains “${answer.q}”.`);
  const keys = Object.keys(answer.customers[0]?.segments ?? {});
  const columns: { label: string; num: boolean }[] = [
    { label: 'customer', num: false },
    ...keys.map((k) => ({ label: k.replaceAll('_', ' '), num: false })),
    { label: `net value${currency === null ? '' : ` (${currency})`}`, num: true },
    { label: 'fit score (0-100)', num: true },
    { label: 'Perfect Customer Index (0-100)', num: true },
    { label: `lifetime value${currency === null ? '' : ` (${currency})`}`, num: true },
    { label: 'P(still buying)', num: true },
    { label: 'churn risk', num: true },
    { label: 'churned', num: false },
  ];
  const rows = answer.customers.map((c) =>
    h(
      'tr',
      {},
      h('td', {}, h('a', { href: routeHash({ customer: c.id }, ctx.filter), 'data-drill': 'customer' }, c.id)),
      keys.map((k) => h('td', {}, c.segments[k] ?? '—')),
      h('td', { class: 'num' }, valueWithUnit(c.netValue, currency)),
      h('td', { class: 'num' }, valueWithUnit(c.fitScore, null)),
      h('td', { class: 'num' }, valueWithUnit(c.perfectCustomerIndex, null)),
      h('td', { class: 'num' }, valueWithUnit(c.lifetimeValue, currency)),
      h('td', { class: 'num' }, valueWithUnit(c.pAlive, 'share')),
      h('td', { class: 'num' }, valueWithUnit(c.churnRisk, 'share')),
      h('td', {}, c.churned === null ? '—' : c.churned ? 'yes' : 'no'),
    ),
  );
  return h('div', { class: 'scroll' }, h('table', { 'data-customers': String(answer.total) }, h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.num ? 'num' : null }, c.label)))), h('tbody', {}, rows)));
}

/**
 * The customers of the page's segment (`GET /api/customers`), a page at a
 * time, sortable by each score and searchable by id; each links to the
 * customer. Its page, sort and search live in the URL too (replaced, not
 * pushed: paging is not a place to go back to).
 */
export async function customerList(ctx: PageContext, currency: string | null): Promise<HTMLElement> {
  const query = queryOf(ctx);
  const status = h('p', { class: 'list-status', 'aria-live': 'polite' });
  const body = h('div', { class: 'list-body' });
  const search = h('input', { type: 'search', name: 'q', placeholder: 'Part of a customer id', value: query.q ?? '', 'aria-label': 'Search by customer id' });
  const sort = h('select', { name: 'sort', 'aria-label': 'Sort by' }, SORTS.map((s) => h('option', { value: s.key, selected: s.key === query.sort }, `by ${s.label}`)));
  const order = h('select', { name: 'order', 'aria-label': 'Order' }, h('option', { value: 'desc', selected: query.order === 'desc' }, 'highest first'), h('option', { value: 'asc', selected: query.order === 'asc' }, 'lowest first'));
  const previous = h('button', { type: 'button', 'data-page': 'previous' }, '← Previous');
  const next = h('button', { type: 'button', 'data-page': 'next' }, 'Next →');
  const period = ctx.filter.from !== undefined || ctx.filter.to !== undefined ? h('p', { class: 'hint' }, 'The list is of every customer of the segment, scored as of the data date: the period applies to the analyses, not to who is listed.') : null;
  const root = h('div', { class: 'customer-list', 'data-list-state': 'loading' }, period, h('form', { class: 'list-controls', role: 'search' }, search, sort, order), body, h('div', { class: 'pager' }, previous, status, next));
  let pages = 0;
  let asked = 0;
  const load = async (): Promise<void> => {
    const ticket = ++asked;
    root.dataset['listState'] = 'loading';
    replace(body, loadingState('customers'));
    const extra = { page: query.page > 1 ? String(query.page) : undefined, sort: query.sort, order: query.order, q: query.q };
    history.replaceState(null, '', routeHash({ page: 'customers' }, ctx.filter, extra));
    try {
      const answer = await ctx.client.customers(query);
      if (ticket !== asked) return;
      pages = answer.pages;
      replace(body, listTable(ctx, answer, currency));
      status.textContent = answer.total === 0 ? '' : `Page ${countText(answer.page)} of ${countText(Math.max(1, answer.pages))}: ${countText(answer.total)} customers${answer.segment === null ? '' : ` with ${answer.segment}`}.`;
      for (const note of answer.notes) body.append(h('p', { class: 'hint' }, note));
    } catch (error) {
      if (ticket !== asked) return;
      pages = 0;
      replace(body, errorState(error, 'the customers'));
      status.textContent = '';
    }
    previous.disabled = query.page <= 1;
    next.disabled = query.page >= pages;
    root.dataset['listState'] = 'ready';
  };
  previous.addEventListener('click', () => {
    query.page = Math.max(1, query.page - 1);
    void load();
  });
  next.addEventListener('click', () => {
    query.page += 1;
    void load();
  });
  sort.addEventListener('change', () => {
    query.sort = sort.value as CustomerQuery['sort'];
    query.page = 1;
    void load();
  });
  order.addEventListener('change', () => {
    query.order = order.value === 'asc' ? 'asc' : 'desc';
    query.page = 1;
    void load();
  });
  let typing: ReturnType<typeof setTimeout> | undefined;
  search.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => {
      query.q = search.value.trim() === '' ? undefined : search.value.trim();
      query.page = 1;
      void load();
    }, 300);
  });
  search.form?.addEventListener('submit', (event) => event.preventDefault());
  await load();
  return root;
}
