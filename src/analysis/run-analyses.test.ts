import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { valueConcentration } from '../simulate/value-concentration.js';
import { Workspace } from '../workspace/workspace.js';
import { ANALYSIS_NAMES } from './names.js';
import { NOT_IMPLEMENTED_REASON } from './not-implemented.js';
import { profileAnalysis } from './profile/index.js';
import { okResult, emptyParts } from './result-builder.js';
import { resultSchema, type Result } from './result.js';
import { runAnalyses } from './run-analyses.js';
import { makeShop } from './shop.case.js';
import type { Analysis } from './types.js';

let dir: string;
let ws: Workspace;

beforeAll(async () => {
  dir = makeShop();
  ws = new Workspace(dir);
  const imported = await ws.import();
  expect(imported.ledger.totals.quarantined).toBe(0);
});

function finding(result: Result | undefined, code: string) {
  return result?.findings.filter((f) => f.code === code) ?? [];
}

async function userError(promise: Promise<unknown>): Promise<UserError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}

describe('cxray analyze on a hand-made shop of 40 customers', () => {
  it('runs all 17 analyses in dependency order: profile, value, lifetime-value, fit, ideal-profile, misaligned, mix, bad-revenue and scorecard ok, the built ones (quarter-end, value-balance, comments and changes among them) skipped for what the shop lacks, the others honestly skipped', async () => {
    const out = await ws.analyze();
    expect(out.importVersion).toBe(1);
    expect(out.results.map((r) => r.name).sort()).toEqual([...ANALYSIS_NAMES].sort());
    const names = out.results.map((r) => r.name);
    expect(names.indexOf('fit')).toBeGreaterThan(names.indexOf('lifetime-value'));
    expect(names.indexOf('lifetime-value')).toBeGreaterThan(names.indexOf('value'));
    expect(names.indexOf('scorecard')).toBeGreaterThan(names.indexOf('key-drivers'));
    for (const r of out.results) {
      expect(resultSchema.safeParse(r).success, r.name).toBe(true);
      if (r.name === 'profile') expect(r.status).toBe('ok');
      // The shop declares no behaviour and asks one survey question: nothing to weigh, and each says so.
      else if (r.name === 'perfect-customer') expect([r.status, r.reason]).toEqual(['skipped', expect.stringMatching(/^No behaviour is declared/)]);
      else if (r.name === 'key-drivers') expect([r.status, r.reason]).toEqual(['skipped', expect.not.stringMatching(NOT_IMPLEMENTED_REASON)]);
      else if (r.name === 'value') expect([r.status, r.findings.length > 0]).toEqual(['ok', true]);
      // One purchase each: history carries no signal, and lifetime value says so instead of stating a value.
      else if (r.name === 'lifetime-value') expect([r.status, r.summary[0]]).toEqual(['ok', expect.stringMatching(/^Purchase history carries no usable signal/)]);
      // No interactions: cost to serve unknown, said; no segment flagged.
      else if (r.name === 'misaligned') expect([r.status, r.summary[0]]).toEqual(['ok', expect.stringMatching(/^No segment both costs more than it brings/)]);
      // Too little history to fit weights (20 customers a year before as_of): configured weights, said.
      else if (r.name === 'fit') expect([r.status, r.summary[0]]).toEqual(['ok', expect.stringMatching(/with configured weights \(only 20 customers in scope had started by 2024-12-31/)]);
      // Two attributes to write rules with, and no group standing out on 20 training customers.
      else if (r.name === 'ideal-profile') expect([r.status, r.summary[0]]).toEqual(['ok', expect.stringMatching(/^No group of customers described by up to 3 attributes/)]);
      // No ideal profile to follow: said, and the mix by channel instead (referral 80% of 2024's signups, 20% of 2025's).
      else if (r.name === 'mix') {
        expect([r.status, r.summary[0]]).toEqual(['ok', expect.stringMatching(/^The ideal-profile analysis found no rule that holds on held-out customers/)]);
        expect(r.findings.find((f) => f.code === 'mix.channel_drift' && f.text.startsWith('Fewer new customers have channel referral: 20.0%'))?.estimate).toBeCloseTo(-60, 9);
      }
      // The shop exports no referral programme: skipped, saying what to export.
      else if (r.name === 'referrals') expect([r.status, r.reason]).toEqual(['skipped', expect.stringMatching(/no referrals rows: export a referral programme export/)]);
      // Ten NPS answers tell detractors apart, but the one revenue line (purchases without a category) has 10 payers of known class, not 30.
      else if (r.name === 'bad-revenue') expect([r.status, r.summary[0]]).toEqual(['ok', expect.stringMatching(/^No revenue line could be compared: none has 30 paying customers whose class is known/)]);
      // No subscriptions or churn dates in the shop: skipped, saying what to export.
      else if (r.name === 'fee-aftermath') expect([r.status, r.reason]).toEqual(['skipped', expect.stringMatching(/no status_changes rows: export subscriptions or churn flags/)]);
      else if (r.name === 'quarter-end') expect([r.status, r.reason]).toEqual(['skipped', expect.stringMatching(/no status_changes rows: export subscriptions or churn flags/)]);
      // Ten NPS answers and no behaviour events: nothing measures the value delivered to 30 customers, and value-balance says so.
      else if (r.name === 'value-balance') expect([r.status, r.reason]).toEqual(['skipped', expect.stringMatching(/^Not enough data: nothing measures the value these customers get/)]);
      // One NPS question and no rated area: the scorecard scores no area, says so, and follows NPS by quarter and the contacts.
      else if (r.name === 'scorecard') expect([r.status, r.summary[0], r.tables.find((t) => t.name === 'satisfaction_over_time')?.rows.length]).toEqual(['ok', expect.stringMatching(/^No survey answer rates an experience area/), 1]);
      // No change recorded (`cxray changes add`) and no experiment declared: nothing to measure, and changes says how to record one.
      else if (r.name === 'changes') expect([r.status, r.reason]).toEqual(['skipped', expect.stringMatching(/^No change is stored in this workspace and cxray\.yaml declares no experiment: record one with `cxray changes add/)]);
      // The survey asks no open question: comments says how to map one.
      else if (r.name === 'comments') expect([r.status, r.reason]).toEqual(['skipped', expect.stringMatching(/^cxray\.yaml maps no free-text comment: survey_responses has no answers with instrument comment/)]);
      else expect([r.status, r.reason, r.findings.length]).toEqual(['skipped', NOT_IMPLEMENTED_REASON, 0]);
    }
  });

  it('profile reports the numbers the shop was built with', async () => {
    const [profile] = (await ws.analyze(['profile'])).results;
    expect(finding(profile, 'profile.customers')[0]?.estimate).toBe(40);
    const revenue = Float64Array.from({ length: 40 }, (_, k) => 10 * (k + 1));
    const reference = valueConcentration(revenue);
    expect(finding(profile, 'profile.top10_share')[0]?.estimate).toBeCloseTo(1540 / 8200, 12);
    expect(finding(profile, 'profile.top20_share')[0]?.estimate).toBeCloseTo(reference.top20Share, 12);
    expect(finding(profile, 'profile.gini')[0]?.estimate).toBeCloseTo(reference.gini, 12);
    const rate = finding(profile, 'profile.response_rate')[0];
    expect(rate?.estimate).toBe(0.25);
    expect(rate?.interval.lower).toBeCloseTo(0.1419, 3);
    const drift = finding(profile, 'profile.mix_drift').find((f) => f.text.includes('search'));
    expect(drift?.estimate).toBeCloseTo(60, 10);
    expect(drift?.qValue).toBeLessThan(0.05);
    expect(finding(profile, 'profile.channel_share.digital')[0]?.estimate).toBe(0.5);
    const ageBand = finding(profile, 'profile.digital_share_difference').find((f) => f.text.includes('age band 25-34'));
    expect(ageBand?.estimate).toBeCloseTo(100 - 100 / 3, 8);
    expect(finding(profile, 'profile.top_tier_difference').some((f) => f.text.includes('on age'))).toBe(true);
    // No cohort chart: each quarter's channel cells hold 4 and 1 customers, all suppressed.
    expect(profile?.charts.map((c) => c.title)).toEqual(['How customers reach the company, by segment', 'How concentrated revenue after refunds is (Lorenz curve)']);
    for (const chart of profile?.charts ?? []) expect(chart.data.values.length).toBeGreaterThan(0);
  });

  it('suppresses every group under 5 customers, in tables and findings', async () => {
    const [profile] = (await ws.analyze(['profile'])).results;
    for (const f of profile?.findings ?? []) expect(Number(f.n), f.code).toBeGreaterThanOrEqual(5);
    const shares = profile?.tables.find((t) => t.name === 'attribute_shares');
    const vip = shares?.rows.find((r) => r[0] === 'plan' && String(r[1]).startsWith('other values'));
    expect(vip).toEqual(['plan', 'other values (1)', null, null, null, null]);
    for (const table of profile?.tables ?? []) {
      for (const name of ['n', 'customers_in_touch']) {
        const at = table.columns.findIndex((c) => c.name === name);
        if (at < 0) continue;
        for (const row of table.rows) {
          const n = row[at];
          if (typeof n === 'number') expect(n, `${table.name}.${name}`).toBeGreaterThanOrEqual(5);
        }
      }
    }
  });

  it('applies a segment rule from the start and stores its result apart, under its normal form', async () => {
    const [retail] = (await ws.analyze(['profile'], { segment: 'SEGMENT = retail' })).results;
    expect(retail?.provenance.filter).toEqual({ segment: "segment = 'retail'" });
    expect(finding(retail, 'profile.customers')[0]?.estimate).toBe(20);
    expect(finding(retail, 'profile.segment_share')[0]?.estimate).toBe(0.5);
    const files = readdirSync(join(dir, 'results', 'v000001'));
    expect(files).toContain('profile.json');
    expect(files.some((f) => /^profile--[0-9a-f]{12}\.json$/.test(f))).toBe(true);
  });

  it('a period restricts event-based measures only', async () => {
    const [july] = (await ws.analyze(['profile'], { from: '2025-07-01', to: '2025-07-31' })).results;
    const channels = july?.tables.find((t) => t.name === 'contact_channels');
    const contactsAt = channels?.columns.findIndex((c) => c.name === 'contacts') ?? -1;
    expect(channels?.rows[0]?.[contactsAt]).toBe(40);
    expect(finding(july, 'profile.response_rate')[0]?.estimate).toBe(0);
    expect(finding(july, 'profile.customers')[0]?.estimate).toBe(40);
    const concentration = finding(july, 'profile.top10_share');
    expect(concentration).toEqual([]);
  });

  it('reuses a stored result while import, config and filter are unchanged; --fresh and a config change recompute', async () => {
    const first = (await ws.analyze(['profile'])).results[0];
    const again = (await ws.analyze(['profile'])).results[0];
    expect(again?.createdAt).toBe(first?.createdAt);
    await new Promise((r) => setTimeout(r, 5));
    const fresh = (await ws.analyze(['profile'], {}, { fresh: true })).results[0];
    expect(fresh?.createdAt).not.toBe(first?.createdAt);
    const stored = JSON.parse(readFileSync(join(dir, 'results', 'v000001', 'profile.json'), 'utf8')) as Result;
    expect(stored.createdAt).toBe(fresh?.createdAt);

    const yaml = readFileSync(join(dir, 'cxray.yaml'), 'utf8');
    writeFileSync(join(dir, 'cxray.yaml'), `${yaml}thresholds: {percentage_points: 70}\n`);
    try {
      const changed = (await ws.analyze(['profile'])).results[0];
      expect(changed?.createdAt).not.toBe(fresh?.createdAt);
      expect(changed?.provenance.configHash).not.toBe(fresh?.provenance.configHash);
      expect(changed?.method.thresholds.practical['percentage_points']).toBe(70);
      expect(changed?.warnings.some((w) => w.includes('changed since import version 1'))).toBe(true);
      // A 60-point drift no longer reaches a 70-point threshold.
      expect(finding(changed, 'profile.mix_drift')).toEqual([]);
    } finally {
      writeFileSync(join(dir, 'cxray.yaml'), yaml);
    }
  });

  it('unknown names and bad filters are user errors that say what to do', async () => {
    const name = await userError(ws.analyze(['profil']));
    expect([name.code, name.hint]).toEqual(['unknown_analysis', expect.stringContaining('Did you mean profile?')]);
    expect((await userError(ws.analyze(['profile'], { segment: 'segmnt = retail' }))).hint).toContain('Did you mean segment?');
    expect((await userError(ws.analyze(['profile'], { from: '2025-13-01' }))).code).toBe('bad_period');
    expect((await userError(ws.analyze(['profile'], { from: '2025-06-01', to: '2025-05-01' }))).code).toBe('bad_period');
    const empty = await userError(ws.analyze(['profile'], { segment: 'segment = retial' }));
    expect([empty.code, empty.hint]).toEqual(['segment_empty', expect.stringContaining("did you mean 'retail'?")]);
    const few = (await ws.analyze(['profile'], { segment: 'age < 23' })).results[0];
    expect([few?.status, few?.reason]).toEqual(['skipped', expect.stringContaining('fewer than 5 customers')]);
  });

  it('skips an analysis whose tables hold no rows, naming them and what to export; a crash is a failed result', async () => {
    const needsReferrals: Analysis = { ...profileAnalysis, name: 'referrals', needs: ['customers', 'referrals'], revision: 1 };
    const crashes: Analysis = {
      ...profileAnalysis,
      name: 'value',
      needs: ['customers'],
      run: async () => {
        throw new Error('boom');
      },
    };
    const honest: Analysis = { ...profileAnalysis, name: 'mix', needs: ['customers'], run: async (ctx) => okResult(ctx, honest, emptyParts(), { description: 'x', assumptions: [] }) };
    // Whatever an earlier analyze stored for mix stays as it was: a run without a results folder keeps nothing.
    const stored = join(dir, 'results', 'v000001', 'mix.json');
    const before = existsSync(stored) ? readFileSync(stored, 'utf8') : null;
    const store = await ws.openStore();
    try {
      const loaded = await ws.config();
      const ledger = (await ws.versions())[0];
      if (ledger === undefined) throw new Error('no ledger');
      const out = await runAnalyses(
        { workspace: dir, engine: store.engine, ledger, config: loaded.config, configHash: loaded.hash, resultsDir: null, analyses: [needsReferrals, crashes, honest] },
        {},
      );
      const [referrals, value, mix] = out.results;
      expect(referrals?.status).toBe('skipped');
      expect(referrals?.reason).toMatch(/no referrals rows: export a referral programme export/);
      expect(value?.status).toBe('failed');
      expect(value?.reason).toContain('boom');
      expect(mix?.status).toBe('ok');
    } finally {
      await store.close();
    }
    expect(existsSync(stored) ? readFileSync(stored, 'utf8') : null).toBe(before);
  });
});
