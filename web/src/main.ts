import './styles.css';
import { ApiClient, ApiProblem } from './api-client.js';
import { storedToken, tokenForm } from './access-token.js';
import { ChartBoard } from './chart-view.js';
import { h, replace } from './dom.js';
import { FilterBar } from './filter-bar.js';
import type { Filter } from './filter.js';
import type { PageContext } from './page-context.js';
import { renderChanges } from './pages/changes.js';
import { renderCustomer } from './pages/customer-detail.js';
import { renderCustomers } from './pages/customers.js';
import { renderFairness } from './pages/fairness.js';
import { renderOverview } from './pages/overview.js';
import { renderPerfectCustomer } from './pages/perfect-customer.js';
import { renderRightCustomers } from './pages/right-customers.js';
import { renderScorecard } from './pages/scorecard.js';
import { PAGES, parseRoute, routeHash, type PageKey, type Route } from './router.js';
import { SegmentLinks } from './segment-links.js';
import { errorState, loadingState } from './states.js';

const RENDERERS: Record<PageKey, (ctx: PageContext) => Promise<Node[]>> = {
  overview: renderOverview,
  customers: renderCustomers,
  'perfect-customer': renderPerfectCustomer,
  'right-customers': renderRightCustomers,
  fairness: renderFairness,
  scorecard: renderScorecard,
  changes: renderChanges,
};

function element(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`index.html has no #${id}`);
  return found;
}

const app = element('app');
const nav = element('nav');
const client = new ApiClient(storedToken);
let route: Route = parseRoute(location.hash);
let charts = new ChartBoard();
let rendering = 0;

/** Where the filter goes on this route: the same page (a customer stays a customer) with the new filter. */
function withFilter(current: Route, filter: Filter): string {
  if (current.kind === 'customer') return routeHash({ customer: current.id }, filter);
  return routeHash({ page: current.kind === 'page' ? current.page : 'overview' }, filter);
}

const filterBar = new FilterBar(element('filter'), (filter) => {
  location.hash = withFilter(route, filter);
});

function showNav(current: Route): void {
  replace(
    nav,
    PAGES.map((p) => {
      const active = (current.kind === 'page' && current.page === p.key) || (current.kind === 'customer' && p.key === 'customers');
      return h('a', { href: routeHash({ page: p.key }, current.filter), 'aria-current': active ? 'page' : null, 'data-nav': p.key }, p.label);
    }),
  );
}

async function segmentLinks(): Promise<SegmentLinks | null> {
  try {
    return new SegmentLinks(await client.segments());
  } catch {
    return null;
  }
}

function routeNodes(ctx: PageContext, current: Route): Promise<Node[]> {
  if (current.kind === 'customer') return renderCustomer(ctx, current.id);
  if (current.kind === 'page') return RENDERERS[current.page](ctx);
  return Promise.resolve([h('h1', {}, 'No such page'), h('p', { class: 'state' }, `There is no page “${current.path}”. `, h('a', { href: routeHash({ page: 'overview' }, current.filter) }, 'Go to the overview.'))]);
}

/**
 * Renders the route of the URL: the page's Results (as the page asks for
 * them), then its charts. `#app` says where it is: `data-state` is loading
 * until everything is drawn, then ready (or error), and `data-route` is the
 * hash it renders. A newer navigation wins over a slower older one.
 */
async function render(): Promise<void> {
  const ticket = ++rendering;
  route = parseRoute(location.hash);
  app.dataset['state'] = 'loading';
  app.dataset['route'] = location.hash;
  app.dataset['page'] = route.kind === 'page' ? route.page : route.kind;
  charts.clear();
  const board = new ChartBoard();
  charts = board;
  filterBar.show(route.filter);
  showNav(route);
  replace(app, loadingState('the page'));
  const current = route;
  try {
    let titles = new Map<string, string>();
    try {
      titles = new Map((await client.analyses()).analyses.map((a) => [a.name, a.title]));
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 401) throw error;
    }
    const ctx: PageContext = { client, route: current, filter: current.filter, charts: board, links: await segmentLinks(), titles };
    const nodes = await routeNodes(ctx, current);
    if (ticket !== rendering) return;
    document.title = `cxray · ${current.kind === 'customer' ? `customer ${current.id}` : current.kind === 'page' ? (PAGES.find((p) => p.key === current.page)?.label ?? 'dashboard') : 'no such page'}`;
    replace(app, nodes);
    await board.drawAll();
    if (ticket !== rendering) return;
    app.dataset['state'] = 'ready';
  } catch (error) {
    if (ticket !== rendering) return;
    if (error instanceof ApiProblem && error.status === 401) {
      replace(
        app,
        errorState(error),
        tokenForm(() => {
          void filterBar.loadSegments(client);
          void render();
        }),
      );
    } else {
      replace(app, errorState(error, 'the page'));
    }
    app.dataset['state'] = 'error';
  }
}

window.addEventListener('hashchange', () => {
  window.scrollTo(0, 0);
  void render();
});

let resizing: ReturnType<typeof setTimeout> | undefined;
window.addEventListener('resize', () => {
  clearTimeout(resizing);
  resizing = setTimeout(() => void charts.resize(), 200);
});

void filterBar.loadSegments(client);
void render();
