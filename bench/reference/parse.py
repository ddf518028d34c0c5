"""Typing raw export values the way cxray's importer does (src/ingest/expressions.ts).

Each parser returns the typed values and a mask of values that are present but
unreadable: cxray quarantines those rows with a reason instead of loading a
silent NULL, and so does the reference. The helpers accept both what
`pd.read_csv` infers (the idiomatic variant: numbers already numeric, blanks
already NaN) and plain text (the best variant reads with dtype=str).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

# cxray reads years outside this range as typos (bad_date), not customers.
YEARS = (1800, 2200)


def is_text(s: pd.Series) -> bool:
    return s.dtype == object or isinstance(s.dtype, pd.CategoricalDtype) or pd.api.types.is_string_dtype(s.dtype)


def by_category(s: pd.Series, fn) -> pd.Series:
    """Apply `fn` to each category once instead of to each row (fn(NaN) for missing values)."""
    codes = s.cat.codes.to_numpy()
    table = np.array([fn(c) for c in s.cat.categories] + [fn(np.nan)], dtype=object)
    return pd.Series(table[codes], index=s.index)


def blank(s: pd.Series) -> pd.Series:
    """NULL or only spaces, as cxray's isBlank."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        return by_category(s, lambda c: not isinstance(c, str) or c.strip() == '').astype(bool)
    if is_text(s):
        return s.isna() | s.astype(object).str.strip().eq('')
    return s.isna()


def text(s: pd.Series) -> pd.Series:
    """Trimmed text, NaN when blank; numbers pd.read_csv inferred are written back without a trailing .0."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        return by_category(s, lambda c: c.strip() or np.nan if isinstance(c, str) else np.nan)
    if is_text(s):
        out = s.astype(object).str.strip()
        # A column of mixed types (pd.read_csv infers chunk by chunk) holds numbers among the strings.
        numbers = out.isna() & s.notna()
        if numbers.any():
            out[numbers] = s[numbers].map(_number_text)
        return out.where(out.ne(''), np.nan)
    return s.map(lambda v: np.nan if pd.isna(v) else _number_text(v))


def _number_text(v) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)


class Parsed(NamedTuple):
    """Typed values, which present values are unreadable (the row's quarantine reason), and which are blank."""

    values: pd.Series
    invalid: pd.Series
    blank: pd.Series


def _blank_among(s: pd.Series, rows: pd.Series) -> pd.Series:
    """blank(s), evaluated only where `rows` holds: a value that parsed is not blank, and text tests are slow."""
    out = np.zeros(len(s), dtype=bool)
    mask = rows.to_numpy(dtype=bool)
    if mask.any():
        out[mask] = blank(s[mask]).to_numpy(dtype=bool)
    return pd.Series(out, index=s.index)


def number(s: pd.Series) -> Parsed:
    """A finite double (not_a_number when present but unreadable)."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        values = pd.to_numeric(s.astype(object), errors='coerce')
    elif is_text(s):
        values = pd.to_numeric(s, errors='coerce')
    else:
        values = s.astype(float)
    values = values.where(np.isfinite(values.astype(float)), np.nan).astype(float)
    missing = values.isna()
    empty = _blank_among(s, missing)
    return Parsed(values, missing & ~empty, empty)


def integer(s: pd.Series) -> Parsed:
    """A whole number (Int64)."""
    values, invalid, empty = number(s)
    whole = values.notna() & (values == np.trunc(values)) & (values.abs() < 9.0e15)
    invalid = invalid | (values.notna() & ~whole)
    return Parsed(values.where(whole, np.nan).astype('Int64'), invalid, empty)


def money_cents(s: pd.Series) -> Parsed:
    """An amount in whole cents (int64, 0 where unreadable)."""
    values, invalid, empty = number(s)
    cents = np.round(values.fillna(0).to_numpy() * 100).astype(np.int64)
    return Parsed(pd.Series(cents, index=s.index), invalid, empty)


def to_second(ts: pd.Series) -> pd.Series:
    """cxray stores every timestamp floored to the whole second (src/ingest/expressions.ts), so that
    ClickHouse's DateTime and DuckDB give the same facts; so does the reference."""
    return ts.dt.floor('S')


def _in_range(ts: pd.Series) -> pd.Series:
    return ts.notna() & ts.dt.year.between(*YEARS)


def timestamp(s: pd.Series, fmt: str | None = None) -> Parsed:
    """
    A naive UTC timestamp (bad_date when present but unreadable).

    With `fmt` (the best variant), the one format the export writes is parsed
    in C; the few values it does not read get pandas' general parser, so a
    valid date in another shape is not quarantined. Without (the idiomatic
    variant), pandas infers the format, as `pd.to_datetime(col)` does.
    """
    parsed = pd.to_datetime(s, errors='coerce') if fmt is None else pd.to_datetime(s, format=fmt, errors='coerce')
    empty = _blank_among(s, parsed.isna())
    retry = parsed.isna() & ~empty
    if fmt is not None and retry.any():
        parsed = parsed.copy()
        parsed[retry] = pd.to_datetime(s[retry], errors='coerce')
    if getattr(parsed.dt, 'tz', None) is not None:
        parsed = parsed.dt.tz_convert('UTC').dt.tz_localize(None)
    ok = _in_range(parsed)
    return Parsed(to_second(parsed.where(ok)), ~empty & ~ok, empty)


def epoch_microseconds(s: pd.Series) -> Parsed:
    """Microseconds since 1970-01-01 UTC as a timestamp."""
    values, _, empty = integer(s)
    known = values.notna().to_numpy()
    # Whole microseconds to nanoseconds in int64 (pd.to_datetime(unit='us') on floats is ten times slower).
    micros = values.fillna(0).to_numpy(dtype=np.int64)
    fits = known & (np.abs(micros) < 9_000_000_000_000_000)
    nanos = np.where(fits, micros * 1000, np.iinfo(np.int64).min)
    parsed = pd.Series(nanos.view('datetime64[ns]'), index=s.index)
    ok = _in_range(parsed)
    return Parsed(to_second(parsed.where(ok)), ~empty & ~ok, empty)


def mapped(s: pd.Series, mapping: dict, default=None) -> pd.Series:
    """Case-insensitive lookup of trimmed text; unlisted values take the default, blanks stay NaN."""
    lowered = {str(k).strip().lower(): v for k, v in mapping.items()}

    def look(value):
        if not isinstance(value, str) or value.strip() == '':
            return np.nan
        return lowered.get(value.strip().lower(), default)

    if isinstance(s.dtype, pd.CategoricalDtype):
        return by_category(s, look)
    return text(s).map(look)
