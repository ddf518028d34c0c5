"""Regressions as an analyst writes them: statsmodels' formula API on the per-customer frame, one fit per outcome.

`smf.wls(...).fit(cov_type='HC1')` for each money component and satisfaction
(`smf.ols`), `smf.logit(...).fit()` for churn. Categorical covariates enter as
`C(column, Treatment(reference=...))` after their rare levels (and missing
values) are folded into the reference, as cxray's design does; tenure in years.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf

from coefficients import coefficient, odds
from design import Design, as_text, numeric_value


def _data(frame: pd.DataFrame, design: Design) -> tuple[pd.DataFrame, str]:
    """The model frame (adoption, each covariate as it enters) and the right-hand side of the formula."""
    data = pd.DataFrame({'adopted': frame['adopted'].astype(float)}, index=frame.index)
    terms = ['adopted']
    for name in dict.fromkeys(t.covariate for t in design.terms if t.covariate is not None):
        if name in design.references:
            reference = design.references[name]
            levels = {t.level for t in design.terms if t.covariate == name}
            text = as_text(frame[name])
            data[name] = text.where(text.isin(levels), reference)
            terms.append(f'C({name}, Treatment(reference={reference!r}))')
        else:
            data[name] = numeric_value(frame, name)
            terms.append(name)
    return data, ' + '.join(terms)


def _adoption(fit) -> dict:
    # statsmodels gives a NaN p-value when the standard error is 0 (an outcome that never varies); cxray's rule gives 1.
    return coefficient(fit.params['adopted'], fit.cov_params().loc['adopted', 'adopted'])


def wls(frame: pd.DataFrame, design: Design, outcomes: dict[str, pd.Series], weights: pd.Series | None) -> dict | None:
    data, rhs = _data(frame, design)
    out = {}
    for name, y in outcomes.items():
        data['y'] = y.astype(float)
        model = smf.ols(f'y ~ {rhs}', data) if weights is None else smf.wls(f'y ~ {rhs}', data, weights=weights.astype(float))
        out[name] = _adoption(model.fit(cov_type='HC1'))
    return {'n': len(data), 'design': design, 'coefficients': out}


def logit(frame: pd.DataFrame, design: Design, y: pd.Series) -> dict | None:
    data, rhs = _data(frame, design)
    data['y'] = y.astype(float)
    try:
        fit = smf.logit(f'y ~ {rhs}', data).fit(disp=0)
    except np.linalg.LinAlgError:
        return None
    return {'n': len(data), 'design': design, 'converged': bool(fit.mle_retvals['converged']), **odds(_adoption(fit))}
