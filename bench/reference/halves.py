"""Which half of the customers a customer falls in, as src/analysis/ideal-profile/search.ts's halfSql draws it.

The dialect's portable hash of the id: the first 16 hex digits of its MD5 as
an unsigned 64-bit integer (src/engine/duckdb/dialect.ts hashString); held
out when that modulo 8192 is at least 4096 (bit 12: independent of the
bootstrap's blocks, the hash modulo 4096).
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd


def held_out(customer_ids: pd.Series) -> np.ndarray:
    """True for the held-out half, per customer id (as text)."""
    return np.fromiter(((int(hashlib.md5(str(c).encode('utf-8')).hexdigest()[:16], 16) % 8192) >= 4096 for c in customer_ids), dtype=bool, count=len(customer_ids))
