"""What the perfect-customer and key-drivers analyses read from cxray.yaml besides Settings.

Without --config these are what `cxray init` writes for the simulated
company: no adjust_for (the default covariates), a 12-month retention window
(the schema's default), no declared value per month, one experience area
per rated survey area, keyed by its snake_case name (no contact reasons,
behaviours or characteristic), quarter_end's defaults (a 14-day window, 60
days for an early refund, 12 months) and the default thresholds (the
scorecard's margin of 5 points, 2 points a year for its trends).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class AnalysisSettings:
    adjust_for: list[str] | None = None
    retention_window_months: int = 12
    # behaviour key -> declared money per customer-month
    value_per_month: dict[str, float] = field(default_factory=dict)
    # experience area key -> (label, survey area values); None: init's one area per rated survey area
    experience_areas: dict[str, tuple[str, list[str]]] | None = None
    # fit.rule_attributes: the attributes the ideal profile's rules may use; None: all but a price tier
    rule_attributes: list[str] | None = None
    # quarter_end: the push's last days of each fiscal quarter, the early-refund days, the months the push's money is counted over
    quarter_end_window_days: int = 14
    quarter_end_refund_days: int = 60
    quarter_end_horizon_months: int = 12
    # experience area key -> its cxray.yaml entry as written (interaction_reasons, behaviours, characteristic): the scorecard's
    # touchpoints and characteristics; None: init's areas, which list neither
    experience_area_specs: dict[str, dict] | None = None
    # thresholds.scorecard_margin and thresholds.points (the scorecard's margin, and its trends' points a year)
    scorecard_margin: float = 5.0
    points_threshold: float = 2.0


def load_analysis_settings(config_path: str | None) -> AnalysisSettings:
    if config_path is None:
        return AnalysisSettings()
    from settings import read_config

    doc = read_config(config_path)
    behaviours = doc.get('behaviours') or {}
    areas = doc.get('experience_areas') or {}
    quarter_end = doc.get('quarter_end') or {}
    thresholds = doc.get('thresholds') or {}
    return AnalysisSettings(
        adjust_for=list(doc['adjust_for']) if doc.get('adjust_for') is not None else None,
        retention_window_months=int(doc.get('retention_window_months', 12)),
        value_per_month={k: float(v['value_per_month']) for k, v in behaviours.items() if isinstance(v, dict) and v.get('value_per_month') is not None},
        experience_areas={k: (v.get('label') or k, list(v.get('survey_areas') or [])) for k, v in areas.items()},
        rule_attributes=(doc.get('fit') or {}).get('rule_attributes'),
        quarter_end_window_days=int(quarter_end.get('window_days', 14)),
        quarter_end_refund_days=int(quarter_end.get('refund_days', 60)),
        quarter_end_horizon_months=int(quarter_end.get('horizon_months', 12)),
        experience_area_specs={k: dict(v or {}) for k, v in areas.items()},
        scorecard_margin=float(thresholds.get('scorecard_margin', 5)),
        points_threshold=float(thresholds.get('points', 2)),
    )
