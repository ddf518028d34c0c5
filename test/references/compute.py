#!/usr/bin/python3
"""Reference values for src/stats, written as JSON fixtures next to this script.

Run with Debian's interpreter (the first python3 on PATH does not see Debian's
packages):

    apt-get install -y python3-scipy python3-statsmodels python3-sklearn python3-pandas
    /usr/bin/python3 test/references/compute.py

Versions used for the committed fixtures: scipy 1.10.1, statsmodels 0.13.5,
scikit-learn 1.2.1, numpy 1.24.2, mpmath 1.2.1 (all Debian 12 packages).

Every dataset is generated here from a fixed numpy RandomState seed and written
into the fixture, so the TypeScript tests run on exactly the data the
references were computed from and the suite itself needs no Python.

Distribution functions are referenced against mpmath at 40 significant digits
(the ground truth) and scipy's values are stored beside them: scipy 1.10's
Student t quantile (cephes stdtrit) is itself off by up to 2.6e-9 on this grid, so mpmath is
the one the tests hold cxray to at 1e-10; scipy is checked where it is exact.
"""

import json
import os

import mpmath
import numpy as np
import statsmodels.api as sm
from scipy import stats
from sklearn.metrics import roc_auc_score
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint, proportions_ztest
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

HERE = os.path.dirname(os.path.abspath(__file__))
mpmath.mp.dps = 40


def write(name, payload):
    path = os.path.join(HERE, name)
    with open(path, "w") as handle:
        json.dump(payload, handle, indent=1, allow_nan=False)
        handle.write("\n")
    print("wrote", path)


def f(value):
    return float(value)


def floats(values):
    return [float(v) for v in values]


# ---------------------------------------------------------------- distributions
def mp_t_cdf(t, df):
    t = mpmath.mpf(t)
    df = mpmath.mpf(df)
    tail = mpmath.betainc(df / 2, mpmath.mpf(1) / 2, 0, df / (df + t * t), regularized=True) / 2
    return tail if t < 0 else 1 - tail


def mp_chi2_cdf(x, k):
    return mpmath.gammainc(mpmath.mpf(k) / 2, 0, mpmath.mpf(x) / 2, regularized=True)


def mp_chi2_sf(x, k):
    return mpmath.gammainc(mpmath.mpf(k) / 2, mpmath.mpf(x) / 2, mpmath.inf, regularized=True)


def mp_f_tails(x, d1, d2):
    x, d1, d2 = mpmath.mpf(x), mpmath.mpf(d1), mpmath.mpf(d2)
    u = d1 * x / (d1 * x + d2)
    lower = mpmath.betainc(d1 / 2, d2 / 2, 0, u, regularized=True)
    # The upper tail by symmetry, I_{1-u}(b, a): integrating from u to 1 cancels to 0 far in the tail.
    upper = mpmath.betainc(d2 / 2, d1 / 2, 0, d2 / (d1 * x + d2), regularized=True)
    return lower, upper


def mp_quantile(tail, target, start):
    """Root of tail(x) = target inside a bracket of ±1e-6 (relative) around scipy's quantile, by Anderson–Björck.

    Solved on the log scale, log tail(x) − log target, so a target of 1e-300 is
    found to full relative precision rather than to an absolute 1e-50.
    `tail` is the CDF for lower-tail targets and the survival function otherwise.
    """
    target = mpmath.mpf(target)
    start = mpmath.mpf(start)
    width = abs(start) * mpmath.mpf("1e-6") + mpmath.mpf("1e-300")
    low, high = start - width, start + width
    if low <= 0 < start:
        low = start / 2
    g = lambda x: mpmath.log(tail(x)) - mpmath.log(target)
    assert g(low) * g(high) < 0, ("no sign change", float(start))
    return mpmath.findroot(g, (low, high), solver="anderson", tol=mpmath.mpf(10) ** -60)


