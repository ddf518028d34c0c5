#!/usr/bin/python3
"""Reference numbers for the key-drivers analysis, written as JSON next to this script.

Run with Debian's interpreter (the first python3 on PATH does not see Debian's
packages), as test/references/compute.py explains:

    /usr/bin/python3 src/analysis/key-drivers/reference/compute.py

src/stats' own reference (test/references/relative-weights.json) checks
relative weights from a given correlation matrix. This one checks the path
the analysis takes before that: survey answers in long form, pivoted per
response in SQL, reduced to sums and cross-products, turned into the
correlation matrix. The respondents are generated here from a fixed numpy
RandomState seed and stored in the fixture, so the TypeScript test builds its
workspace from exactly these answers and needs no Python.

Versions used for the committed fixture: numpy 1.24.2, statsmodels 0.13.5
(Debian 12 packages).
"""

import json
import os

import numpy as np
import statsmodels.api as sm

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    rng = np.random.RandomState(5)
    areas = ["Network", "Billing", "Support", "App"]
    n = 170
    mix = np.array([[1.0, 0.3, 0.2, 0.1], [0.0, 0.9, 0.3, 0.0], [0.0, 0.0, 0.9, 0.2], [0.0, 0.0, 0.0, 0.95]])
    latent = rng.normal(0, 1, (n, 4)) @ mix
    ratings = np.clip(np.round(3 + 1.1 * latent), 1, 5)
    signal = latent @ np.array([0.5, 0.35, 0.2, 0.1]) + rng.normal(0, 0.7, n)
    nps = np.clip(np.round(7 + 1.6 * signal), 0, 10)
    # Responses 150..169 are second responses of customers 1..20: the pivot must keep them apart.
    customers = [k + 1 if k < 150 else k - 149 for k in range(n)]

    data = np.column_stack([ratings, nps])
    corr = np.corrcoef(data, rowvar=False)
    rxx, rxy = corr[:4, :4], corr[:4, 4]
    values, vectors = np.linalg.eigh(rxx)
    lam = vectors @ np.diag(np.sqrt(values)) @ vectors.T
    beta = np.linalg.solve(lam, rxy)
    raw = (lam ** 2) @ (beta ** 2)
    standardized = (data - data.mean(axis=0)) / data.std(axis=0, ddof=1)
    fit = sm.OLS(standardized[:, 4], standardized[:, :4]).fit()

    payload = {
        "source": "numpy 1.24.2 corrcoef and eigh (Johnson 2000: Λ = V√ΛV', β = Λ⁻¹r, ε = Λ²β²), statsmodels 0.13.5 OLS on standardized data (R², standardized coefficients)",
        "areas": areas,
        "responses": [
            {"response": f"R{k:04d}", "customer": customers[k], "nps": int(nps[k]), "ratings": [int(x) for x in ratings[k]]}
            for k in range(n)
        ],
        "correlationWithOutcome": [float(x) for x in rxy],
        "rawWeights": [float(x) for x in raw],
        "rSquared": float(fit.rsquared),
        "standardizedCoefficients": [float(x) for x in fit.params],
        "areaMeans": [float(x) for x in ratings.mean(axis=0)],
    }
    path = os.path.join(HERE, "key-drivers-reference.json")
    with open(path, "w") as handle:
        json.dump(payload, handle, indent=1, allow_nan=False)
        handle.write("\n")
    print("wrote", path)


if __name__ == "__main__":
    main()
