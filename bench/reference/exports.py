"""Reading one export file the way pandas can, keeping every record accounted for.

pandas' C parser reads RFC 4180 CSV like DuckDB's reader, but it reacts to a
broken record differently: a row with an extra field stops the read (or is
skipped with `on_bad_lines`), an unterminated quote at the end of the file
stops it for good ("EOF inside string"), and bytes that are not UTF-8 stop it
with a UnicodeDecodeError. cxray quarantines each of those records and reads
the rest, so this module does the same with what pandas offers:

- one streaming pass over the bytes (cheap next to parsing) counts quote
  characters and checks the encoding; an odd number of quotes means the last
  quote opens a field that never closes, so the record holding it is cut off
  and counted as `unterminated_quote`;
- `on_bad_lines='warn'` skips rows with too many fields and writes one line per
  row to stderr, which is captured and counted as `wrong_column_count`;
- invalid bytes are decoded as U+FFFD (`encoding_errors='replace'`) and the rows
  holding one are counted as `bad_encoding`.

Known limit: pandas pads a row with too few fields with blanks instead of
failing, so such a row is loaded here where cxray quarantines it. The
simulated exports plant only rows with an extra field.
"""

from __future__ import annotations

import codecs
import contextlib
import glob
import io
import os
import re
from dataclasses import dataclass, field

import pandas as pd

# Short key -> file name pattern of the simulated company's exports (docs/simulated-company.md).
EXPORT_FILES = {
    'contacts': 'hubspot-crm-exports-all-contacts-*.csv',
    'events': 'ga4-events.csv',
    'survey': 'qualtrics-survey.csv',
    'referrals': 'referrals.csv',
    'subscriptions': 'subscriptions.csv',
    'payments': 'unified_payments.csv',
    'tickets': 'zendesk-tickets.csv',
}

REPLACEMENT = '\ufffd'
_CHUNK = 1 << 24


def find_exports(company: str) -> dict[str, str]:
    """Path of each export in the company folder, by short key."""
    found = {}
    for key, pattern in EXPORT_FILES.items():
        matches = sorted(glob.glob(os.path.join(company, pattern)))
        if not matches:
            raise SystemExit(f'{company}: no file matches {pattern}')
        found[key] = matches[-1]
    return found


@dataclass
class RawExport:
    """The records pandas could read, and the structurally broken ones it could not."""

    path: str
    frame: pd.DataFrame
    rejected: dict[str, int] = field(default_factory=dict)

    @property
    def read(self) -> int:
        return len(self.frame) + sum(self.rejected.values())


class _Limited(io.RawIOBase):
    """The first `limit` bytes of a file, so pandas never sees an unterminated tail."""

    def __init__(self, path: str, limit: int):
        self._file = open(path, 'rb')
        self._left = limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._left <= 0:
            return 0
        view = memoryview(buffer)[: min(len(buffer), self._left)]
        n = self._file.readinto(view)
        self._left -= n
        return n

    def close(self) -> None:
        self._file.close()
        super().close()


def _scan(path: str) -> tuple[int, bool]:
    """Where the readable part of the file ends (the start of an unterminated record, else its size), and whether it is valid UTF-8."""
    quotes = 0
    valid = True
    decoder = codecs.getincrementaldecoder('utf-8')('strict')
    size = os.path.getsize(path)
    with open(path, 'rb') as f:
        while True:
            chunk = f.read(_CHUNK)
            if not chunk:
                break
            quotes += chunk.count(b'"')
            if valid:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    valid = False
    if quotes % 2 == 0:
        return size, valid
    # The last quote character opens the field that never closes (a later one would close it):
    # the record holding it starts after the last newline before it.
    with open(path, 'rb') as f:
        start = max(0, size - _CHUNK)
        f.seek(start)
        tail = f.read()
    last_quote = start + tail.rfind(b'"')
    newline = tail.rfind(b'\n', 0, last_quote - start)
    return (start + newline + 1 if newline >= 0 else 0), valid


_SKIPPED = re.compile(r'^Skipping line \d+: expected \d+ fields, saw \d+', re.M)


def read_export(path: str, header_rows: int = 1, **read_csv_options) -> RawExport:
    """Read an export with pd.read_csv; extra options (dtype=, usecols=, ...) pass through."""
    end, utf8 = _scan(path)
    size = os.path.getsize(path)
    rejected: dict[str, int] = {}
    if end < size:
        rejected['unterminated_quote'] = 1
    # Invalid bytes can sit in any column: read them all to find the rows, then keep the requested ones.
    usecols = read_csv_options.pop('usecols', None) if not utf8 else None
    messages = io.StringIO()
    source = _Limited(path, end) if end < size else path
    try:
        with contextlib.redirect_stderr(messages):
            frame = pd.read_csv(
                source,
                header=0,
                skiprows=list(range(1, header_rows)),
                on_bad_lines='warn',
                encoding='utf-8',
                encoding_errors='replace',
                **read_csv_options,
            )
    finally:
        if end < size:
            source.close()
    skipped = len(_SKIPPED.findall(messages.getvalue()))
    if skipped:
        rejected['wrong_column_count'] = skipped
    if not utf8:
        bad = pd.Series(False, index=frame.index)
        for column in frame.columns:
            values = frame[column]
            if isinstance(values.dtype, pd.CategoricalDtype):
                broken = [c for c in values.cat.categories if isinstance(c, str) and REPLACEMENT in c]
                bad |= values.isin(broken)
            elif values.dtype == object:
                bad |= values.str.contains(REPLACEMENT, regex=False, na=False)
        if bad.any():
            rejected['bad_encoding'] = int(bad.sum())
            frame = frame[~bad]
        if usecols is not None:
            frame = frame[[c for c in frame.columns if c in set(usecols)]]
    return RawExport(path=path, frame=frame, rejected=rejected)
