import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { initWorkspace } from '../../src/init/index.js';
import { launchChromium } from '../../src/report/browser.js';
import { chromiumInstalled } from '../../src/report/report-checks.case.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { companyCostsYaml, readTruth, simulateCompany, simulatedChange, simulatedExperimentYaml } from '../../src/simulate/index.js';
import { Workspace } from '../../src/workspace/workspace.js';
import { REPO } from '../helpers/cli.js';
import { itNeeds } from '../helpers/strict.js';

/**
 * The dashboard in real Chromium (Debian's, through playwright-core) over
 * `cxray serve` on the demo company (2,000 customers): one build of web/,
 * one workspace, one server, one browser and one page for the whole file.
 * Pages say when they are done (`#app[data-state="ready"]`), so nothing
 * here sleeps.
 */

const withBrowser = itNeeds(chromiumInstalled(), 'chromium', 'Install it with `apt-get install chromium`.');

const PAGES = ['overview', 'customers', 'perfect-customer', 'right-customers', 'fairness', 'scorecard', 'changes'] as const;
const WIDTHS = [1280, 375] as const;
const SHOTS = join(REPO, 'test-results', 'dashboard');
/** The demo's segment rule the filter checks use, as a user types it. */
const RETAIL = 'segment = retail';

let root: string;
let server: RunningServer;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];
/** Each page's first headline number, unfiltered, from the first test. */
const headlines = new Map<string, string>();

/** The demo workspace as `cxray demo` makes it: simulated exports, init, the costs and A/B test declared, imported, the network upgrade recorded, analysed. */
async function demoWorkspace(dir: string): Promise<Workspace> {
  const exportsDir = join(dir, 'exports');
  await simulateCompany({ customers: 2000, seed: 1, outDir: exportsDir });
  const truth = await readTruth(join(exportsDir, 'truth.json'));
  await initWorkspace({ dir, from: readdirSync(exportsDir).filter((f) => f.endsWith('.csv')).map((f) => join(exportsDir, f)), force: false });
  appendFileSync(join(dir, 'cxray.yaml'), companyCostsYaml() + simulatedExperimentYaml(truth));
  const ws = new Workspace(dir);
  await ws.import();
  await ws.addChange(simulatedChange(truth));
  await ws.analyze();
  return ws;
}

function routeSelector(hash: string): string {
  return `#app[data-route=${JSON.stringify(hash)}]:is([data-state="ready"], [data-state="error"])`;
}

/** Goes to a hash and waits until the page has rendered it, charts drawn; it must be ready, not in error. */
async function visit(hash: string): Promise<void> {
  if ((await page.evaluate('location.hash')) === hash) await page.reload();
  else await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
  await page.locator(routeSelector(hash)).waitFor();
  await expectReady();
}

async function expectReady(): Promise<void> {
  expect(await page.locator('#app').getAttribute('data-state')).toBe('ready');
  expect(await page.locator('#app [data-kind="error"]').allTextContents()).toEqual([]);
}

