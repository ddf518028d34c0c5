#!/usr/bin/python3
"""Reference numbers for the changes analysis, written next to this script.

Run with Debian's interpreter (the first python3 on PATH does not see Debian's
packages), as test/references/compute.py explains:

    /usr/bin/python3 src/analysis/changes/reference/compute.py

Writes two fixtures, generated here from a fixed numpy RandomState seed, and
did-reference.json, statsmodels' fits on them, so the TypeScript tests load
exactly these rows and need no Python:

- responses.csv: 300 customers (a third in region North), each answering the
  NPS question a Poisson(4) number of times, uniformly from 2025-01-01 to
  2026-06-30 (as_of); a customer's answers share a random level (so they are
  correlated and the clustering matters), and North's answers from the change
  date 2025-10-01 on are shifted up. The change's windows, by cxray's
  defaults: before 2025-04-01 to 2025-10-01, after 2025-10-01 to 2026-04-01,
  placebo date 2025-07-01 (half-way through the before window); answers
  outside them are in the file and must be left out.
- periods.csv: 400 customers (a third treated) with two periods each:
  months present (some zero: absent), churn events and money in the period.

The references, all with cov_type='cluster' by customer (CR1: the
sandwich times G/(G-1) * (N-1)/(N-K)):
- nps: OLS of the response's net score (100 promoter, 0 passive, -100
  detractor) on [1, north, after, north*after] over the answers in the two
  windows; the same on the before window with the placebo date (pre-trend);
  and the OLS of the score on [1, north] over every answer (a two-group
  comparison, as an experiment readout is);
- rate (revenue per customer-month): WLS of money/months on the same design
  with weights months, over the rows with months > 0;
- log rate (churn): Poisson GLM of events with offset log(months).

Versions used for the committed fixture: numpy 1.24.2, pandas 1.5.3,
statsmodels 0.13.5 (Debian 12 packages).
"""

import csv
import datetime as dt
import json
import os

import numpy as np
import pandas as pd
import statsmodels.api as sm

HERE = os.path.dirname(os.path.abspath(__file__))
START = dt.datetime(2025, 1, 1)
END = dt.datetime(2026, 7, 1)
BEFORE_START = dt.datetime(2025, 4, 1)
PLACEBO = dt.datetime(2025, 7, 1)
CHANGE = dt.datetime(2025, 10, 1)
AFTER_END = dt.datetime(2026, 4, 1)
REGIONS = ['South', 'East', 'West']


def net_score(score):
    return 100 if score >= 9 else (-100 if score <= 6 else 0)


def fit_summary(result, index, groups):
    ci = np.asarray(result.conf_int())
    return {
        'params': [float(v) for v in np.asarray(result.params)],
        'bse': [float(v) for v in np.asarray(result.bse)],
        'interval': [float(ci[index, 0]), float(ci[index, 1])],
        'useT': bool(result.use_t),
        'nobs': int(result.nobs),
        'groups': int(len(np.unique(groups))),
    }


def responses(rng):
    rows = []
    span = (END - START).total_seconds()
    for i in range(300):
        cid = 'c%03d' % (i + 1)
        north = rng.uniform() < 1 / 3
        region = 'North' if north else REGIONS[rng.randint(0, 3)]
        level = rng.normal(0, 1.6)
        for _ in range(rng.poisson(4)):
            at = START + dt.timedelta(seconds=int(rng.uniform() * span))
            shift = 0.9 if north and at >= CHANGE else 0.0
            score = int(min(10, max(0, round(7.2 + level + shift + rng.normal(0, 1.8)))))
            rows.append({'customer_id': cid, 'region': region, 'at': at.strftime('%Y-%m-%d %H:%M:%S'), 'score': score})
    rows.sort(key=lambda r: (r['customer_id'], r['at']))
    return rows


def periods(rng):
    rows = []
    for i in range(400):
        cid = 'p%03d' % (i + 1)
        treated = 1 if rng.uniform() < 1 / 3 else 0
        frailty = rng.gamma(2.0, 0.5)
        spend = rng.gamma(3.0, 15.0)
        for period in (0, 1):
            months = 0.0 if rng.uniform() < 0.1 else round(float(rng.uniform(0.5, 6.0)), 4)
            rate = 0.03 * frailty * (0.7 if treated and period == 1 else 1.0)
            events = int(rng.poisson(rate * months)) if months > 0 else 0
            money = round(float(months * spend * (1.15 if treated and period == 1 else 1.0) + rng.normal(0, 20) * np.sqrt(months)), 2) if months > 0 else 0.0
            rows.append({'customer_id': cid, 'treated': treated, 'period': period, 'months': months, 'events': events, 'money': money})
    return rows