def distributions():
    normal = []
    for z in [-37.5, -20.0, -8.0, -3.0, -1.959963984540054, -1.0, -0.1, 0.0, 0.5, 1.5, 2.5, 6.0]:
        zm = mpmath.mpf(z)
        normal.append({"z": z, "cdf": f(mpmath.ncdf(zm)), "sf": f(mpmath.ncdf(-zm)), "scipyCdf": f(stats.norm.cdf(z)), "scipySf": f(stats.norm.sf(z))})
    normal_quantiles = []
    for p in [1e-300, 1e-20, 1e-10, 1e-4, 0.0123, 0.025, 0.3, 0.5, 0.7, 0.975, 0.999, 1 - 1e-12]:
        # erfinv(2p - 1) loses the digits of a tiny p; solve Φ(x) = p directly there.
        q = mpmath.sqrt(2) * mpmath.erfinv(2 * mpmath.mpf(p) - 1) if p >= 1e-4 else mp_quantile(mpmath.ncdf, p, stats.norm.ppf(p))
        normal_quantiles.append({"p": p, "quantile": f(q), "scipy": f(stats.norm.ppf(p))})

    student = []
    for df in [1, 2, 3, 4.5, 10, 29, 100, 1000, 1e6]:
        for t in [-1e4, -40.0, -6.0, -2.0, -0.25, 0.0, 0.7, 1.96, 3.5, 12.0]:
            cdf = mp_t_cdf(t, df)
            sf = mp_t_cdf(-t, df)
            student.append({"t": t, "df": df, "cdf": f(cdf), "sf": f(sf), "scipyCdf": f(stats.t.cdf(t, df)), "scipySf": f(stats.t.sf(t, df))})
    student_quantiles = []
    for df in [1, 2, 3, 4.5, 10, 29, 100, 1000, 1e6]:
        for p in [1e-12, 1e-6, 0.001, 0.025, 0.1, 0.4, 0.5, 0.9, 0.975, 0.995]:
            if p == 0.5:
                q = mpmath.mpf(0)
            else:
                q = mp_quantile(lambda t: mp_t_cdf(t, df), p, stats.t.ppf(p, df)) if p < 0.5 else -mp_quantile(lambda t: mp_t_cdf(t, df), 1 - mpmath.mpf(p), -stats.t.ppf(p, df))
            student_quantiles.append({"p": p, "df": df, "quantile": f(q), "scipy": f(stats.t.ppf(p, df))})

    chi_square = []
    for k in [1, 2, 3, 5, 10, 30, 100, 1000]:
        for x in [1e-6, 0.05, 0.5, 1.0, 2.0, 4.0, 10.0, 25.0, 60.0, 120.0, 900.0, 1100.0]:
            chi_square.append({"x": x, "k": k, "cdf": f(mp_chi2_cdf(x, k)), "sf": f(mp_chi2_sf(x, k)), "scipyCdf": f(stats.chi2.cdf(x, k)), "scipySf": f(stats.chi2.sf(x, k))})
    chi_square_quantiles = []
    for k in [1, 2, 3, 5, 10, 30, 100, 1000]:
        for p in [1e-10, 1e-3, 0.05, 0.5, 0.95, 0.999, 1 - 1e-9]:
            q = mp_quantile((lambda x: mp_chi2_cdf(x, k)) if p <= 0.5 else (lambda x: mp_chi2_sf(x, k)), p if p <= 0.5 else 1 - mpmath.mpf(p), stats.chi2.ppf(p, k))
            chi_square_quantiles.append({"p": p, "k": k, "quantile": f(q), "scipy": f(stats.chi2.ppf(p, k))})

    fisher = []
    for d1, d2 in [(1, 1), (1, 10), (2, 5), (3, 57), (4, 20), (10, 3), (25, 400)]:
        for x in [1e-4, 0.1, 0.5, 1.0, 2.0, 3.5, 8.0, 50.0]:
            lower, upper = mp_f_tails(x, d1, d2)
            fisher.append({"x": x, "d1": d1, "d2": d2, "cdf": f(lower), "sf": f(upper), "scipyCdf": f(stats.f.cdf(x, d1, d2)), "scipySf": f(stats.f.sf(x, d1, d2))})
    fisher_quantiles = []
    for d1, d2 in [(1, 1), (1, 10), (2, 5), (3, 57), (4, 20), (10, 3), (25, 400)]:
        for p in [1e-6, 0.05, 0.5, 0.95, 0.99]:
            if p <= 0.5:
                q = mp_quantile(lambda x: mp_f_tails(x, d1, d2)[0], p, stats.f.ppf(p, d1, d2))
            else:
                q = mp_quantile(lambda x: mp_f_tails(x, d1, d2)[1], 1 - mpmath.mpf(p), stats.f.ppf(p, d1, d2))
            fisher_quantiles.append({"p": p, "d1": d1, "d2": d2, "quantile": f(q), "scipy": f(stats.f.ppf(p, d1, d2))})

    write("distributions.json", {
        "source": "mpmath 40 digits (reference), scipy 1.10.1 (stored alongside)",
        "normal": normal, "normalQuantiles": normal_quantiles,
        "studentT": student, "studentTQuantiles": student_quantiles,
        "chiSquare": chi_square, "chiSquareQuantiles": chi_square_quantiles,
        "f": fisher, "fQuantiles": fisher_quantiles,
    })


