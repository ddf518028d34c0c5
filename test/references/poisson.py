#!/usr/bin/python3
"""Reference values for src/stats/poisson-regression.ts, written as JSON next to this script.

Run with Debian's interpreter (the first python3 on PATH does not see Debian's
packages), as compute.py explains:

    /usr/bin/python3 test/references/poisson.py

statsmodels' GLM (Poisson family, log link, log-exposure offset) with the
strata as dummy columns is the reference: cxray profiles the strata out of
each Newton step instead, which must give the same coefficients and
standard errors. Two datasets, generated here from fixed numpy RandomState
seeds and written into the fixture so the TypeScript test needs no Python:
- "hazard": person-time cells (4 tenure bands x flag x a 3-level
  covariate), events drawn with hazard ratio 1.8 for the flag; Poisson variance.
- "amounts": money per day (non-integer, over-dispersed), 5 strata, a window
  flag and a trend; quasi-Poisson with the Pearson dispersion (scale='X2').

Versions used for the committed fixture: numpy 1.24.2, statsmodels 0.13.5
(Debian 12 packages).
"""

import json
import os

import numpy as np
import statsmodels.api as sm

HERE = os.path.dirname(os.path.abspath(__file__))


def design(strata, x, k):
    dummies = np.zeros((len(strata), k))
    dummies[np.arange(len(strata)), strata] = 1.0
    return np.column_stack([dummies, x])


def hazard_case():
    rng = np.random.RandomState(71)
    rows = []
    for band in range(4):
        for flag in (0, 1):
            for level in range(3):
                exposure = float(np.round(rng.uniform(50, 400), 3))
                rate = 0.04 * (0.8 ** band) * (1.8 if flag else 1.0) * (1.0, 1.5, 0.6)[level]
                rows.append((band, flag, 1.0 if level == 1 else 0.0, 1.0 if level == 2 else 0.0, exposure, int(rng.poisson(rate * exposure))))
    strata = np.array([r[0] for r in rows])
    x = np.array([[r[1], r[2], r[3]] for r in rows], dtype=float)
    exposure = np.array([r[4] for r in rows])
    y = np.array([r[5] for r in rows], dtype=float)
    fit = sm.GLM(y, design(strata, x, 4), family=sm.families.Poisson(), offset=np.log(exposure)).fit(tol=1e-12)
    return {
        "names": ["flag", "level_b", "level_c"],
        "strata": 4,
        "rows": [{"stratum": int(r[0]), "x": [float(r[1]), r[2], r[3]], "y": float(r[5]), "exposure": r[4]} for r in rows],
        "coefficients": [float(v) for v in fit.params[4:]],
        "standardErrors": [float(v) for v in fit.bse[4:]],
        "strataLogRates": [float(v) for v in fit.params[:4]],
        "deviance": float(fit.deviance),
        "pearsonChiSquare": float(fit.pearson_chi2),
    }


def amounts_case():
    rng = np.random.RandomState(72)
    rows = []
    for day in range(150):
        stratum = day % 5
        window = 1.0 if day % 30 >= 25 else 0.0
        trend = day / 150.0
        mean = 40.0 * np.exp(0.3 * trend + 0.1 * stratum + 0.4 * window)
        # Gamma amounts: variance 3 x mean^1.5, over-dispersed for a Poisson.
        shape = mean ** 0.5 / 3.0
        amount = float(np.round(rng.gamma(shape, mean / shape), 2))
        rows.append((stratum, window, trend, amount))
    strata = np.array([r[0] for r in rows])
    x = np.array([[r[1], r[2]] for r in rows])
    y = np.array([r[3] for r in rows])
    fit = sm.GLM(y, design(strata, x, 5), family=sm.families.Poisson()).fit(scale="X2", tol=1e-12)
    return {
        "names": ["window", "trend"],
        "strata": 5,
        "rows": [{"stratum": int(r[0]), "x": [r[1], r[2]], "y": r[3], "exposure": 1.0} for r in rows],
        "coefficients": [float(v) for v in fit.params[5:]],
        "standardErrors": [float(v) for v in fit.bse[5:]],
        "dispersion": float(fit.scale),
        "dfResidual": int(fit.df_resid),
    }


def main():
    payload = {"hazard": hazard_case(), "amounts": amounts_case()}
    path = os.path.join(HERE, "poisson.json")
    with open(path, "w") as handle:
        json.dump(payload, handle, indent=1, allow_nan=False)
        handle.write("\n")
    print("wrote", path)


if __name__ == "__main__":
    main()
