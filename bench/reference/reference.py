#!/usr/bin/python3
"""The pandas reference pipeline of the benchmark: what an analyst computes with pandas
from the simulated company's exports, to check cxray's numbers and to time cxray against.

    /usr/bin/python3 bench/reference/reference.py --company bench/out/company-100000 \\
        --as-of 2026-06-30 --variant best --out /tmp/ref-best.json

Steps, each timed (wall clock): read every export; validate (types, checks,
duplicates, quarantine, customers resolved through the contacts export);
per-customer aggregates (the plain columns of cxray's customer_facts); the
profile figures; the perfect-customer figures; the key drivers of
satisfaction; value by segment; the lifetime-value fits (lifetime_value.py); the fit score
(fit.py), the ideal profile (ideal_profile.py), misaligned segments (misaligned.py), the mix
over cohorts (mix.py, on the reference's own rules and segments), referrals (referrals.py), and
the fairness analyses: bad revenue (bad_revenue.py), what fees do next (fee_aftermath.py),
quarter-end pushes (quarter_end.py) and value delivered against value captured (value_balance.py),
and the experience scorecard (scorecard.py, with key drivers' weights); comments (comments.py:
the data steps here, each comment's language, sentiment and themes from cxray's text layer run by
node, text_labels.py) and the measured effect of the stored changes and declared experiments
(changes.py, experiments.py).
Writes the JSON (ledger per file, canonical table sizes, profile, perfect_customer, key_drivers,
value, lifetime_value, fit, ideal_profile, misaligned, mix, referrals, bad_revenue, fee_aftermath,
quarter_end, value_balance, scorecard, comments, changes, timings, peak RSS) and the facts as
CSV next to it (money in whole cents). Variants: `idiomatic` (what an analyst
writes) and `best` (the best documented options); see sources.py, facts_*.py,
profile_groups.py, fits_*.py, key_drivers.py, value.py, fit*.py, cell_sums.py, mix.py,
referral_comparisons.py, bad_revenue.py, risk_sets.py, quarter_end_sales.py, hazard.py, value_map.py and
scorecard*.py, comment*.py, change_*.py and did_fits.py for where they differ and why.
Needs Debian's pandas, scipy and statsmodels (/usr/bin/python3), and node for the comments' text layer.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
import warnings

sys.dont_write_bytecode = True  # no __pycache__ in the repository
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import bad_revenue  # noqa: E402
import changes  # noqa: E402
import comments  # noqa: E402
import facts_best  # noqa: E402
import facts_idiomatic  # noqa: E402
import fee_aftermath  # noqa: E402
import fit  # noqa: E402
import ideal_profile  # noqa: E402
import identity  # noqa: E402
import key_drivers  # noqa: E402
import lifetime_value  # noqa: E402
import misaligned  # noqa: E402
import mix  # noqa: E402
import perfect_customer  # noqa: E402
import profile_groups  # noqa: E402
import profile_values  # noqa: E402
import quarter_end  # noqa: E402
import referrals  # noqa: E402
import scorecard  # noqa: E402
import value  # noqa: E402
import value_balance  # noqa: E402
from analysis_settings import AnalysisSettings, load_analysis_settings  # noqa: E402
from exports import find_exports  # noqa: E402
from facts_common import money_columns  # noqa: E402
from result_table import table  # noqa: E402
from settings import load_settings  # noqa: E402
from sources import STAGERS, SURVEY_ANSWERS, read, stage_payments  # noqa: E402
from workspace_settings import WorkspaceSettings, load_workspace_settings  # noqa: E402


def run(company: str, variant: str, settings, extras: AnalysisSettings, workspace: WorkspaceSettings | None = None) -> tuple[dict, pd.DataFrame, dict]:
    workspace = workspace if workspace is not None else WorkspaceSettings()
    timings = {}
    paths = find_exports(company)

    started = time.perf_counter()
    raws = {key: read(key, path, variant) for key, path in paths.items()}
    timings['read'] = time.perf_counter() - started

    started = time.perf_counter()
    staged = {key: stage_payments(raw, variant, settings.currency) if key == 'payments' else STAGERS[key](raw, variant) for key, raw in raws.items()}
    customers = identity.resolve(staged)
    tables = identity.tables(staged)
    timings['validate'] = time.perf_counter() - started

    started = time.perf_counter()
    facts = (facts_idiomatic if variant == 'idiomatic' else facts_best).customer_facts(customers, tables, settings)
    timings['facts'] = time.perf_counter() - started

    started = time.perf_counter()
    profile = build_profile(facts, settings, variant)
    timings['profile'] = time.perf_counter() - started

    started = time.perf_counter()
    pc = perfect_customer.perfect_customer(facts, {k: len(v) for k, v in tables.items()}, settings, extras, variant)
    timings['perfect_customer'] = time.perf_counter() - started

    started = time.perf_counter()
    kd = key_drivers.key_drivers(tables['survey_responses'], pd.Index(facts['customer_id']), key_drivers.survey_questions(paths['survey']), extras, variant, settings.end)
    timings['key_drivers'] = time.perf_counter() - started

    started = time.perf_counter()
    values = value.value(facts, tables, settings, variant)
    timings['value'] = time.perf_counter() - started

    started = time.perf_counter()
    ltv = lifetime_value.lifetime_value(facts, tables['transactions'], settings, variant)
    timings['lifetime_value'] = time.perf_counter() - started

    started = time.perf_counter()
    score = fit.fit_score(facts, tables, settings, variant)
    fitted = fit.section(score, settings)
    timings['fit'] = time.perf_counter() - started

    started = time.perf_counter()
    ideal = ideal_profile.ideal_profile(facts, tables, score, key_drivers.survey_questions(paths['survey']), settings, extras, variant)
    timings['ideal_profile'] = time.perf_counter() - started

    started = time.perf_counter()
    segments = misaligned.misaligned(facts, settings, variant)
    timings['misaligned'] = time.perf_counter() - started

    started = time.perf_counter()
    mixed = mix.mix(facts, tables, ideal.holding, segments.reported, settings, variant)
    timings['mix'] = time.perf_counter() - started

    started = time.perf_counter()
    referred = referrals.referrals(facts, tables, settings, extras, variant)
    timings['referrals'] = time.perf_counter() - started

    started = time.perf_counter()
    unfair = bad_revenue.bad_revenue(facts, tables, settings, variant)
    timings['bad_revenue'] = time.perf_counter() - started

    started = time.perf_counter()
    aftermath = fee_aftermath.fee_aftermath(facts, tables, settings, variant)
    timings['fee_aftermath'] = time.perf_counter() - started

    started = time.perf_counter()
    pushes = quarter_end.quarter_end(facts, tables, settings, extras, variant)
    timings['quarter_end'] = time.perf_counter() - started

    started = time.perf_counter()
    balance = value_balance.value_balance(facts, tables, key_drivers.survey_questions(paths['survey']), settings, extras, variant)
    timings['value_balance'] = time.perf_counter() - started

    started = time.perf_counter()
    card = scorecard.scorecard(facts, tables, key_drivers.survey_questions(paths['survey']), kd, settings, extras, variant)
    timings['scorecard'] = time.perf_counter() - started

    started = time.perf_counter()
    remarks = comments.comments(facts, tables, key_drivers.survey_questions(paths['survey']), workspace.comment_themes, settings, extras, variant)
    timings['comments'] = time.perf_counter() - started
    # Of which cxray's text layer (language, VADER, themes) run by node on the reference's comments: comments.py says why.
    timings['comment_labels'] = remarks.pop('text_layer_seconds', 0.0)

    started = time.perf_counter()
    measured = changes.changes(facts, tables, workspace, settings, variant)
    timings['changes'] = time.perf_counter() - started

    survey = tables['survey_responses']
    answers = int(survey[list(SURVEY_ANSWERS)].notna().to_numpy().sum())
    table_rows = {'customers': len(customers), **{k: len(v) for k, v in tables.items() if k != 'survey_responses'}, 'survey_responses': answers}
    files = {os.path.basename(paths[key]): s.ledger() for key, s in staged.items()}
    return {'files': files, 'tables': table_rows, 'profile': profile, 'perfect_customer': pc, 'key_drivers': kd, 'value': values, 'lifetime_value': ltv,
            'fit': fitted, 'ideal_profile': ideal.section, 'misaligned': segments.section, 'mix': mixed, 'referrals': referred,
            'bad_revenue': unfair, 'fee_aftermath': aftermath, 'quarter_end': pushes, 'value_balance': balance, 'scorecard': card,
            'comments': remarks, 'changes': measured, 'timings': timings}, facts, timings


def build_profile(facts: pd.DataFrame, settings, variant: str) -> dict:
    tenure = profile_values.numeric_summary(facts['tenure_days'])
    concentration = profile_values.concentration(facts)
    tiers = profile_values.value_tiers(facts, settings, [a for a in settings.at_acquisition if a in profile_groups.CATEGORICAL])
    coverage = profile_groups.survey_coverage(facts, settings)
    measure = lambda name: [name, concentration['n'], concentration[name]['estimate'], concentration[name]['lower'], concentration[name]['upper']]  # noqa: E731
    return {
        **profile_values.headcount(facts),
        'money_totals': profile_values.money_totals(facts, settings),
        'nps': profile_values.nps(facts),
        'response_rate': coverage['response_rate'],
        'value_tier_cuts': tiers['cuts'],
        'top1_share': concentration['top1_share'],
        'tables': {
            'tenure': table(['n', 'mean_days', 'lower', 'upper', 'q1_days', 'median_days', 'q3_days'], [[tenure[k] for k in ('n', 'mean', 'lower', 'upper', 'q1', 'median', 'q3')]], 'n'),
            'cohort_mix': table(['attribute', 'cohort', 'level', 'n', 'cohort_customers', 'share', 'lower', 'upper'], profile_groups.cohort_mix(facts, settings), 'n', ('attribute', 'cohort', 'level')),
            'contact_channels': table(
                ['grouping', 'group', 'customers', 'customers_in_touch', 'contacts', 'digital_share', 'digital_lower', 'digital_upper', 'phone_share', 'in_person_share', 'other_share'],
                profile_groups.contact_channels(facts, settings, variant),
                'customers_in_touch',
                ('grouping', 'group'),
            ),
            'value_concentration': table(['measure', 'n', 'estimate', 'lower', 'upper'], [measure('top10_share'), measure('top20_share'), measure('gini')], 'n', ('measure',)),
            'lorenz_curve': table(['customers_share', 'value_share'], concentration['lorenz_curve']),
            'value_tiers': table(['tier', 'variable', 'kind', 'n', 'mean', 'lower', 'upper'], tiers['value_tiers'], 'n', ('tier', 'variable', 'kind')),
            'value_tier_levels': table(['tier', 'attribute', 'level', 'n', 'share', 'lower', 'upper'], tiers['value_tier_levels'], 'n', ('tier', 'attribute', 'level')),
            'top_tier_differences': table(
                ['measure', 'n', 'n_rest', 'top_quarter', 'others', 'standardised_difference', 'lower', 'upper', 'p_value', 'q_value', 'passes'],
                [[d['measure'], d['n'], d['n_rest'], d['top_quarter'], d['others'], d['estimate'], d['lower'], d['upper'], d['p_value'], d['q_value'], d['passes']] for d in tiers['top_tier_differences']],
                'n',
                ('measure',),
            ),
            'survey_coverage': table(
                ['measure', 'unit', 'n', 'n_others', 'difference', 'lower', 'upper', 'p_value', 'q_value', 'passes'],
                [[d['measure'], d['unit'], d['n'], d['n_others'], d['estimate'], d['lower'], d['upper'], d['p_value'], d['q_value'], d['passes']] for d in coverage['rows']],
                'n',
                ('measure', 'unit'),
            ),
            'attribute_shares': table(['attribute', 'level', 'n', 'share', 'lower', 'upper'], profile_groups.attribute_shares(facts), 'n', ('attribute', 'level')),
            'attribute_summaries': table(['attribute', 'unit', 'n', 'mean', 'lower', 'upper', 'q1', 'median', 'q3'], profile_groups.attribute_summaries(facts), 'n', ('attribute', 'unit')),
        },
    }


def write_facts(facts: pd.DataFrame, path: str) -> None:
    out = facts.copy()
    for column in out.columns:
        if out[column].dtype == bool:
            out[column] = out[column].map({True: 'true', False: 'false'})
    out.to_csv(path, index=False, date_format='%Y-%m-%d %H:%M:%S.%f', float_format='%.17g')


def _plain(value):
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return None if np.isnan(value) else float(value)
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if value is pd.NA or value is pd.NaT:
        return None
    raise TypeError(f'not JSON: {type(value)}')


def _clean(value):
    """NaN -> null everywhere (json.dumps would write NaN)."""
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--company', required=True, help='folder of the simulated exports')
    parser.add_argument('--as-of', help='YYYY-MM-DD (default: as_of of --config)')
    parser.add_argument('--config', help='a cxray.yaml to take as_of, fees, behaviours, handling costs and segments from (default: what cxray init writes)')
    parser.add_argument('--variant', choices=['idiomatic', 'best'], default='best')
    parser.add_argument('--out', required=True, help='the JSON to write; the facts go to <out without .json>.facts.csv')
    args = parser.parse_args()
    warnings.simplefilter('ignore', pd.errors.DtypeWarning)
    settings = load_settings(args.as_of, args.config)

    started = time.perf_counter()
    result, facts, timings = run(args.company, args.variant, settings, load_analysis_settings(args.config), load_workspace_settings(args.config))
    timings['total'] = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    facts_path = os.path.splitext(args.out)[0] + '.facts.csv'
    written = time.perf_counter()
    write_facts(facts, facts_path)
    doc = {
        'variant': args.variant,
        'company': os.path.abspath(args.company),
        'as_of': settings.as_of,
        'currency': settings.currency,
        'versions': {'python': platform.python_version(), 'pandas': pd.__version__, 'numpy': np.__version__},
        # Seconds, wall clock, per step (the bench runner reads `timings` and `peak_rss_mib`).
        'timings': {k: round(v, 3) for k, v in timings.items()},
        'write_seconds': round(time.perf_counter() - written, 3),
        'peak_rss_mib': round(peak, 1),
        'facts_csv': os.path.basename(facts_path),
        'facts_rows': len(facts),
        'facts_money_unit': 'cents',
        'facts_money_columns': money_columns(settings),
        **{k: v for k, v in result.items() if k != 'timings'},
    }
    with open(args.out, 'w', encoding='utf-8') as f:
        json.dump(_clean(json.loads(json.dumps(doc, default=_plain))), f, indent=1)
    print(json.dumps({'variant': args.variant, 'timings': doc['timings'], 'peak_rss_mib': doc['peak_rss_mib']}), file=sys.stderr)


if __name__ == '__main__':
    main()
