"""The quarter-end push's money over the customers' first months (quarter-end/push-balance.ts).

Had there been no push, window customers / intake ratio customers would have
come in those days; the push brought the rest at the value of another
customer (margin per active month × months active by the others' survival,
less early refunds), and its customers cost their excess early refunds and
the months of margin lost to faster churn (the others' survival raised to
the hazard ratio). Survival past the others' reliable months (20 at risk)
continues at the mean monthly churn share of their last 6. Delta-method
interval over the log intake ratio, the log hazard ratio and the two groups'
mean early refunds; the margin and the survival curve taken as known.
"""

from __future__ import annotations

import math

from stats import Z

DAYS_PER_MONTH = 30.4375
RELIABLE_AT_RISK = 20
TAIL_MONTHS = 6


def survival_curve(points: list[dict], months: int) -> list[float] | None:
    reliable = [p for p in points if p['at_risk'] >= RELIABLE_AT_RISK]
    if not reliable:
        return None
    shares = [1 - p['survival'] / (1.0 if i == 0 else reliable[i - 1]['survival']) for i, p in enumerate(reliable)]
    tail = shares[-TAIL_MONTHS:]
    tail_share = sum(tail) / len(tail)
    curve, s = [], 1.0
    for m in range(months):
        s *= 1 - (shares[m] if m < len(shares) else tail_share)
        curve.append(max(0.0, s))
    return curve


def active_months(curve: list[float], hazard_ratio: float) -> tuple[float, float]:
    """Active months (trapezoid between month ends) of survival S^HR, and its derivative in log HR."""
    months = slope = 0.0
    before = 1.0
    for s in curve:
        a, b = before ** hazard_ratio, s ** hazard_ratio
        months += (a + b) / 2
        da = hazard_ratio * math.log(before) * a if before > 0 else 0.0
        db = hazard_ratio * math.log(s) * b if s > 0 else 0.0
        slope += (da + db) / 2
        before = s
    return months, slope


def push_balance(intake: dict, model: dict | None, refunds: dict | None, window: dict, others: dict, other_points: list[dict], horizon: int) -> dict | None:
    exposure_months = (window['exposure_days'] + others['exposure_days']) / DAYS_PER_MONTH
    if exposure_months <= 0:
        return None
    margin = (window['margin'] + others['margin']) / exposure_months
    curve = survival_curve(other_points, horizon)
    hr = model['adjusted']['hazard_ratio'] if model else 1.0
    other = (horizon, 0.0) if curve is None else active_months(curve, 1.0)
    win = other if curve is None or model is None else active_months(curve, hr)
    refund_window = refunds['window_money']['mean'] if refunds else 0.0
    refund_other = refunds['other_money']['mean'] if refunds else 0.0
    n = window['customers']
    ir = intake['ratio']
    other_value = margin * other[0] - refund_other
    extra = n * (1 - 1 / ir)
    brought = extra * other_value
    refund_cost = n * (refund_window - refund_other)
    churn_cost = n * margin * (other[0] - win[0])
    net = brought - refund_cost - churn_cost
    of_mean = lambda m: m['sd'] ** 2 / m['n'] if m['n'] > 0 else 0.0  # noqa: E731
    log_hr_se = model['adjusted']['standard_error'] if model else 0.0
    variance = (n * other_value / ir) ** 2 * intake['standard_error'] ** 2 + (n * margin * win[1]) ** 2 * log_hr_se ** 2
    if refunds:
        variance += n ** 2 * of_mean(refunds['window_money']) + (n / ir) ** 2 * of_mean(refunds['other_money'])
    half = Z * math.sqrt(variance)
    return {
        'horizon': horizon, 'window_customers': n, 'extra_customers': extra, 'monthly_margin': margin, 'other_active_months': other[0], 'window_active_months': win[0],
        'other_value': other_value, 'brought': brought, 'refund_cost': refund_cost, 'churn_cost': churn_cost, 'net': net, 'lower': net - half, 'upper': net + half,
    }


def balance_rows(b: dict, currency: str) -> list[list]:
    """quarter-end-tables.ts balanceTable: item, value, unit."""
    h = b['horizon']
    return [
        ['customers acquired in the windows', b['window_customers'], 'customers'],
        ['of them, added by the push', b['extra_customers'], 'customers'],
        ['margin per active customer-month', b['monthly_margin'], currency],
        [f'active months in the first {h}, other customers', b['other_active_months'], 'months'],
        [f'active months in the first {h}, window customers', b['window_active_months'], 'months'],
        [f'value of another customer over {h} months', b['other_value'], currency],
        ['brought by the extra customers', b['brought'], currency],
        ['excess early refunds', b['refund_cost'], currency],
        ['value lost to faster churn', b['churn_cost'], currency],
        ['net', b['net'], currency],
        ['net, lower bound', b['lower'], currency],
        ['net, upper bound', b['upper'], currency],
    ]
