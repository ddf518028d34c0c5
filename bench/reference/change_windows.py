"""A stored change's windows and names (changes/windows.ts, change.ts), in epoch seconds of UTC days.

- The before window: `before_months` (6) calendar months before the date (the
  day of the month kept, else the month's last day), starting no earlier
  than the first customer's first day (signup, else first purchase); split
  at the placebo date, half-way through it in whole days (rounded down).
- The after window: `after_months` (6) from the date, cut at the end of as_of.
- The slug: lower case, accents decomposed, runs of other characters one
  underscore, at most 40 characters; repeated slugs numbered `_2`, `_3`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata

DAY = 86_400
DEFAULT_MONTHS = 6


def day_seconds(day: str) -> float:
    """00:00 UTC of YYYY-MM-DD as epoch seconds."""
    return float(calendar.timegm(dt.date.fromisoformat(day).timetuple()))


def day_text(seconds: float) -> str:
    return dt.datetime.fromtimestamp(seconds, tz=dt.timezone.utc).strftime('%Y-%m-%d')


def add_months(day: str, months: int) -> float:
    """windows.ts addMonths: the day of the month kept, or the target month's last day."""
    d = dt.date.fromisoformat(day)
    index = d.year * 12 + (d.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return float(calendar.timegm(dt.date(year, month + 1, min(d.day, last)).timetuple()))


def windows(change: dict, as_of: str, first_start: float | None) -> dict:
    """The three spans [start, end) in seconds (the before window's halves, the after window), and their dates."""
    before_months = int(change.get('before_months') or DEFAULT_MONTHS)
    after_months = int(change.get('after_months') or DEFAULT_MONTHS)
    date = day_seconds(change['date'])
    asked = add_months(change['date'], -before_months)
    cuts = []
    begin = asked
    first_day = None if first_start is None else (first_start // DAY) * DAY
    if first_day is not None and first_day > begin:
        begin = first_day
    if asked < begin < date:
        cuts.append(f'the before window starts with the first customer ({day_text(begin)})')
    placebo = begin + ((date - begin) // DAY // 2) * DAY
    after_asked = add_months(change['date'], after_months)
    upper = day_seconds(as_of) + DAY
    spans = [(begin, min(placebo, upper)), (placebo, min(date, upper)), (date, min(after_asked, upper))]
    after = spans[2]
    if after[1] > after[0] and after[1] < after_asked:
        cuts.append(f'the after window ends at as_of ({as_of})')
    return {
        'spans': spans, 'before_start': day_text(begin), 'placebo': day_text(placebo),
        'after_last': day_text((after_asked if after[1] <= after[0] else after[1]) - DAY), 'cuts': cuts,
    }


def empty(span: tuple[float, float]) -> bool:
    return span[1] <= span[0]


def slug(name: str) -> str:
    text = unicodedata.normalize('NFKD', name.lower())
    text = re.sub(r'[^a-z0-9]+', '_', text).strip('_')[:40].rstrip('_')
    return text or 'change'


def unique_slugs(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        base = slug(name)
        seen[base] = seen.get(base, 0) + 1
        out.append(base if seen[base] == 1 else f'{base}_{seen[base]}')
    return out
