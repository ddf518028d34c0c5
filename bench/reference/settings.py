"""What the per-customer facts depend on besides the files: as_of and the business rules of cxray.yaml.

Without --config the rules are those `cxray init` writes for the simulated
company (no handling cost declared, so cost_to_serve is 0). With --config the
same keys are read from a cxray.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

INIT_FEES = ['late_fee', 'overage_fee', 'paper_bill_fee']
INIT_FEE_LABELS = {'late_fee': 'Late fee', 'overage_fee': 'Overage fee', 'paper_bill_fee': 'Paper bill fee'}
INIT_BEHAVIOURS = {'autopay': 'autopay_on', 'paperless_billing': 'paperless_billing_on', 'referrals': 'referral_sent', 'self_service': 'self_service_login'}
INIT_BEHAVIOUR_LABELS = {'autopay': 'Automatic payment', 'paperless_billing': 'Paperless billing', 'referrals': 'Refers friends', 'self_service': 'Self-service'}
INIT_SEGMENTS = {
    'segment': ('segment', None),
    'acquisition_channel': ('acquisition_channel', None),
    'age_band': ('age', [25, 35, 45, 55, 65]),
    'region': ('region', None),
    'contract_type': ('contract_type', None),
    'plan': ('plan', None),
}
# Attributes cxray.yaml marks at_acquisition (the profile's cohort mix and value-tier levels use them), in yaml order.
INIT_AT_ACQUISITION = ['segment', 'acquisition_channel', 'age', 'region', 'contract_type', 'plan']
ATTRIBUTES = ['lifecycle_stage', 'contact_owner', 'segment', 'acquisition_channel', 'age', 'region', 'contract_type', 'plan', 'experiment_group']


def snake_case(text: str) -> str:
    """cxray's column-name rule (src/facts/column-names.ts) for ASCII text."""
    plain = re.sub(r'^_+|_+$', '', re.sub(r'[^a-z0-9]+', '_', text.lower()))
    return plain or 'unnamed'


@dataclass
class Settings:
    as_of: str
    currency: str = 'USD'
    fiscal_year_start_month: int = 1
    fees: list[str] = field(default_factory=lambda: list(INIT_FEES))
    # fee category -> its label in cxray.yaml (bad-revenue names a line by it, else by the category)
    fee_labels: dict[str, str] = field(default_factory=lambda: dict(INIT_FEE_LABELS))
    behaviours: dict[str, str] = field(default_factory=lambda: dict(INIT_BEHAVIOURS))
    behaviour_labels: dict[str, str] = field(default_factory=lambda: dict(INIT_BEHAVIOUR_LABELS))
    handling_cost: dict[str, float] = field(default_factory=dict)
    handling_cost_per_minute: dict[str, float] = field(default_factory=dict)
    segments: dict[str, tuple[str, list[float] | None]] = field(default_factory=lambda: dict(INIT_SEGMENTS))
    at_acquisition: list[str] = field(default_factory=lambda: list(INIT_AT_ACQUISITION))
    # Differences worth reporting (cxray's default thresholds) and the false discovery rate.
    fdr: float = 0.05
    thresholds: dict[str, float] = field(default_factory=lambda: {'points': 2, 'percentage_points': 1, 'standardised_difference': 0.1, 'money': 1, 'concentration_ratio': 1.2})

    @property
    def start(self) -> pd.Timestamp:
        """First instant of the as_of day (UTC)."""
        return pd.Timestamp(self.as_of)

    @property
    def end(self) -> pd.Timestamp:
        """First instant after the as_of day: rows count when at < end."""
        return self.start + pd.Timedelta(days=1)


# A question text written plainly inside a flow mapping: `{ instrument: nps, question: How likely ...? }`.
_PLAIN_QUESTION = re.compile(r'(question: )(?!["\'])([^{}\n]*?)( })$', re.MULTILINE)


def read_config(config_path: str) -> dict:
    """cxray.yaml as a dict. `cxray init` writes survey question texts plainly inside flow mappings, which is valid YAML 1.2
    but which PyYAML rejects when the text holds '? ' (read as a key indicator): such texts are quoted before a second try."""
    import yaml

    with open(config_path, encoding='utf-8') as f:
        text = f.read()
    try:
        return yaml.safe_load(text) or {}
    except yaml.YAMLError:
        quoted = _PLAIN_QUESTION.sub(lambda m: f'{m.group(1)}"{m.group(2).replace(chr(92), chr(92) * 2).replace(chr(34), chr(92) + chr(34))}"{m.group(3)}', text)
        return yaml.safe_load(quoted) or {}


def load_settings(as_of: str | None, config_path: str | None) -> Settings:
    if config_path is None:
        if as_of is None:
            raise SystemExit('give --as-of (or --config with as_of)')
        return Settings(as_of=as_of)
    doc = read_config(config_path)
    when = as_of or str(doc.get('as_of'))
    behaviours = {k: v['event'] for k, v in (doc.get('behaviours') or {}).items() if 'event' in v}
    labels = {k: v['label'] for k, v in (doc.get('behaviours') or {}).items() if 'label' in v}
    segments = {k: (v['attribute'], v.get('bands')) for k, v in (doc.get('segments') or {}).items()}
    at_acquisition = []
    for source in (doc.get('sources') or {}).values():
        for feed in source.get('feeds', []):
            if feed.get('table') == 'customers':
                at_acquisition += [k for k, v in (feed.get('attributes') or {}).items() if isinstance(v, dict) and v.get('at_acquisition')]
    return Settings(
        as_of=when,
        currency=doc.get('currency', 'USD'),
        fiscal_year_start_month=int(doc.get('fiscal_year_start_month', 1)),
        fees=sorted((doc.get('fees') or {}).keys()),
        fee_labels={k: v['label'] for k, v in (doc.get('fees') or {}).items() if isinstance(v, dict) and v.get('label')},
        behaviours=dict(sorted(behaviours.items())),
        behaviour_labels=labels,
        handling_cost=dict(doc.get('handling_cost') or {}),
        handling_cost_per_minute=dict(doc.get('handling_cost_per_minute') or {}),
        segments=segments,
        at_acquisition=at_acquisition,
    )
