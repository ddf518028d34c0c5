import { appendFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { standardCompany } from '../../../test/helpers/company.js';
import { initWorkspace } from '../../init/index.js';
import { companyCostsYaml } from '../../simulate/index.js';
import { readTruth, type Truth } from '../../simulate/truth.js';
import { Workspace } from '../../workspace/workspace.js';
import type { Result } from '../result.js';
import { screenWorkspace } from './screening.case.js';
import { importCached } from '../../../test/helpers/import-cache.js';

// The standard simulated company (20,000 customers, seed 1) through init and
// import, with its support costs appended. The simulator writes six events to
// ga4-events.csv (src/simulate/customer-life.ts, simulate-company.ts):
// autopay_on, paperless_billing_on and self_service_login (adoption, in the
// first days after signup; self-service logins recur), referral_sent (a
// referrer, before the referred customer signs up), app_login and page_view
// (Poisson per active month, for everyone). Planted links to satisfaction
// (truth.json): self_service_login (a +0.3 sd shift of the latent
// recommendation) and referral_sent (unhappy customers' referrals are
// accepted less often); autopay_on and paperless_billing_on have a shift of
// 0; app_login and page_view have none. No event changes the churn hazard.

let truth: Truth;
let result: Result;
let rows: Record<string, unknown>[];
const get = (event: string, outcome: string): Record<string, unknown> | undefined => rows.find((r) => r['event'] === event && r['outcome'] === outcome);

beforeAll(async () => {
  const company = standardCompany();
  truth = await readTruth(join(company, 'truth.json'));
  const dir = mkdtempSync(join(tmpdir(), 'cxray-screening-sim-'));
  const files = readdirSync(company).filter((f) => f.endsWith('.csv')).map((f) => join(company, f));
  await initWorkspace({ dir, from: files, force: false });
  appendFileSync(join(dir, 'cxray.yaml'), companyCostsYaml());
  const ws = new Workspace(dir);
  await importCached(ws);
  result = await screenWorkspace(ws);
  const t = result.tables.find((x) => x.name === 'behaviour_screening');
  rows = (t?.rows ?? []).map((r) => Object.fromEntries((t?.columns ?? []).map((c, i) => [c.name, r[i]])));
}, 300_000);

describe('behaviour screening on the simulated company', () => {
  it('screens every event the simulator emits, none below support, against retention and satisfaction', () => {
    expect([result.status, result.reason]).toEqual(['ok', undefined]);
    const events = [...new Set(rows.map((r) => r['event']))].sort();
    expect(events).toEqual(['app_login', 'autopay_on', 'page_view', 'paperless_billing_on', 'referral_sent', 'self_service_login']);
    expect(rows).toHaveLength(12);
    expect(result.summary[0]).toMatch(/^Behaviour screening: 6 of 6 events seen had enough support \(0 below\)/);
  });

  it('finds the planted satisfaction links (self_service_login, referral_sent), each more satisfied, and no other event', () => {
    const planted = new Set([...truth.behaviours.filter((b) => b.planted.satisfactionShift > 0).map((b) => b.event), truth.referring.event]);
    expect([...planted].sort()).toEqual(['referral_sent', 'self_service_login']);
    for (const event of planted) {
      const r = get(event, 'satisfaction');
      expect(r?.['passes'], event).toBe(true);
      expect(r?.['difference'] as number, event).toBeGreaterThan(0);
      expect(r?.['odds_ratio'] as number, event).toBeGreaterThan(1);
    }
    for (const event of ['autopay_on', 'paperless_billing_on', 'app_login', 'page_view']) expect(get(event, 'satisfaction')?.['passes'], event).toBe(false);
    const satisfied = result.findings.filter((f) => f.code === 'perfect_customer.screen.satisfaction');
    expect(satisfied.map((f) => f.text.match(/^Customers who did (\w+)/)?.[1])).toEqual(['self_service_login', 'referral_sent']);
    for (const f of satisfied) expect(f.text).toMatch(/association, not an effect/);
  });

  it('passes no event for retention: no event changes the churn hazard, and events done more by long-standing customers are compared within tenure bands', () => {
    // app_login and page_view recur with every active month: over all customers their doers churn
    // less (long-standing customers are those selected for a low hazard); within quarter-year tenure
    // bands the gap is gone.
    for (const r of rows.filter((x) => x['outcome'] === 'retention')) expect(r['passes'], String(r['event'])).toBe(false);
    const login = get('app_login', 'retention');
    expect(Math.abs(login?.['within_tenure_difference'] as number)).toBeLessThan(Math.abs(login?.['difference'] as number));
  });
});
