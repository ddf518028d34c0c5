import type { Finding } from '../result.js';
import { DIFFERENCE_UNITS } from '../thresholds.js';
import { scaleInterval } from '../wording.js';
import type { Claim } from './quarter-end-claims.js';
import type { HazardModel } from './hazard-model.js';
import type { IntakeComparison } from './intake-model.js';
import type { RefundComparison, SatisfactionComparison } from './outcome-comparisons.js';
import type { PushBalance } from './push-balance.js';

const tested = (c: Claim): Pick<Finding, 'pValue' | 'qValue'> => ({ pValue: c.pValue, qValue: c.qValue });

/** More sales per day in the windows: the push exists (information, not a fault). */
export function intakeFinding(c: IntakeComparison, claim: Claim, text: string, currency: string): Finding {
  return {
    code: c.measure === 'customers' ? 'quarter-end.intake' : 'quarter-end.revenue',
    text,
    estimate: c.ratio.rateRatio,
    unit: 'ratio',
    interval: c.ratio.rateRatioInterval,
    n: Math.round(c.measure === 'customers' ? c.windowTotal + c.otherTotal : c.windowDays + c.otherDays),
    ...tested(claim),
    severity: 'info',
    ...(c.measure === 'revenue' ? { moneyAtStake: { amount: Math.round(c.windowTotal * (1 - 1 / c.ratio.rateRatio) * 100) / 100, currency, period: 'total' as const } } : {}),
  };
}

export function refundFinding(r: RefundComparison, claim: Claim, text: string): Finding {
  const d = r.difference;
  return {
    code: 'quarter-end.early_refunds',
    text,
    estimate: d.estimate * 100,
    unit: DIFFERENCE_UNITS.percentagePoints,
    interval: scaleInterval(d.interval, 100),
    n: d.n[0] + d.n[1],
    ...tested(claim),
    severity: d.estimate > 0 ? 'medium' : 'info',
  };
}

export function satisfactionFinding(s: SatisfactionComparison, claim: Claim, text: string): Finding {
  const d = s.difference;
  return {
    code: `quarter-end.${s.instrument}`,
    text,
    estimate: d.estimate,
    unit: DIFFERENCE_UNITS.points,
    interval: d.interval,
    n: d.n[0] + d.n[1],
    ...tested(claim),
    severity: d.estimate < 0 ? 'medium' : 'info',
  };
}

export function hazardFinding(h: HazardModel, claim: Claim, text: string): Finding {
  return {
    code: 'quarter-end.churn_hazard',
    text,
    estimate: h.adjusted.rateRatio,
    unit: 'hazard_ratio',
    interval: h.adjusted.rateRatioInterval,
    n: h.window.customers + h.others.customers,
    ...tested(claim),
    severity: h.adjusted.rateRatio > 1 ? 'medium' : 'info',
  };
}

/** The push's money: an alert (`high`) when it clearly costs more than it brings; `info` when it clearly pays. */
export function balanceFinding(b: PushBalance, text: string, currency: string, alert: boolean): Finding {
  return {
    code: 'quarter-end.push_balance',
    text,
    estimate: b.net,
    unit: currency,
    interval: b.interval,
    n: b.windowCustomers,
    moneyAtStake: { amount: Math.round(b.net * 100) / 100, currency, period: 'total' },
    severity: alert ? 'high' : 'info',
  };
}