# ---------------------------------------------------------------- intervals and differences
def intervals():
    wilson = []
    for count, n in [(0, 10), (1, 10), (7, 20), (50, 100), (97, 100), (100, 100), (3, 1000), (412, 1310)]:
        for level in [0.9, 0.95, 0.99]:
            lo, hi = proportion_confint(count, n, alpha=1 - level, method="wilson")
            wilson.append({"count": count, "n": n, "level": level, "lower": f(lo), "upper": f(hi)})

    rng = np.random.RandomState(20240611)
    means = []
    for n, shift in [(2, 0.0), (5, 3.0), (12, -1.5), (40, 10.0), (250, 0.2)]:
        sample = rng.normal(shift, 2.0, size=n)
        d = DescrStatsW(sample)
        lo, hi = d.tconfint_mean(alpha=0.05)
        means.append({"n": n, "mean": f(sample.mean()), "sd": f(sample.std(ddof=1)), "level": 0.95, "lower": f(lo), "upper": f(hi)})

    newcombe = []
    for c1, n1, c2, n2 in [(56, 70, 48, 80), (9, 10, 3, 10), (0, 25, 4, 25), (120, 400, 95, 380), (10, 10, 0, 20)]:
        lo, hi = confint_proportions_2indep(c1, n1, c2, n2, method="newcomb", compare="diff", alpha=0.05)
        stat, p = proportions_ztest([c1, c2], [n1, n2])
        newcombe.append({"count1": c1, "n1": n1, "count2": c2, "n2": n2, "level": 0.95, "lower": f(lo), "upper": f(hi), "z": f(stat), "pValue": f(p)})

    welch = []
    for n1, n2, m1, m2, s1, s2 in [(8, 12, 5.0, 3.0, 1.0, 3.0), (30, 25, 0.0, 0.4, 1.0, 1.0), (5, 200, 10.0, 9.0, 4.0, 0.5)]:
        a = rng.normal(m1, s1, size=n1)
        b = rng.normal(m2, s2, size=n2)
        t, p = stats.ttest_ind(a, b, equal_var=False)
        cm = CompareMeans(DescrStatsW(a), DescrStatsW(b))
        lo, hi = cm.tconfint_diff(alpha=0.05, usevar="unequal")
        va, vb = a.var(ddof=1) / n1, b.var(ddof=1) / n2
        df = (va + vb) ** 2 / (va ** 2 / (n1 - 1) + vb ** 2 / (n2 - 1))
        welch.append({
            "a": {"n": n1, "mean": f(a.mean()), "sd": f(a.std(ddof=1))},
            "b": {"n": n2, "mean": f(b.mean()), "sd": f(b.std(ddof=1))},
            "level": 0.95, "t": f(t), "df": f(df), "pValue": f(p), "lower": f(lo), "upper": f(hi),
        })

    write("intervals.json", {"source": "statsmodels 0.13.5 proportion_confint(wilson), DescrStatsW.tconfint_mean, confint_proportions_2indep(newcomb), proportions_ztest; scipy ttest_ind(equal_var=False); CompareMeans.tconfint_diff(unequal)",
                             "wilson": wilson, "means": means, "newcombe": newcombe, "welch": welch})


