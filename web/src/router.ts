import { FILTER_KEYS, filterOf, filterParams, type Filter } from './filter.js';

/** The dashboard's pages, in the order of the navigation. */
export const PAGES = [
  { key: 'overview', label: 'Overview' },
  { key: 'customers', label: 'Customers' },
  { key: 'perfect-customer', label: 'Perfect customer' },
  { key: 'right-customers', label: 'Right customers' },
  { key: 'fairness', label: 'Fairness' },
  { key: 'scorecard', label: 'Scorecard' },
  { key: 'changes', label: 'Changes' },
] as const;

export type PageKey = (typeof PAGES)[number]['key'];

/**
 * Where the dashboard is: a page or one customer, the filter, and the page's
 * own parameters (the customer list's page and sort). All of it lives in the
 * URL's hash (`#/scorecard?segment=...&from=...`), so the server needs no
 * route per page and a link can be shared.
 */
export type Route =
  | { kind: 'page'; page: PageKey; filter: Filter; params: URLSearchParams }
  | { kind: 'customer'; id: string; filter: Filter; params: URLSearchParams }
  | { kind: 'unknown'; path: string; filter: Filter; params: URLSearchParams };

const isPage = (key: string): key is PageKey => PAGES.some((p) => p.key === key);

export function parseRoute(hash: string): Route {
  const text = hash.replace(/^#/, '');
  const at = text.indexOf('?');
  const path = (at < 0 ? text : text.slice(0, at)).replace(/^\/+|\/+$/g, '');
  const search = new URLSearchParams(at < 0 ? '' : text.slice(at + 1));
  const filter = filterOf(search);
  const params = new URLSearchParams([...search].filter(([key]) => !(FILTER_KEYS as readonly string[]).includes(key)));
  if (path === '') return { kind: 'page', page: 'overview', filter, params };
  if (isPage(path)) return { kind: 'page', page: path, filter, params };
  const customer = /^customer\/(.+)$/.exec(path);
  if (customer !== null) {
    try {
      return { kind: 'customer', id: decodeURIComponent(customer[1] ?? ''), filter, params };
    } catch {
      return { kind: 'unknown', path, filter, params };
    }
  }
  return { kind: 'unknown', path, filter, params };
}

/** The hash of a page or a customer with a filter and extra parameters (undefined ones left out). */
export function routeHash(target: { page: PageKey } | { customer: string }, filter: Filter, extra: Record<string, string | undefined> = {}): string {
  const search = filterParams(filter);
  for (const [key, value] of Object.entries(extra)) if (value !== undefined && value !== '') search.set(key, value);
  const query = search.toString();
  const path = 'page' in target ? `/${target.page}` : `/customer/${encodeURIComponent(target.customer)}`;
  return `#${path}${query === '' ? '' : `?${query}`}`;
}
