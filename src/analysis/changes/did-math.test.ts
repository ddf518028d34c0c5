import { describe, expect, it } from 'vitest';
import { expectClose } from '../../stats/reference.case.js';
import { clusteredContrast, combinePeriods, differenceInDifferences, estimable } from './did-math.js';
import { didReference, momentsInMemory, netScore } from './reference.case.js';

// The cluster-robust contrast from per-customer sums against statsmodels'
// cov_type='cluster' (reference/compute.py: OLS on the answers, WLS on
// rates per customer-month, a Poisson GLM with offset), on the fixture's
// rows aggregated here in memory. Estimates and standard errors to 1e-9
// relative: the same closed-form numbers, computed two ways.

const { reference, answers, periods } = didReference();
const ms = (day: string): number => Date.parse(`${day}T00:00:00Z`);
const at = (text: string): number => Date.parse(`${text.replace(' ', 'T')}Z`);
const W = { before: ms(reference.windows.beforeStart), placebo: ms(reference.windows.placebo), change: ms(reference.windows.change), after: ms(reference.windows.afterEnd) };

function nps(pair: 'main' | 'placebo') {
  const [start, split, end] = pair === 'main' ? [W.before, W.change, W.after] : [W.before, W.placebo, W.change];
  return momentsInMemory(answers, 2, (a) => {
    const t = at(a.at);
    if (t < start || t >= end) return null;
    return { customer: a.customerId, group: a.region === 'North' ? 1 : 0, period: t >= split ? 1 : 0, n: 1, y: netScore(a.score) };
  });
}

describe('the cluster-robust difference-in-differences against statsmodels', () => {
  it('NPS: OLS of net scores on the answers, group × after, clustered by customer', () => {
    const { moments, customers, observations } = nps('main');
    expect([observations, customers[0] + customers[1]]).toEqual([reference.nps.nobs, reference.nps.groups]);
    const did = differenceInDifferences(moments[1], moments[0], { scale: 'difference', clusters: customers[0] + customers[1], observations });
    expectClose(did.estimate, reference.nps.params[3] ?? Number.NaN, 1e-9, 0, 'DiD');
    expectClose(did.standardError, reference.nps.bse[3] ?? Number.NaN, 1e-9, 0, 'SE');
    expectClose(did.interval.lower, reference.nps.interval[0], 1e-9, 1e-9, 'lower');
    expectClose(did.interval.upper, reference.nps.interval[1], 1e-9, 1e-9, 'upper');
    // The cells' means are the regression's fitted values: the comparison's before mean is the intercept.
    expectClose(did.means[1]?.[0] ?? Number.NaN, reference.nps.params[0] ?? Number.NaN, 1e-12, 1e-12, 'intercept');
  });

  it('the pre-trend: the same on the before window split at the placebo date', () => {
    const { moments, customers, observations } = nps('placebo');
    const did = differenceInDifferences(moments[1], moments[0], { scale: 'difference', clusters: customers[0] + customers[1], observations });
    expectClose(did.estimate, reference.npsPlacebo.params[3] ?? Number.NaN, 1e-9, 0, 'placebo DiD');
    expectClose(did.standardError, reference.npsPlacebo.bse[3] ?? Number.NaN, 1e-9, 0, 'placebo SE');
  });

  it('the halves of a window add up: the before window from its two halves gives the main DiD', () => {
    const [start, split1, split2, end] = [W.before, W.placebo, W.change, W.after];
    const three = momentsInMemory(answers, 3, (a) => {
      const t = at(a.at);
      if (t < start || t >= end) return null;
      return { customer: a.customerId, group: a.region === 'North' ? 1 : 0, period: t >= split2 ? 2 : t >= split1 ? 1 : 0, n: 1, y: netScore(a.score) };
    });
    const rows = [
      [1, 1, 0],
      [0, 0, 1],
    ];
    const did = differenceInDifferences(combinePeriods(three.moments[1], rows), combinePeriods(three.moments[0], rows), {
      scale: 'difference',
      clusters: three.customers[0] + three.customers[1],
      observations: three.observations,
    });
    expectClose(did.standardError, reference.nps.bse[3] ?? Number.NaN, 1e-9, 0, 'SE from halves');
  });

  it('an experiment readout: the difference of two groups\' means over every answer (OLS on [1, north])', () => {
    const { moments, customers, observations } = momentsInMemory(answers, 1, (a) => ({ customer: a.customerId, group: a.region === 'North' ? 1 : 0, period: 0, n: 1, y: netScore(a.score) }));
    const two = clusteredContrast(
      [
        { moments: moments[1], signs: [1] },
        { moments: moments[0], signs: [-1] },
      ],
      { scale: 'difference', clusters: customers[0] + customers[1], observations },
    );
    expectClose(two.estimate, reference.npsTwoGroup.params[1] ?? Number.NaN, 1e-9, 0, 'difference');
    expectClose(two.standardError, reference.npsTwoGroup.bse[1] ?? Number.NaN, 1e-9, 0, 'SE');
  });

  it('a rate per customer-month: WLS of money/months weighted by months', () => {
    const { moments, customers, observations } = momentsInMemory(periods, 2, (r) => (r.months > 0 ? { customer: r.customerId, group: r.treated, period: r.period, n: r.months, y: r.money } : null));
    expect([observations, customers[0] + customers[1]]).toEqual([reference.rate.nobs, reference.rate.groups]);
    const did = differenceInDifferences(moments[1], moments[0], { scale: 'difference', clusters: customers[0] + customers[1], observations });
    expectClose(did.estimate, reference.rate.params[3] ?? Number.NaN, 1e-9, 0, 'rate DiD');
    expectClose(did.standardError, reference.rate.bse[3] ?? Number.NaN, 1e-9, 0, 'rate SE');
  });

  it('churn: a Poisson regression of events with offset log(months), the interaction a log ratio of rates', () => {
    const { moments, customers, observations } = momentsInMemory(periods, 2, (r) => (r.months > 0 ? { customer: r.customerId, group: r.treated, period: r.period, n: r.months, y: r.events } : null));
    const did = differenceInDifferences(moments[1], moments[0], { scale: 'log_ratio', clusters: customers[0] + customers[1], observations });
    expectClose(did.estimate, reference.logRate.params[3] ?? Number.NaN, 1e-9, 0, 'log DiD');
    expectClose(did.standardError, reference.logRate.bse[3] ?? Number.NaN, 1e-8, 0, 'log SE');
  });

  it('refuses a contrast with an empty cell, or with no events on the log scale', () => {
    const { moments, customers, observations } = nps('main');
    const empty = { ...moments[0], n: [0, moments[0].n[1] ?? 0], y: [0, moments[0].y[1] ?? 0] };
    expect(estimable([{ moments: empty, signs: [1, -1] }], 'difference')).toBe(false);
    expect(() => differenceInDifferences(moments[1], empty, { scale: 'difference', clusters: customers[0] + customers[1], observations })).toThrow(RangeError);
    const noEvents = { ...moments[0], y: [0, 0] };
    expect(estimable([{ moments: noEvents, signs: [1, -1] }], 'log_ratio')).toBe(false);
  });
});
