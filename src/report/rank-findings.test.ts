import { describe, expect, it } from 'vitest';
import type { AnalysisName } from '../analysis/names.js';
import type { Finding, Result, Severity } from '../analysis/result.js';
import { executiveSentence, rankFindings, yearlyMoney } from './rank-findings.js';
import { sentences } from './sentence.js';

const interval = { lower: 1, upper: 3, level: 0.95 };

function finding(code: string, severity: Severity, extra: Partial<Finding> = {}): Finding {
  return { code: `x.${code}`, text: `${code} is 2 (95% CI 1 to 3; n = 10).`, estimate: 2, unit: 'points', interval, n: 10, severity, ...extra };
}

function result(name: AnalysisName, findings: Finding[], status: Result['status'] = 'ok'): Result {
  return {
    schemaVersion: 1,
    name,
    status,
    ...(status === 'ok' ? {} : { reason: 'Needs transactions.' }),
    importVersion: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    provenance: { cxrayVersion: '0', configHash: 'h', inputHashes: {}, seed: 1, filter: {} },
    summary: [],
    findings,
    tables: [],
    charts: [],
    method: { description: '', assumptions: [], thresholds: { fdr: 0.05, practical: {}, minimumCellCount: 5 }, revision: 1 },
    warnings: [],
  };
}

const money = (amount: number, period: 'total' | 'year' | 'quarter' | 'month') => ({ moneyAtStake: { amount, currency: 'USD', period } });

describe('the executive ranking', () => {
  it('orders by severity, then money a year, then n; info findings and results that did not run are left out', () => {
    const ranked = rankFindings([
      result('profile', [finding('described', 'info', money(1e9, 'total')), finding('low', 'low', { n: 5000 })]),
      result('value', [finding('monthly', 'high', money(-1000, 'month'))]),
      result('fit', [finding('yearly', 'high', money(11000, 'year'))]),
      result('mix', [finding('many', 'high', { n: 900 })]),
      result('misaligned', [finding('medium', 'medium', money(5, 'quarter'))]),
      result('referrals', [finding('skipped', 'high', money(1e9, 'year'))], 'skipped'),
    ]);
    expect(ranked.map((r) => r.finding.code)).toEqual(['x.monthly', 'x.yearly', 'x.many', 'x.medium', 'x.low']);
    expect(ranked[0]?.yearlyMoney).toBe(12000);
    expect(yearlyMoney(finding('q', 'high', money(5, 'quarter')))).toBe(20);
  });

  it('takes one finding per analysis first, then fills to five; a repeated sentence is shown once', () => {
    const same = 'Referral share fell by 4 points (95% CI 1 to 7; n = 50).';
    const ranked = rankFindings([
      result('value', [finding('a1', 'high', money(900, 'year')), finding('a2', 'high', money(800, 'year')), finding('a3', 'high', money(700, 'year'))]),
      result('profile', [finding('p1', 'low', { text: same })]),
      result('mix', [finding('m1', 'low', { text: same })]),
      result('fit', [finding('f1', 'medium')]),
    ]);
    expect(ranked.map((r) => r.finding.code)).toEqual(['x.a1', 'x.a2', 'x.a3', 'x.f1', 'x.p1']);
    expect(rankFindings([result('value', [finding('a', 'high')])], 5)).toHaveLength(1);
  });

  it('shows the first sentence that states an interval, else the first sentence followed by the estimate and interval from the fields', () => {
    expect(executiveSentence(finding('x', 'high', { text: 'Fees rose. Detractors pay 1.44x their share (95% CI 1.25x to 1.65x). More follows.' }))).toBe('Detractors pay 1.44x their share (95% CI 1.25x to 1.65x).');
    expect(executiveSentence(finding('x', 'high', { text: 'Billing is weak: 29.8 of 100 against 56.7 overall. Fix it first.', estimate: -26.8, interval: { lower: -28, upper: -25.6, level: 0.95 } }))).toBe(
      'Billing is weak: 29.8 of 100 against 56.7 overall; estimate -26.80 points (95% CI -28 to -25.60).',
    );
  });

  it('splits sentences at full stops, not at decimals, amounts or abbreviations', () => {
    expect(sentences('Revenue is $1,068.50 per customer (e.g. Stripe payments). A ratio of 1.5x holds. 95% CI shown.')).toEqual([
      'Revenue is $1,068.50 per customer (e.g. Stripe payments).',
      'A ratio of 1.5x holds.',
      '95% CI shown.',
    ]);
  });
});
