"""The covariates of an adjusted comparison and their design matrix, as src/analysis/regression/design.ts builds them.

An intercept, the term of interest (adoption), then each covariate: a text
(or yes/no) attribute as dummies of its levels against its most common level
(levels under 5 customers and beyond the 12 largest join that reference, and
so does a missing value; levels counted over the rows the comparison is
about), a number as itself with rows without it left out (complete cases);
tenure in years. Columns that the others determine (Cholesky pivot of the
unit-diagonal X'X under 1e-10, as cxray's SymmetricSolver) are left out, as
fitDroppingCollinear does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis_settings import AnalysisSettings
from profile_groups import CATEGORICAL
from settings import ATTRIBUTES, Settings

MAX_LEVELS = 12
MINIMUM_CELL = 5
DAYS_PER_YEAR = 365.25
COLLINEAR_TOLERANCE = 1e-10


def default_covariates(settings: Settings, extras: AnalysisSettings) -> list[str]:
    """cxray's defaultCovariates: adjust_for when given, else text attributes known at acquisition or segmenting, then tenure."""
    if extras.adjust_for is not None:
        return list(extras.adjust_for)
    segmenting = {attribute for attribute, _ in settings.segments.values()}
    attributes = [a for a in ATTRIBUTES if a in CATEGORICAL and (a in settings.at_acquisition or a in segmenting)]
    return attributes + ['tenure_days']


@dataclass
class Term:
    """One column of X: its name as cxray names the coefficient, and how to compute it from a facts frame."""

    name: str
    covariate: str | None
    level: str | None = None


@dataclass
class Design:
    terms: list[Term]
    # Covariates whose rows must be present (numbers: complete cases).
    numeric: list[str] = field(default_factory=list)
    # Categorical covariate -> its reference level (the most common).
    references: dict[str, str] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return [t.name for t in self.terms]

    def complete(self, frame: pd.DataFrame) -> pd.Series:
        """Rows that enter the fit: every numeric covariate present."""
        mask = pd.Series(True, index=frame.index)
        for name in self.numeric:
            mask &= frame[name].notna()
        return mask

    def matrix(self, frame: pd.DataFrame, adopted: pd.Series | None) -> np.ndarray:
        """X over `frame`'s rows, in the terms' order."""
        columns = []
        for term in self.terms:
            if term.name == 'intercept':
                columns.append(np.ones(len(frame)))
            elif term.covariate is None:
                columns.append(adopted.to_numpy(dtype=float))
            elif term.level is not None:
                columns.append((as_text(frame[term.covariate]) == term.level).to_numpy(dtype=float))
            else:
                columns.append(numeric_value(frame, term.covariate))
        return np.column_stack(columns)

    def without(self, names: set[str]) -> 'Design':
        return Design([t for t in self.terms if t.name not in names], self.numeric, self.references)


def as_text(values: pd.Series) -> pd.Series:
    """An attribute's levels as text, as the dialect's toString reads them (yes/no as true/false)."""
    if values.dtype == bool:
        return values.map({True: 'true', False: 'false'})
    return values.astype(object)


def numeric_value(frame: pd.DataFrame, name: str) -> np.ndarray:
    x = frame[name].astype(float).to_numpy()
    return x / DAYS_PER_YEAR if name == 'tenure_days' else x


def build_design(facts: pd.DataFrame, covariates: list[str], population: pd.Series) -> Design:
    """The design over the customers in `population` (where the comparison's own conditions hold)."""
    terms = [Term('intercept', None), Term('adopted', None)]
    numeric: list[str] = []
    references: dict[str, str] = {}
    for name in covariates:
        if name not in facts.columns:
            continue
        values = facts[name]
        if values.dtype == bool or values.dtype == object or isinstance(values.dtype, pd.CategoricalDtype):
            counts = as_text(values[population]).value_counts(dropna=True)
            if len(counts) > 1000:
                continue
            # Most customers first, ties by the level's text (code-unit order, as cxray sorts).
            ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
            kept = [level for level, n in ordered if n >= MINIMUM_CELL][: MAX_LEVELS + 1]
            if len(kept) < 2:
                continue
            references[name] = kept[0]
            terms += [Term(f'{name}={level}', name, level) for level in kept[1:]]
        elif pd.api.types.is_numeric_dtype(values):
            terms.append(Term(name, name))
            numeric.append(name)
    return Design(terms, numeric, references)


def collinear_columns(xtx: np.ndarray, names: list[str], tolerance: float = COLLINEAR_TOLERANCE) -> list[str]:
    """Columns whose scaled Cholesky pivot (1 − R² on the earlier columns) is under `tolerance`, in order."""
    diagonal = np.diag(xtx)
    scale = np.where(diagonal > 0, 1 / np.sqrt(np.where(diagonal > 0, diagonal, 1)), 0)
    a = xtx * np.outer(scale, scale)
    kept: list[int] = []
    dropped: list[str] = []
    for j in range(len(names)):
        if diagonal[j] <= 0:
            dropped.append(names[j])
            continue
        if kept:
            sub = a[np.ix_(kept, kept)]
            r = a[kept, j]
            pivot = 1 - r @ np.linalg.solve(sub, r)
        else:
            pivot = 1.0
        if pivot < tolerance:
            dropped.append(names[j])
            continue
        kept.append(j)
    return dropped


def drop_collinear(design: Design, xtx: np.ndarray) -> Design | None:
    """The design without covariate columns the others determine; None when the intercept or adoption is one of them."""
    dropped = set(collinear_columns(xtx, design.names))
    if not dropped:
        return design
    if {'intercept', 'adopted'} & dropped:
        return None
    return design.without(dropped)