# ---------------------------------------------------------------- correlations
def correlations():
    rng = np.random.RandomState(7)
    n = 40
    x = rng.normal(0, 1, n)
    y = 0.5 * x + rng.normal(0, 1, n)
    ordinal = np.round(2 * y + rng.normal(0, 1, n))  # many ties, for Spearman's midranks
    group = (x + rng.normal(0, 1.2, n) > 0).astype(int)
    other = (y + rng.normal(0, 1.5, n) > 0.3).astype(int)

    pearson = stats.pearsonr(x, y)
    pearson_ci = pearson.confidence_interval(confidence_level=0.95)
    spearman = stats.spearmanr(x, ordinal)
    rho = float(spearman.correlation)
    # Bonett & Wright (2000): SE of atanh(rho) = sqrt((1 + rho^2 / 2) / (n - 3)).
    se_bw = np.sqrt((1 + rho ** 2 / 2) / (n - 3))
    zq = stats.norm.ppf(0.975)
    spearman_ci = [np.tanh(np.arctanh(rho) - zq * se_bw), np.tanh(np.arctanh(rho) + zq * se_bw)]
    pb = stats.pointbiserialr(group, y)
    phi_r, _ = stats.pearsonr(group, other)
    table = [[int(np.sum((group == 1) & (other == 1))), int(np.sum((group == 1) & (other == 0)))],
             [int(np.sum((group == 0) & (other == 1))), int(np.sum((group == 0) & (other == 0)))]]
    phi_chi2, phi_p, _, _ = stats.chi2_contingency(table, correction=False)
    phi_ci = stats.pearsonr(group, other).confidence_interval(confidence_level=0.95)

    contingency = [[12, 5, 9, 20], [7, 14, 3, 11], [2, 8, 16, 6]]
    chi2, p, dof, expected = stats.chi2_contingency(contingency, correction=False)
    cramers_v = np.sqrt(chi2 / (np.sum(contingency) * (min(len(contingency), len(contingency[0])) - 1)))

    write("correlations.json", {
        "source": "scipy 1.10.1 pearsonr (+ Fisher CI), spearmanr, pointbiserialr, chi2_contingency(correction=False)",
        "x": floats(x), "y": floats(y), "ordinal": floats(ordinal), "group": [int(v) for v in group], "other": [int(v) for v in other],
        "pearson": {"r": f(pearson.statistic), "pValue": f(pearson.pvalue), "lower": f(pearson_ci.low), "upper": f(pearson_ci.high)},
        "spearman": {"rho": rho, "pValue": f(spearman.pvalue), "lower": f(spearman_ci[0]), "upper": f(spearman_ci[1])},
        "pointBiserial": {"r": f(pb.correlation), "pValue": f(pb.pvalue)},
        "phi": {"table": table, "r": f(phi_r), "chiSquare": f(phi_chi2), "pValue": f(phi_p), "lower": f(phi_ci.low), "upper": f(phi_ci.high)},
        "chiSquareTest": {"table": contingency, "statistic": f(chi2), "pValue": f(p), "df": int(dof), "expected": [floats(row) for row in expected], "cramersV": f(cramers_v)},
    })


# ---------------------------------------------------------------- OLS
def ols():
    rng = np.random.RandomState(11)
    n = 60
    tenure = rng.uniform(1, 60, n)
    spend = rng.lognormal(6, 0.5, n)  # large scale on purpose: exercises equilibration
    tickets = rng.poisson(3, n).astype(float)
    y = 40 + 0.3 * tenure + 0.004 * spend - 2.0 * tickets + rng.normal(0, 6, n)
    X = np.column_stack([np.ones(n), tenure, spend, tickets])
    names = ["intercept", "tenure", "spend", "tickets"]

    def fit(design, labels, has_intercept):
        model = sm.OLS(y, design).fit()
        ci = model.conf_int(alpha=0.05)
        return {
            "names": labels, "interceptIndex": 0 if has_intercept else None,
            "xtx": [floats(row) for row in design.T @ design], "xty": floats(design.T @ y), "yty": f(y @ y), "n": n,
            "coefficients": floats(model.params), "standardErrors": floats(model.bse), "t": floats(model.tvalues), "pValues": floats(model.pvalues),
            "lower": floats(ci[:, 0]), "upper": floats(ci[:, 1]),
            "rSquared": f(model.rsquared), "adjustedRSquared": f(model.rsquared_adj), "residualVariance": f(model.scale),
            "fStatistic": f(model.fvalue), "fPValue": f(model.f_pvalue), "dfResidual": f(model.df_resid),
        }

    write("ols.json", {
        "source": "statsmodels 0.13.5 OLS",
        "rows": [floats(row) for row in X], "y": floats(y),
        "withIntercept": fit(X, names, True),
        "withoutIntercept": fit(X[:, 1:], names[1:], False),
    })


# ---------------------------------------------------------------- logistic regression and AUC
def logistic():
    rng = np.random.RandomState(23)
    n = 300
    satisfied = rng.binomial(1, 0.6, n).astype(float)
    tenure = rng.uniform(0, 5, n)
    contacts = rng.poisson(2, n).astype(float)
    eta = -0.8 + 1.1 * satisfied + 0.35 * tenure - 0.45 * contacts
    y = rng.binomial(1, 1 / (1 + np.exp(-eta))).astype(float)
    X = np.column_stack([np.ones(n), satisfied, tenure, contacts])
    model = sm.Logit(y, X).fit(disp=0, tol=1e-12, maxiter=100)
    ci = model.conf_int(alpha=0.05)
    write("logistic.json", {
        "source": "statsmodels 0.13.5 Logit (Newton, tol 1e-12)",
        "names": ["intercept", "satisfied", "tenure", "contacts"], "rows": [floats(row) for row in X], "y": floats(y),
        "coefficients": floats(model.params), "standardErrors": floats(model.bse), "z": floats(model.tvalues), "pValues": floats(model.pvalues),
        "lower": floats(ci[:, 0]), "upper": floats(ci[:, 1]), "oddsRatios": floats(np.exp(model.params)),
        "logLikelihood": f(model.llf), "nullLogLikelihood": f(model.llnull), "pseudoRSquared": f(model.prsquared),
        "likelihoodRatioPValue": f(model.llr_pvalue),
        "auc": f(roc_auc_score(y, model.fittedvalues)),
    })


