"""What the comments and changes analyses read from a workspace besides Settings and AnalysisSettings.

- cxray.yaml's `comment_themes` (handed to the text layer as written),
  `experiments` (control and treatment as text, as the schema turns them),
  `thresholds` (points, percentage points, standardised difference, money:
  the practical thresholds a change's and an experiment's measures are
  screened with) and the behaviours declared by an attribute;
- the changes `cxray changes add` stored: store/changes.json in the folder
  of the cxray.yaml given (a workspace's own layout, src/workspace/paths.ts).
Without --config: none of these (init writes no experiment, and a folder
without a workspace has no stored change), so `changes` is skipped.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

DEFAULT_THRESHOLDS = {'points': 2.0, 'percentage_points': 1.0, 'standardised_difference': 0.1, 'money': 1.0}


def _text(value) -> str:
    """z.union([string, number]).transform(String): a number as JavaScript writes it."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass
class WorkspaceSettings:
    comment_themes: dict = field(default_factory=dict)
    # experiment key -> {label, attribute, control, treatment, metrics, treatment_share}
    experiments: dict[str, dict] = field(default_factory=dict)
    # the stored changes, oldest first: {name, date, segment?, compare?, before_months?, after_months?}
    changes: list[dict] = field(default_factory=list)
    thresholds: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_THRESHOLDS))
    # behaviours cxray.yaml declares by a customer attribute (an experiment reads their adoption without events)
    attribute_behaviours: set[str] = field(default_factory=set)


def load_workspace_settings(config_path: str | None) -> WorkspaceSettings:
    if config_path is None:
        return WorkspaceSettings()
    from settings import read_config

    doc = read_config(config_path)
    experiments = {
        key: {
            'label': spec.get('label'), 'attribute': str(spec['attribute']), 'control': _text(spec['control']), 'treatment': _text(spec['treatment']),
            'metrics': list(spec['metrics']) if spec.get('metrics') is not None else None, 'treatment_share': float(spec['treatment_share']) if spec.get('treatment_share') is not None else None,
        }
        for key, spec in (doc.get('experiments') or {}).items()
    }
    stored = os.path.join(os.path.dirname(os.path.abspath(config_path)), 'store', 'changes.json')
    changes = []
    if os.path.exists(stored):
        with open(stored, encoding='utf-8') as f:
            body = json.load(f)
        if body.get('version') != 1:
            raise SystemExit(f'{stored}: not a version 1 changes file')
        changes = list(body['changes'])
    given = doc.get('thresholds') or {}
    return WorkspaceSettings(
        comment_themes=dict(doc.get('comment_themes') or {}),
        experiments=experiments,
        changes=changes,
        thresholds={k: float(given.get(k, v)) for k, v in DEFAULT_THRESHOLDS.items()},
        attribute_behaviours={k for k, v in (doc.get('behaviours') or {}).items() if isinstance(v, dict) and v.get('attribute') is not None},
    )
