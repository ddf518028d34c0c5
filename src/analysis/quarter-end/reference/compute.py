#!/usr/bin/python3
"""Reference numbers for the quarter-end hazard model, written next to this script.

Run with Debian's interpreter (the first python3 on PATH does not see Debian's
packages), as test/references/compute.py explains:

    /usr/bin/python3 src/analysis/quarter-end/reference/compute.py

Writes subjects.csv (the fixture: one row per customer, as customer_facts
holds it) and phreg-reference.json (statsmodels' PHReg on those rows). The
customers are generated here from a fixed numpy RandomState seed, so the
TypeScript test loads exactly these rows into DuckDB and needs no Python:

- 3,000 customers signing up from 2023-01-01 to 2025-12-31 (as_of), one in
  four on one of the last 10 days of a calendar quarter (the push);
- churn with a Weibull baseline (shape 0.8: churn is highest early, as it
  is for real subscriptions; about 3% a month in the first half year), a
  hazard ratio of 1.8 for the push's customers and 2.5 for monthly contracts
  (half the customers), proportional at every tenure;
- follow-up to the end of as_of; churn days rounded up to whole days (at
  least 1), so many customers churn on the same day: ties, handled by
  Breslow's method in PHReg as in cxray's Poisson form.

The reference is PHReg(exposure_days, [push, monthly], status=churned,
ties="breslow"): log hazard ratios, their standard errors (inverse observed
information of the partial likelihood) and the log partial likelihood.

Versions used for the committed fixture: numpy 1.24.2, pandas 1.5.3,
statsmodels 0.13.5 (Debian 12 packages).
"""

import csv
import datetime as dt
import json
import os

import numpy as np
import pandas as pd
from statsmodels.duration.hazard_regression import PHReg

HERE = os.path.dirname(os.path.abspath(__file__))
START = dt.date(2023, 1, 1)
AS_OF = dt.date(2025, 12, 31)
WINDOW_DAYS = 10
HAZARD_RATIO = 1.8
MONTHLY_RATIO = 2.5
SHAPE = 0.8
SCALE_DAYS = 1644.0


def in_window(day):
    """The last WINDOW_DAYS days of a calendar quarter: WINDOW_DAYS days later is another quarter."""
    later = day + dt.timedelta(days=WINDOW_DAYS)
    return (later.year, (later.month - 1) // 3) != (day.year, (day.month - 1) // 3)


def main():
    rng = np.random.RandomState(5)
    days = [START + dt.timedelta(days=i) for i in range((AS_OF - START).days + 1)]
    window_days = [d for d in days if in_window(d)]
    other_days = [d for d in days if not in_window(d)]
    rows = []
    for i in range(3000):
        push = rng.uniform() < 0.25
        pool = window_days if push else other_days
        day = pool[rng.randint(len(pool))]
        minute = int(rng.randint(0, 1440))
        monthly = rng.uniform() < 0.5
        risk = (HAZARD_RATIO if push else 1.0) * (MONTHLY_RATIO if monthly else 1.0)
        # Weibull: H(t) = (t / scale)^shape · risk, so t = scale · (E / risk)^(1 / shape), E ~ Exp(1).
        churn_after = SCALE_DAYS * (rng.exponential() / risk) ** (1.0 / SHAPE)
        signup = dt.datetime(day.year, day.month, day.day) + dt.timedelta(minutes=minute)
        follow_up = int((dt.datetime(AS_OF.year, AS_OF.month, AS_OF.day) + dt.timedelta(days=1) - signup).total_seconds() // 86400)
        churn_day = max(1, int(np.ceil(churn_after)))
        churned = churn_day <= follow_up
        rows.append({
            "customer_id": f"c{i + 1:04d}",
            "signup_at": signup.strftime("%Y-%m-%d %H:%M:%S"),
            "exposure_days": churn_day if churned else max(1, follow_up),
            "churned": "true" if churned else "false",
            "contract_type": "monthly" if monthly else "annual",
            "push": int(push),
        })
    assert all(in_window(dt.date.fromisoformat(r["signup_at"][:10])) == bool(r["push"]) for r in rows)

    with open(os.path.join(HERE, "subjects.csv"), "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["customer_id", "signup_at", "exposure_days", "churned", "contract_type"], extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)

    frame = pd.DataFrame(rows)
    exog = np.column_stack([frame["push"].astype(float), (frame["contract_type"] == "monthly").astype(float)])
    status = (frame["churned"] == "true").astype(int).to_numpy()
    fit = PHReg(frame["exposure_days"].astype(float).to_numpy(), exog, status=status, ties="breslow").fit()
    payload = {
        "asOf": AS_OF.isoformat(),
        "windowDays": WINDOW_DAYS,
        "planted": {"pushHazardRatio": HAZARD_RATIO, "monthlyHazardRatio": MONTHLY_RATIO, "weibullShape": SHAPE},
        "customers": len(rows),
        "pushCustomers": int(frame["push"].sum()),
        "churned": int(status.sum()),
        "distinctChurnDays": int(len(set(frame.loc[status == 1, "exposure_days"]))),
        "phreg": {
            "names": ["push", "contract_type=monthly"],
            "logHazardRatios": [float(v) for v in fit.params],
            "standardErrors": [float(v) for v in fit.bse],
            "logPartialLikelihood": float(fit.llf),
        },
    }
    path = os.path.join(HERE, "phreg-reference.json")
    with open(path, "w") as handle:
        json.dump(payload, handle, indent=1, allow_nan=False)
        handle.write("\n")
    print("wrote", path, payload["customers"], "customers,", payload["churned"], "churned; HR", np.exp(fit.params), "SE", fit.bse)


if __name__ == "__main__":
    main()