async function shoot(name: string, width: number): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`), fullPage: true });
}

async function horizontalOverflow(): Promise<number> {
  return ((await page.evaluate('document.documentElement.scrollWidth')) as number) - ((await page.evaluate('document.documentElement.clientWidth')) as number);
}

/** Marks drawn in each chart of the page (Vega's SVG: the elements of every `role-mark` group). */
async function marksPerChart(): Promise<number[]> {
  const charts = page.locator('figure.chart');
  const counts: number[] = [];
  for (let i = 0; i < (await charts.count()); i += 1) counts.push(await charts.nth(i).locator('svg g.role-mark > *').count());
  return counts;
}

/** Newest modification time of the files under a folder. */
function newest(dir: string): number {
  return Math.max(0, ...(readdirSync(dir, { recursive: true }) as string[]).map((name) => statSync(join(dir, name)).mtimeMs));
}

/** dist/web when `npm run build` made it from the current web/ (as `npm test` does first), else a fresh build into `out`. */
async function builtDashboard(out: string): Promise<string> {
  const built = join(REPO, 'dist', 'web');
  if (existsSync(join(built, 'index.html')) && statSync(join(built, 'index.html')).mtimeMs >= newest(join(REPO, 'web'))) return built;
  await build({ configFile: join(REPO, 'web', 'vite.config.ts'), logLevel: 'error', build: { outDir: out, emptyOutDir: true } });
  return out;
}

const firstHeadline = (): Promise<string> => page.locator('[data-headline] [data-value]').first().innerText();

describe('the dashboard in Chromium, on the demo company', () => {
  beforeAll(async () => {
    if (!chromiumInstalled()) return;
    root = mkdtempSync(join(tmpdir(), 'cxray-dashboard-'));
    const web = await builtDashboard(join(root, 'web'));
    const ws = await demoWorkspace(join(root, 'ws'));
    server = await startServer(ws, { host: '127.0.0.1', port: 0, dashboard: web, log: (line) => consoleErrors.push(`server: ${line}`) });
    rmSync(SHOTS, { recursive: true, force: true });
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => consoleErrors.push(`page: ${error.message}`));
    await page.goto(server.url);
    await page.locator('#app:is([data-state="ready"], [data-state="error"])').waitFor();
    await expectReady();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (root !== undefined) rmSync(root, { recursive: true, force: true });
  });

  withBrowser('every page loads without a console error, each chart draws marks, nothing overflows at 375 px; a screenshot of each at 1280 and 375 px', async () => {
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      for (const name of PAGES) {
        await visit(`#/${name}`);
        const marks = await marksPerChart();
        expect(marks.length, `${name} has charts`).toBeGreaterThan(0);
        expect(marks.filter((n) => n === 0), `${name}: charts without marks`).toEqual([]);
        expect(await page.locator('[data-headline]').count(), `${name} has headline numbers`).toBeGreaterThan(0);
        if (width === 1280) headlines.set(name, await firstHeadline());
        else expect(await horizontalOverflow(), `${name} overflows at ${width} px`).toBeLessThanOrEqual(0);
        await shoot(name, width);
      }
    }
    expect(consoleErrors).toEqual([]);
  });

  withBrowser('a segment set in the filter bar changes the headline number of every page, and stays set from page to page', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await visit('#/overview');
    await page.getByLabel('Segment rule').fill(RETAIL);
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.locator('#app[data-page="overview"][data-route*="segment="]:is([data-state="ready"], [data-state="error"])').waitFor();
    for (const name of PAGES) {
      if (name !== 'overview') {
        await page.locator(`#nav a[data-nav="${name}"]`).click();
        await page.locator(`#app[data-page="${name}"][data-route*="segment="]:is([data-state="ready"], [data-state="error"])`).waitFor();
      }
      await expectReady();
      expect(await page.locator('[data-scope]').innerText()).toContain(`customers with ${RETAIL}`);
      const filtered = await firstHeadline();
      expect(filtered, `${name}: the headline ${filtered} did not change with the segment`).not.toBe(headlines.get(name));
    }
    expect(await page.getByLabel('Segment rule').inputValue()).toBe(RETAIL);
    expect(consoleErrors).toEqual([]);
  });

  withBrowser('a segment drills down to its customers, and a customer to their fit breakdown, history and comments', async () => {
    await visit('#/right-customers');
    const segmentLink = page.locator('[data-table="value/value_by_segment"] a[data-drill="segment"]').first();
    const level = await segmentLink.innerText();
    await segmentLink.click();
    await page.locator('#app[data-page="customers"][data-route*="segment="]:is([data-state="ready"], [data-state="error"])').waitFor();
    await expectReady();
    expect(await page.locator('[data-scope]').innerText()).toContain(level);
    const total = Number(await page.locator('table[data-customers]').getAttribute('data-customers'));
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThan(2000);
    const customerLink = page.locator('.customer-list a[data-drill="customer"]').first();
    const id = await customerLink.innerText();
    await customerLink.click();
    await page.locator('#app[data-page="customer"]:is([data-state="ready"], [data-state="error"])').waitFor();
    await expectReady();
    expect(await page.locator('[data-customer]').getAttribute('data-customer')).toBe(id);
    expect(await page.locator('[data-fit]').innerText()).toMatch(/^Fit score \d/);
    for (const heading of ['Fit score, taken apart', 'History by month', 'Survey answers and comments']) await expect(page.getByRole('heading', { name: heading }).count()).resolves.toBe(1);
    expect(await page.locator('section.block table').count()).toBeGreaterThanOrEqual(2);
    const hash = (await page.evaluate('location.hash')) as string;
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await visit(hash);
      if (width === 375) expect(await horizontalOverflow()).toBeLessThanOrEqual(0);
      await shoot('customer', width);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(consoleErrors).toEqual([]);
  });

  withBrowser('the what-if slider asks the what-if endpoint again and the estimate changes', async () => {
    await visit('#/perfect-customer');
    const panel = page.locator('.whatif');
    await page.locator('.whatif[data-whatif-state="ready"]').waitFor();
    const money = panel.locator('[data-whatif="money"] [data-value]');
    const before = await money.innerText();
    expect(before).toMatch(/a year$/);
    await panel.getByLabel('More percentage points of adoption').fill('25');
    await page.locator('.whatif[data-whatif-state="ready"][data-points="25"]').waitFor();
    const after = await money.innerText();
    expect(after).not.toBe(before);
    expect(await panel.locator('.whatif-scope').innerText()).toContain('+25 points');
    expect(consoleErrors).toEqual([]);
  });

  withBrowser('a table downloads as CSV for the page filter', async () => {
    const hash = `#/right-customers?${new URLSearchParams({ segment: RETAIL }).toString()}`;
    await visit(hash);
    const link = page.locator('a[data-csv="value/value_by_segment"]');
    expect(await link.getAttribute('href')).toBe(`/api/tables/value/value_by_segment.csv?${new URLSearchParams({ segment: RETAIL }).toString()}`);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('value-value_by_segment.csv');
    const path = await download.path();
    const lines = readFileSync(path, 'utf8').trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^grouping,level,pooled,customers,/);
    // Retail customers only: the segment grouping has one level left.
    expect(lines.filter((l) => l.startsWith('segment,')).map((l) => l.split(',')[1])).toEqual(['retail']);
    expect(consoleErrors).toEqual([]);
  });
});
