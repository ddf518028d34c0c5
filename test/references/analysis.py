#!/usr/bin/python3
"""Reference values for the analyses' regressions (src/analysis/regression),
written as JSON fixtures next to this script. Run with Debian's interpreter:

    /usr/bin/python3 test/references/analysis.py

Versions used for the committed fixtures: statsmodels 0.13.5, pandas 1.5.3,
numpy 1.24.2 (Debian 12 packages).

- regression-sql.json: a generated table (fixed numpy seed, stored in the
  fixture) with a weighted least squares fit and robust HC1 errors
  (statsmodels WLS, cov_type="HC1") and a logistic regression (statsmodels
  Logit), on the design cxray builds: intercept, the term of interest,
  dummies of a category against its most common level, a numeric covariate.
- telco-perfect-customer.json: on the IBM Telco churn file in
  test/fixtures/telco-classic, the declared model of issue 5:
  churn ~ paperless billing + contract + tenure + internet service +
  monthly charges (Logit), the odds ratio of paperless billing with its 95%
  interval, and the raw churn shares of paperless and other customers.
"""

import json
import os

import numpy as np
import pandas as pd
import statsmodels.api as sm

HERE = os.path.dirname(os.path.abspath(__file__))
TELCO = os.path.join(HERE, "..", "fixtures", "telco-classic", "WA_Fn-UseC_-Telco-Customer-Churn.csv")


def write(name, payload):
    path = os.path.join(HERE, name)
    with open(path, "w") as handle:
        json.dump(payload, handle, indent=1, allow_nan=False)
        handle.write("\n")
    print("wrote", path)


def design(frame):
    """intercept, adopted, g dummies against the most common level (ties: smallest name), t."""
    counts = frame["g"].value_counts()
    order = sorted(counts.index, key=lambda level: (-counts[level], level))
    reference, others = order[0], order[1:]
    columns = {"intercept": np.ones(len(frame)), "adopted": frame["adopted"].astype(float)}
    for level in others:
        columns["g=" + level] = (frame["g"] == level).astype(float)
    columns["t"] = frame["t"].astype(float)
    return pd.DataFrame(columns), reference


def regression_fixture():
    rng = np.random.RandomState(20261123)
    n = 400
    g = rng.choice(["north", "south", "west"], size=n, p=[0.5, 0.3, 0.2])
    adopted = (rng.uniform(size=n) < 0.4).astype(int)
    t = rng.gamma(2.0, 1.5, size=n)
    months = rng.uniform(1.0, 36.0, size=n)
    # Money per month: lower for adopters, by region, rising with t; noise grows with the level (heteroskedastic).
    level = 12.0 - 2.5 * adopted + np.where(g == "south", 1.5, 0.0) + np.where(g == "west", -1.0, 0.0) + 0.8 * t
    rate = np.maximum(0.0, level + rng.normal(0.0, 1.0, size=n) * (0.5 + 0.2 * level))
    total = rate * months
    churn_logit = -1.0 + 0.7 * adopted - 0.3 * t + np.where(g == "west", 0.5, 0.0)
    churned = (rng.uniform(size=n) < 1.0 / (1.0 + np.exp(-churn_logit))).astype(int)
    frame = pd.DataFrame({"adopted": adopted, "g": g, "t": t, "months": months, "total": total, "churned": churned})
    X, reference = design(frame)
    wls = sm.WLS(frame["total"] / frame["months"], X, weights=frame["months"]).fit(cov_type="HC1")
    logit = sm.Logit(frame["churned"], X).fit(disp=0, tol=1e-12, maxiter=100)
    conf = logit.conf_int(0.05)
    rows = [
        {"id": "c%03d" % i, "adopted": int(r.adopted), "g": r.g, "t": float(r.t), "months": float(r.months), "total": float(r.total), "churned": int(r.churned)}
        for i, r in enumerate(frame.itertuples())
    ]
    write(
        "regression-sql.json",
        {
            "rows": rows,
            "reference": reference,
            "names": list(X.columns),
            "wls": {"params": [float(v) for v in wls.params], "bse": [float(v) for v in wls.bse]},
            "logit": {
                "params": [float(v) for v in logit.params],
                "bse": [float(v) for v in logit.bse],
                "oddsRatio": [float(np.exp(v)) for v in logit.params],
                "oddsRatioLower": [float(np.exp(v)) for v in conf[0]],
                "oddsRatioUpper": [float(np.exp(v)) for v in conf[1]],
            },
        },
    )


def telco_fixture():
    frame = pd.read_csv(TELCO)
    churn = (frame["Churn"] == "Yes").astype(float)
    paperless = (frame["PaperlessBilling"] == "Yes").astype(float)
    X = pd.DataFrame({"intercept": 1.0, "paperless": paperless})
    for column in ["Contract", "InternetService"]:
        counts = frame[column].value_counts()
        order = sorted(counts.index, key=lambda level: (-counts[level], level))
        for level in order[1:]:
            X[column + "=" + level] = (frame[column] == level).astype(float)
    X["tenure"] = frame["tenure"].astype(float)
    X["MonthlyCharges"] = frame["MonthlyCharges"].astype(float)
    fit = sm.Logit(churn, X).fit(disp=0, tol=1e-12, maxiter=100)
    conf = fit.conf_int(0.05)
    adopters = paperless == 1
    write(
        "telco-perfect-customer.json",
        {
            "model": "churn ~ paperless + C(Contract) + tenure + C(InternetService) + MonthlyCharges",
            "n": int(len(frame)),
            "paperlessOddsRatio": float(np.exp(fit.params["paperless"])),
            "paperlessOddsRatioLower": float(np.exp(conf.loc["paperless", 0])),
            "paperlessOddsRatioUpper": float(np.exp(conf.loc["paperless", 1])),
            "paperlessCoefficient": float(fit.params["paperless"]),
            "paperlessStandardError": float(fit.bse["paperless"]),
            "churnPaperless": float(churn[adopters].mean()),
            "churnOthers": float(churn[~adopters].mean()),
            "paperlessCustomers": int(adopters.sum()),
        },
    )


if __name__ == "__main__":
    regression_fixture()
    telco_fixture()
