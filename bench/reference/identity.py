"""Customers and the identity map: every other export names its customer by Record ID or by e-mail.

As in cxray (src/ingest/resolve-identity.ts): the customers are the contacts
rows that were inserted; an e-mail shared by several contacts resolves to the
smallest customer id (compared as text); a row whose customer is not found is
quarantined as unknown_customer, but only if nothing else quarantined it first.
"""

from __future__ import annotations

import pandas as pd

from stage import Staged


def resolve(staged: dict[str, Staged]) -> pd.DataFrame:
    """The customers table; resolves every reference in place (unmatched ones become NaN and quarantine their row)."""
    customers = pd.concat(staged['contacts'].table_rows('customers'))
    ids = pd.Index(customers['customer_id'].dropna().unique())
    # min per e-mail by one sort (groupby().min() on text runs a Python loop per group in pandas 1.5).
    owners = customers.dropna(subset=['email']).sort_values(['email', 'customer_id']).drop_duplicates('email')
    by_email = pd.Series(owners['customer_id'].to_numpy(), index=owners['email'].to_numpy())
    for source, s in staged.items():
        if source == 'contacts':
            continue
        for feed in s.feeds:
            for column, key in feed.refs.items():
                values = feed.rows[column]
                resolved = values.where(values.isin(ids)) if key == 'id' else values.map(by_email)
                unknown = values.notna() & resolved.isna()
                rows = unknown.index[unknown.to_numpy()]
                still_inserted = s.inserted().loc[rows]
                s.reason.loc[rows[still_inserted.to_numpy()]] = 'unknown_customer'
                feed.rows[column] = resolved
    return customers.drop(columns=['email'])


def tables(staged: dict[str, Staged]) -> dict[str, pd.DataFrame]:
    """Canonical tables (rows of inserted records, references resolved), one frame per table."""
    out: dict[str, list[pd.DataFrame]] = {}
    for s in staged.values():
        for table in dict.fromkeys(f.table for f in s.feeds if f.table != 'customers'):
            out.setdefault(table, []).extend(s.table_rows(table))
    return {table: pd.concat(frames, ignore_index=True) for table, frames in out.items()}