def write_csv(name, rows, columns):
    with open(os.path.join(HERE, name), 'w', newline='') as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator='\n')
        writer.writeheader()
        for r in rows:
            writer.writerow(r)


def did_design(frame, treated, after):
    x = pd.DataFrame({'const': 1.0, 'treated': frame[treated].astype(float), 'after': frame[after].astype(float)})
    x['treated_after'] = x['treated'] * x['after']
    return x


def main():
    rng = np.random.RandomState(8)
    answers = responses(rng)
    write_csv('responses.csv', answers, ['customer_id', 'region', 'at', 'score'])
    table = pd.DataFrame(answers)
    table['at'] = pd.to_datetime(table['at'])
    table['y'] = table['score'].map(net_score).astype(float)
    table['north'] = (table['region'] == 'North').astype(int)

    main_rows = table[(table['at'] >= BEFORE_START) & (table['at'] < AFTER_END)].copy()
    main_rows['after'] = (main_rows['at'] >= CHANGE).astype(int)
    nps = sm.OLS(main_rows['y'], did_design(main_rows, 'north', 'after')).fit(cov_type='cluster', cov_kwds={'groups': main_rows['customer_id'].astype('category').cat.codes})

    pre_rows = table[(table['at'] >= BEFORE_START) & (table['at'] < CHANGE)].copy()
    pre_rows['after'] = (pre_rows['at'] >= PLACEBO).astype(int)
    placebo = sm.OLS(pre_rows['y'], did_design(pre_rows, 'north', 'after')).fit(cov_type='cluster', cov_kwds={'groups': pre_rows['customer_id'].astype('category').cat.codes})

    two = pd.DataFrame({'const': 1.0, 'north': table['north'].astype(float)})
    groups_all = table['customer_id'].astype('category').cat.codes
    two_group = sm.OLS(table['y'], two).fit(cov_type='cluster', cov_kwds={'groups': groups_all})

    spans = periods(rng)
    write_csv('periods.csv', spans, ['customer_id', 'treated', 'period', 'months', 'events', 'money'])
    frame = pd.DataFrame(spans)
    frame = frame[frame['months'] > 0].copy()
    codes = frame['customer_id'].astype('category').cat.codes
    x = did_design(frame, 'treated', 'period')
    rate = sm.WLS(frame['money'] / frame['months'], x, weights=frame['months']).fit(cov_type='cluster', cov_kwds={'groups': codes})
    poisson = sm.GLM(frame['events'], x, family=sm.families.Poisson(), offset=np.log(frame['months'])).fit(cov_type='cluster', cov_kwds={'groups': codes})

    payload = {
        'note': 'Written by compute.py; see its docstring.',
        'windows': {'beforeStart': '2025-04-01', 'placebo': '2025-07-01', 'change': '2025-10-01', 'afterEnd': '2026-04-01', 'asOf': '2026-06-30'},
        'nps': fit_summary(nps, 3, main_rows['customer_id']),
        'npsPlacebo': fit_summary(placebo, 3, pre_rows['customer_id']),
        'npsTwoGroup': fit_summary(two_group, 1, table['customer_id']),
        'rate': fit_summary(rate, 3, frame['customer_id']),
        'logRate': fit_summary(poisson, 3, frame['customer_id']),
        'counts': {
            'answers': int(len(table)),
            'answersInWindows': int(len(main_rows)),
            'customersNorth': int(table.drop_duplicates('customer_id')['north'].sum()),
            'periodRows': int(len(frame)),
            'events': [int(frame[(frame['treated'] == g) & (frame['period'] == p)]['events'].sum()) for g in (0, 1) for p in (0, 1)],
        },
    }
    with open(os.path.join(HERE, 'did-reference.json'), 'w') as f:
        json.dump(payload, f, indent=2)
        f.write('\n')


if __name__ == '__main__':
    main()