def delong(positives, negatives, level):
    """DeLong, DeLong & Clarke-Pearson (1988), straight from the definition: O(n1 * n0) placements."""
    def psi(a, b):
        return 1.0 if a > b else 0.5 if a == b else 0.0
    n1, n0 = len(positives), len(negatives)
    v10 = np.array([np.mean([psi(p, q) for q in negatives]) for p in positives])
    v01 = np.array([np.mean([psi(p, q) for p in positives]) for q in negatives])
    auc = v10.mean()
    var = v10.var(ddof=1) / n1 + v01.var(ddof=1) / n0
    se = np.sqrt(var)
    z = stats.norm.ppf(0.5 + level / 2)
    return auc, se, max(0.0, auc - z * se), min(1.0, auc + z * se)


def auc():
    rng = np.random.RandomState(5)
    labels = rng.binomial(1, 0.35, 90)
    scores = np.round(rng.normal(0, 1, 90) + 0.9 * labels, 1)  # one decimal: plenty of ties
    positives = scores[labels == 1]
    negatives = scores[labels == 0]
    value, se, lo, hi = delong(positives, negatives, 0.95)
    write("auc.json", {
        "source": "scikit-learn 1.2.1 roc_auc_score; DeLong (1988) variance by direct O(n1*n0) placements",
        "scores": floats(scores), "labels": [int(v) for v in labels],
        "auc": f(roc_auc_score(labels, scores)), "delongAuc": f(value), "standardError": f(se), "level": 0.95, "lower": f(lo), "upper": f(hi),
    })


# ---------------------------------------------------------------- relative weights, bootstrap, multiple testing
def relative_weights():
    rng = np.random.RandomState(31)
    n = 200
    base = rng.normal(0, 1, (n, 4))
    mix = np.array([[1, 0.6, 0.3, 0.0], [0, 0.8, 0.4, 0.2], [0, 0, 0.9, 0.5], [0, 0, 0, 1.0]])
    predictors = base @ mix
    outcome = predictors @ np.array([0.5, 0.3, 0.0, 0.2]) + rng.normal(0, 1, n)
    data = np.column_stack([predictors, outcome])
    corr = np.corrcoef(data, rowvar=False)
    rxx, rxy = corr[:4, :4], corr[:4, 4]
    values, vectors = np.linalg.eigh(rxx)
    lam = vectors @ np.diag(np.sqrt(values)) @ vectors.T
    beta = np.linalg.solve(lam, rxy)
    raw = (lam ** 2) @ (beta ** 2)
    standardized = (data - data.mean(axis=0)) / data.std(axis=0, ddof=1)
    r2 = sm.OLS(standardized[:, 4], standardized[:, :4]).fit().rsquared

    percentile_sample = floats(rng.normal(0.2, 0.05, 37))
    percentiles = {"values": percentile_sample, "level": 0.9,
                   "lower": f(np.percentile(percentile_sample, 5)), "upper": f(np.percentile(percentile_sample, 95))}
    poisson = floats(stats.poisson.cdf(np.arange(0, 21), 1.0))
    write("relative-weights.json", {
        "source": "numpy 1.24.2 eigh (Johnson 2000 Λ = V√ΛV'), statsmodels OLS R² on standardized data, numpy.percentile (linear), scipy poisson.cdf",
        "names": ["price", "speed", "support", "ease"], "outcome": "satisfaction", "correlation": [floats(row) for row in corr],
        "rawWeights": floats(raw), "rSquared": f(r2), "percentile": percentiles, "poissonOneCdf": poisson,
    })


def multiple_testing():
    rng = np.random.RandomState(3)
    p = np.concatenate([rng.uniform(0, 1, 22), rng.uniform(0, 0.004, 6), [0.0, 1.0, 0.05, 0.05]])
    reject, q, _, _ = multipletests(p, alpha=0.05, method="fdr_bh")
    write("multiple-testing.json", {"source": "statsmodels 0.13.5 multipletests(method='fdr_bh')", "pValues": floats(p), "qValues": floats(q), "rejectAt05": [bool(v) for v in reject]})


if __name__ == "__main__":
    distributions()
    intervals()
    correlations()
    ols()
    logistic()
    auc()
    relative_weights()
    multiple_testing()
