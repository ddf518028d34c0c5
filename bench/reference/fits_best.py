"""Regressions the best way: numpy on the sufficient statistics, every outcome of one design at once.

Weighted least squares: one X'WX and one X'WY for all outcomes (BLAS matrix
products), solved by Cholesky; the HC1 robust covariance (White 1980, with
MacKinnon & White's n/(n−p)) from the residuals, as statsmodels' WLS
cov_type='HC1' defines it: (X'WX)⁻¹ (Σ w²e²xx') (X'WX)⁻¹ · n/(n−p). Logistic
regression: Newton-Raphson (= IRLS) on X'WX and X'(y − μ), started at 0,
until no coefficient moves by more than 1e-10·(1 + max|β|), the covariance
the inverse information at the estimate (what statsmodels' Logit reports).
Intervals are normal (z), as statsmodels gives them for robust covariances.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coefficients import coefficient, odds
from design import Design, drop_collinear


def wls(frame: pd.DataFrame, design: Design, outcomes: dict[str, pd.Series], weights: pd.Series | None) -> dict | None:
    """The adoption coefficient of each outcome with HC1 errors, over `frame`'s rows; None when adoption is collinear."""
    x = design.matrix(frame, frame['adopted'])
    names = list(outcomes)
    fitted = _wls(design, x, np.column_stack([outcomes[k].to_numpy(dtype=float) for k in names]), None if weights is None else weights.to_numpy(dtype=float))
    return None if fitted is None else {**fitted, 'coefficients': dict(zip(names, fitted['coefficients']))}


def logit(frame: pd.DataFrame, design: Design, y: pd.Series) -> dict | None:
    """The adoption coefficient of a logistic regression of y (0/1) over `frame`'s rows, with its odds ratio."""
    return _logit(design, design.matrix(frame, frame['adopted']), y.to_numpy(dtype=float))


def _wls(design: Design, x: np.ndarray, outcomes: np.ndarray, weights: np.ndarray | None) -> dict | None:
    w = np.ones(len(x)) if weights is None else weights
    xtw = x.T * w
    xtx = xtw @ x
    kept = drop_collinear(design, xtx)
    if kept is None:
        return None
    if len(kept.terms) < len(design.terms):
        at = [design.names.index(n) for n in kept.names]
        x, xtw, xtx = x[:, at], xtw[at], xtx[np.ix_(at, at)]
    n, p = x.shape
    factor = np.linalg.cholesky(xtx)
    bread = np.linalg.inv(xtx)
    beta = np.linalg.solve(factor.T, np.linalg.solve(factor, xtw @ outcomes))
    residuals = outcomes - x @ beta
    a = kept.names.index('adopted')
    out = []
    for k in range(outcomes.shape[1]):
        scores = x * (w * residuals[:, k])[:, None]
        row = bread[a] @ (scores.T @ scores) @ bread[a]
        out.append(coefficient(beta[a, k], row * n / (n - p)))
    return {'n': n, 'design': kept, 'coefficients': out}


def _logit(design: Design, x: np.ndarray, y: np.ndarray, tolerance: float = 1e-10, max_iterations: int = 50) -> dict | None:
    kept = drop_collinear(design, x.T @ x)
    if kept is None:
        return None
    x = x[:, [design.names.index(n) for n in kept.names]]
    beta = np.zeros(x.shape[1])
    converged = False
    for _ in range(max_iterations):
        mu = 1 / (1 + np.exp(-(x @ beta)))
        information = (x.T * (mu * (1 - mu))) @ x
        step = np.linalg.solve(information, x.T @ (y - mu))
        beta = beta + step
        if np.max(np.abs(step)) <= tolerance * (1 + np.max(np.abs(beta - step))):
            converged = True
            break
    mu = 1 / (1 + np.exp(-(x @ beta)))
    covariance = np.linalg.inv((x.T * (mu * (1 - mu))) @ x)
    a = kept.names.index('adopted')
    return {'n': len(x), 'design': kept, 'converged': converged, **odds(coefficient(beta[a], covariance[a, a]))}

