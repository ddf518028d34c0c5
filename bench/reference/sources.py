"""Each export of the simulated company read, typed and checked as cxray's `cxray init` mapping says.

The column mapping mirrors the cxray.yaml that `cxray init` writes for these
files (see bench/out/workspace-100000/cxray.yaml): which column is the
customer key and how it joins (Record ID, or the e-mail compared trimmed and
lower-cased), the row keys, the personal-data rules (they change what counts as
an exact duplicate), the charge-type and channel maps, and the where rules. The
checks of each feed are listed in cxray's order (src/ingest/compile-feed.ts):
per canonical column, its parse check, then missing_value when required.

Where the variants differ, and why:
- idiomatic: `pd.read_csv(path)` with its defaults, every column, types inferred
  (a numeric column comes back as numbers, a date column as text to convert).
- best: `dtype=str` so nothing is inferred (and blanks stay ''), `dtype='category'`
  for label columns and for customer keys repeated on many rows (each distinct
  value is then trimmed, lower-cased and matched once, not once per row),
  explicit date formats. Not `usecols=`: pandas stops counting fields with it.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from exports import RawExport, read_export
from parse import blank, by_category, epoch_microseconds, integer, mapped, money_cents, number, text, timestamp
from stage import Feed, Staged, combine_feeds, conflicts, exact_duplicates, first_reason

# Personal data as cxray.yaml declares it: dropped columns are gone before duplicates are found; hashed ones compare trimmed, lower-cased.
PII_DROP = {
    'contacts': ['First Name', 'Last Name', 'Phone Number'],
    'survey': ['IPAddress', 'RecipientLastName', 'RecipientFirstName', 'RecipientEmail', 'LocationLatitude', 'LocationLongitude'],
    'tickets': ['Requester', 'Requester email'],
}
PII_HASH = {'contacts': ['Email'], 'payments': ['Customer Email'], 'subscriptions': ['Customer Email']}
ROW_KEYS = {'contacts': ['Record ID'], 'survey': ['ResponseId'], 'subscriptions': ['id'], 'payments': ['id'], 'tickets': ['Id']}
# Columns the best variant reads as categories: labels with a handful of values, and customer keys
# repeated on many rows (an e-mail on every payment): parsed, trimmed and matched once per distinct value.
CATEGORIES = {
    'contacts': ['Lifecycle Stage', 'Contact owner', 'Segment', 'Acquisition Channel', 'Region', 'Contract Type', 'Plan', 'Experiment Group'],
    'events': ['event_date', 'event_name', 'user_id', 'user_pseudo_id', 'platform', 'traffic_source.source'],
    'survey': ['Status', 'Progress', 'Finished', 'DistributionChannel', 'UserLanguage'],
    'subscriptions': ['Plan', 'Status', 'Cancellation Reason'],
    'payments': ['Currency', 'Captured', 'Status', 'Description', 'Customer ID', 'Customer Email', 'charge_type (metadata)', 'product (metadata)'],
    'tickets': ['Summation column', 'Requester', 'Requester id', 'Requester external id', 'Requester email', 'Subject', 'Status', 'Priority', 'Via', 'Ticket type', 'Satisfaction Score', 'Tags'],
}
DATE_FORMATS = {'minutes': '%Y-%m-%d %H:%M', 'seconds': '%Y-%m-%d %H:%M:%S', 'day': '%Y-%m-%d'}

TRANSACTION_KINDS = ['purchase', 'fee', 'refund', 'credit']
CHARGE_KINDS = {'subscription': 'purchase', 'paper_bill_fee': 'fee', 'overage_fee': 'fee', 'late_fee': 'fee', 'credit': 'credit', 'one_off': 'purchase'}
CHANNELS = ['phone', 'email', 'chat', 'walk-in', 'web', 'other']
VIA = {'Phone call': 'phone', 'Chat': 'chat', 'Mail': 'email', 'Web form': 'web', 'Walk-in': 'walk-in'}
RESOLVED = {'Closed': True, 'Solved': True, 'Pending': False, 'Open': False}
SATISFACTION = {'Good': 1.0, 'Bad': 0.0, 'Offered': np.nan, 'Unoffered': np.nan}
SURVEY_ANSWERS = {'Q1': 'nps', **{f'Q2_{k}': 'rating' for k in range(1, 9)}, 'Q3': 'csat', 'Q4_TEXT': 'comment'}


HEADER_ROWS = {'survey': 3}


def read(source: str, path: str, variant: str) -> RawExport:
    header_rows = HEADER_ROWS.get(source, 1)
    if variant == 'idiomatic':
        return read_export(path, header_rows)
    # No usecols=: with it pandas stops checking the field count, and a row with an extra
    # field would load (as a copy of its neighbour) where cxray quarantines it.
    categories = set(CATEGORIES.get(source, []))
    # The header only, but the C parser decodes its first buffer (256 KiB): in a small export that holds the invalid bytes
    # read_export counts as bad_encoding, so they are replaced here too.
    names = pd.read_csv(path, nrows=0, encoding_errors='replace').columns
    dtype = {c: 'category' if c in categories else str for c in names}
    return read_export(path, header_rows, dtype=dtype, keep_default_na=False)


def fmt(variant: str, kind: str) -> str | None:
    return None if variant == 'idiomatic' else DATE_FORMATS[kind]


class Reference(NamedTuple):
    """A customer reference as cxray matches it, and whether the raw cell was blank (missing_value)."""

    key: pd.Series
    blank: pd.Series


def _reference(s: pd.Series, unquote: bool, lower: bool) -> Reference:
    def normal(value):
        if not isinstance(value, str) or value.strip() == '':
            return np.nan
        value = value.strip()
        if unquote and value.startswith("'"):
            value = value[1:]
        return value.lower() if lower else value

    if isinstance(s.dtype, pd.CategoricalDtype):
        # Once per distinct value (the best variant reads repeated keys as categories).
        return Reference(by_category(s, normal), blank(s))
    t = text(s)
    key = t.mask(t.str.startswith("'", na=False), t.str[1:]) if unquote else t
    return Reference(key.str.lower() if lower else key, t.isna())


def ref_id(s: pd.Series) -> Reference:
    """Trimmed, without the leading apostrophe spreadsheets add to keep ids as text."""
    return _reference(s, unquote=True, lower=False)


def ref_email(s: pd.Series) -> Reference:
    """Trimmed and lower-cased (cxray hashes e-mails after normalising them, so equal ones still join)."""
    return _reference(s, unquote=False, lower=True)


def _begin(source: str, raw: RawExport):
    f = raw.frame
    duplicate = exact_duplicates(f, PII_DROP.get(source, []), PII_HASH.get(source, []))
    return f, duplicate, conflicts(f, ROW_KEYS.get(source, []), duplicate)


def _one_feed(source, raw, f, duplicate, conflict, checks, table, rows, refs) -> Staged:
    applies = pd.Series(True, index=f.index)
    reason, applies = combine_feeds(f.index, duplicate, conflict, [(applies, first_reason(f.index, checks))])
    return Staged(source, raw, duplicate, reason, applies, [Feed(table, rows, refs)])


def stage_contacts(raw: RawExport, variant: str) -> Staged:
    f, duplicate, conflict = _begin('contacts', raw)
    customer_id = text(f['Record ID'])
    signup = timestamp(f['Create Date'], fmt(variant, 'minutes'))
    age = integer(f['Age'])
    rows = pd.DataFrame({'customer_id': customer_id, 'signup_at': signup.values, 'email': ref_email(f['Email']).key})
    for name, column in [('lifecycle_stage', 'Lifecycle Stage'), ('contact_owner', 'Contact owner'), ('segment', 'Segment'), ('acquisition_channel', 'Acquisition Channel')]:
        rows[name] = text(f[column])
    rows['age'] = age.values
    for name, column in [('region', 'Region'), ('contract_type', 'Contract Type'), ('plan', 'Plan'), ('experiment_group', 'Experiment Group')]:
        rows[name] = text(f[column])
    checks = [(customer_id.isna(), 'missing_value'), (signup.invalid, 'bad_date'), (age.invalid, 'not_a_number')]
    return _one_feed('contacts', raw, f, duplicate, conflict, checks, 'customers', rows, {})


def stage_events(raw: RawExport, variant: str) -> Staged:
    f, duplicate, conflict = _begin('events', raw)
    customer = ref_id(f['user_id'])
    at = epoch_microseconds(f['event_timestamp'])
    behaviour = text(f['event_name'])
    rows = pd.DataFrame({'customer_id': customer.key, 'at': at.values, 'behaviour': behaviour})
    checks = [(customer.blank, 'missing_value'), (at.invalid, 'bad_date'), (at.blank, 'missing_value'), (behaviour.isna(), 'missing_value')]
    return _one_feed('events', raw, f, duplicate, conflict, checks, 'behaviour_events', rows, {'customer_id': 'id'})


def stage_referrals(raw: RawExport, variant: str) -> Staged:
    f, duplicate, conflict = _begin('referrals', raw)
    referrer, referred = ref_id(f['referrer_id']), ref_id(f['referred_id'])
    at = timestamp(f['referred_at'], fmt(variant, 'day'))
    rows = pd.DataFrame({'referrer_id': referrer.key, 'referred_id': referred.key, 'at': at.values})
    checks = [(referrer.blank, 'missing_value'), (referred.blank, 'missing_value'), (at.invalid, 'bad_date')]
    return _one_feed('referrals', raw, f, duplicate, conflict, checks, 'referrals', rows, {'referrer_id': 'id', 'referred_id': 'id'})


def stage_subscriptions(raw: RawExport, variant: str) -> Staged:
    f, duplicate, conflict = _begin('subscriptions', raw)
    customer = ref_email(f['Customer Email'])
    start = timestamp(f['Start (UTC)'], fmt(variant, 'minutes'))
    cancel = timestamp(f['Canceled At (UTC)'], fmt(variant, 'minutes'))
    canceled = ~cancel.blank
    feeds = [
        (pd.Series(True, index=f.index), first_reason(f.index, [(customer.blank, 'missing_value'), (start.invalid, 'bad_date'), (start.blank, 'missing_value')])),
        (canceled, first_reason(f.index, [(customer.blank, 'missing_value'), (cancel.invalid, 'bad_date')])),
    ]
    reason, applies = combine_feeds(f.index, duplicate, conflict, feeds)
    started = pd.DataFrame({'customer_id': customer.key, 'at': start.values, 'status': 'active'})
    churned = pd.DataFrame({'customer_id': customer.key, 'at': cancel.values, 'status': 'churned'})[canceled]
    refs = {'customer_id': 'email'}
    return Staged('subscriptions', raw, duplicate, reason, applies, [Feed('status_changes', started, refs), Feed('status_changes', churned, refs)])


def stage_payments(raw: RawExport, variant: str, currency: str) -> Staged:
    f, duplicate, conflict = _begin('payments', raw)
    customer = ref_email(f['Customer Email'])
    at = timestamp(f['Created date (UTC)'], fmt(variant, 'seconds'))
    kind = mapped(f['charge_type (metadata)'], {**{k: k for k in TRANSACTION_KINDS}, **CHARGE_KINDS}, default='purchase')
    amount = money_cents(f['Amount'])
    refunded = money_cents(f['Amount Refunded'])
    # cxray's where rule reads the number itself (`Amount Refunded > 0`), before any check.
    is_refunded = pd.Series(refunded.values.to_numpy() > 0, index=f.index) & ~refunded.invalid
    common = [(customer.blank, 'missing_value'), (at.invalid, 'bad_date'), (at.blank, 'missing_value')]
    charge_checks = common + [(kind.isna(), 'missing_value'), (amount.invalid, 'not_a_number'), (amount.blank, 'missing_value'), (amount.values < 0, 'negative_amount')]
    refund_checks = common + [(refunded.invalid, 'not_a_number'), (refunded.values < 0, 'negative_amount')]
    reason, applies = combine_feeds(
        f.index, duplicate, conflict, [(pd.Series(True, index=f.index), first_reason(f.index, charge_checks)), (is_refunded, first_reason(f.index, refund_checks))]
    )
    written = pd.unique(text(f['Currency'])[~duplicate & reason.isna()])
    others = sorted({currency if pd.isna(c) else c.upper() for c in written} - {currency})
    if others:
        raise SystemExit(f'payments are in {others} as well as {currency}: cxray would refuse them without exchange rates')
    category = text(f['charge_type (metadata)'])
    charges = pd.DataFrame({'customer_id': customer.key, 'at': at.values, 'kind': kind, 'cents': amount.values, 'category': category})
    refunds = pd.DataFrame({'customer_id': customer.key, 'at': at.values, 'kind': 'refund', 'cents': refunded.values, 'category': category})[is_refunded]
    refs = {'customer_id': 'email'}
    return Staged('payments', raw, duplicate, reason, applies, [Feed('transactions', charges, refs), Feed('transactions', refunds, refs)])


def stage_tickets(raw: RawExport, variant: str) -> Staged:
    f, duplicate, conflict = _begin('tickets', raw)
    customer = ref_id(f['Requester external id'])
    at = timestamp(f['Created at'], fmt(variant, 'seconds'))
    channel = mapped(f['Via'], {**{c: c for c in CHANNELS}, **VIA}, default='other')
    minutes = number(f['Full resolution time in minutes'])
    checks = [(customer.blank, 'missing_value'), (at.invalid, 'bad_date'), (at.blank, 'missing_value'), (channel.isna(), 'missing_value'), (minutes.invalid, 'not_a_number')]
    rows = pd.DataFrame(
        {'customer_id': customer.key, 'at': at.values, 'channel': channel, 'handling_minutes': minutes.values, 'resolved': mapped(f['Status'], RESOLVED, default=False)}
    )
    # The scorecard's contact touchpoints: the ticket type as the contact reason, the satisfaction rating on 0..1 (not rated: empty).
    rows['reason'] = text(f['Ticket type'])
    rows['satisfaction'] = mapped(f['Satisfaction Score'], SATISFACTION, default=np.nan).astype(float)
    return _one_feed('tickets', raw, f, duplicate, conflict, checks, 'interactions', rows, {'customer_id': 'id'})


def stage_survey(raw: RawExport, variant: str) -> Staged:
    """One row per response, answers side by side (cxray unpivots them into one row per answer; the facts are the same)."""
    f, duplicate, conflict = _begin('survey', raw)
    customer = ref_id(f['ExternalReference'])
    at = timestamp(f['RecordedDate'], fmt(variant, 'seconds'))
    feed_reason = first_reason(f.index, [(customer.blank, 'missing_value'), (at.invalid, 'bad_date'), (at.blank, 'missing_value')])
    rows = pd.DataFrame({'response_id': text(f['ResponseId']), 'customer_id': customer.key, 'at': at.values})
    present_any = pd.Series(False, index=f.index)
    answer_reason = pd.Series(np.nan, index=f.index, dtype=object)
    for column, instrument in SURVEY_ANSWERS.items():
        if instrument == 'comment':
            rows[column] = text(f[column])
            present_any |= rows[column].notna()
            continue
        score = number(f[column])
        present_any |= ~score.blank
        checks = [(score.invalid, 'not_a_number')]
        if instrument == 'nps':
            checks.append((score.values.notna() & (~score.values.between(0, 10) | (score.values != np.trunc(score.values))), 'invalid_value'))
        rows[column] = score.values
        # cxray keeps the smallest reason over a response's answers (min() over the unpivoted rows).
        answer_reason = _min_text(answer_reason, first_reason(f.index, checks).where(~score.blank))
    previews = text(f['Status']).str.lower().isin(['survey preview'])
    # A response without any answer yields no answer rows: no feed takes it, so it is excluded.
    applies = ~previews & present_any
    reason = feed_reason.where(feed_reason.notna(), answer_reason)
    reason, applies = combine_feeds(f.index, duplicate, conflict, [(applies, reason)])
    return Staged('survey', raw, duplicate, reason, applies, [Feed('survey_responses', rows, {'customer_id': 'id'})])


def _min_text(a: pd.Series, b: pd.Series) -> pd.Series:
    """Element-wise smallest text, NaN only where both are."""
    both = a.notna() & b.notna()
    out = a.where(a.notna(), b)
    smaller = both & (b.astype(str) < a.astype(str))
    return out.mask(smaller, b)


STAGERS = {
    'contacts': stage_contacts,
    'events': stage_events,
    'survey': stage_survey,
    'referrals': stage_referrals,
    'subscriptions': stage_subscriptions,
    'payments': stage_payments,
    'tickets': stage_tickets,
}
