"""The characteristic of an outstanding experience an experience area stands for, as src/analysis/scorecard/characteristics.ts reads it.

cxray.yaml's `characteristic:` on the area (`none` leaves it out), else the
first default rule whose words the area's key (underscores as spaces), label
or survey areas hold, joined by ' | '. The patterns are the TypeScript ones;
JavaScript's \\b and \\w are ASCII-only without the u flag, hence re.ASCII.
"""

from __future__ import annotations

import re

CHARACTERISTICS = ['solves_problem', 'earns_trust', 'fair_treatment', 'beyond_expected', 'value_for_price', 'whole_person', 'authentic_relationship', 'consistent_story']

LABELS = {
    'solves_problem': "solves the customer's problem",
    'earns_trust': 'earns and protects trust',
    'fair_treatment': 'fair treatment',
    'beyond_expected': 'goes beyond what is expected',
    'value_for_price': 'value balanced with price',
    'whole_person': 'the whole person',
    'authentic_relationship': 'authentic relationship',
    'consistent_story': 'a consistent story',
}

_FLAGS = re.ASCII | re.IGNORECASE
DEFAULT_RULES = [
    ('value_for_price', re.compile(r'\b(price|prices|pricing|value|money|cost|costs|worth|afford\w*|tariff\w*)\b', _FLAGS)),
    ('fair_treatment', re.compile(r'\b(fair\w*|fees?|penalt\w*|charges?|polic\w*|terms|contracts?|refunds?|complaints?)\b', _FLAGS)),
    ('earns_trust', re.compile(r'\b(trust\w*|billing|bills?|payments?|invoic\w*|security|secure|privacy|data|accura\w*|honest\w*|transparen\w*)\b', _FLAGS)),
    (
        'solves_problem',
        re.compile(
            r'\b(support|customer care|help\w*|service|problems?|issues?|resolution|resolv\w*|fix\w*|network|coverage|reliab\w*|quality|product|delivery|app|apps|website|online|self[ -]?service|repairs?|technical)\b',
            _FLAGS,
        ),
    ),
    ('consistent_story', re.compile(r'\b(communication\w*|messag\w*|brand\w*|marketing|onboarding|getting started|welcome|consisten\w*|information|notifications?|promis\w*|sales)\b', _FLAGS)),
    ('beyond_expected', re.compile(r'\b(offers?|rewards?|loyalty|surprise\w*|extras?|delight\w*|perks?|gifts?|upgrades?|benefits?)\b', _FLAGS)),
    ('whole_person', re.compile(r'\b(personal\w*|person|life|family|accessib\w*|needs|care|wellbeing|well-being|tailor\w*|flexib\w*)\b', _FLAGS)),
    ('authentic_relationship', re.compile(r'\b(staff|stores?|shops?|branch\w*|people|agents?|advis[eo]rs?|account manag\w*|relationship\w*|team|representatives?|employees?)\b', _FLAGS)),
]


def area_characteristic(specs: dict[str, dict], name: str, label: str, survey_areas: list[str]) -> tuple[str | None, str]:
    """(characteristic or None, where it came from: config, default or none)."""
    declared = specs[name].get('characteristic') if name in specs else None
    if declared == 'none':
        return None, 'config'
    if declared is not None:
        return declared, 'config'
    text = ' | '.join([name.replace('_', ' '), label, *survey_areas])
    for characteristic, pattern in DEFAULT_RULES:
        if pattern.search(text):
            return characteristic, 'default'
    return None, 'none'


def configured_characteristic(specs: dict[str, dict], key: str) -> str | None:
    """An experience_areas key's characteristic from cxray.yaml alone (its label, else the key; its listed survey areas): contacts about it and its behaviours."""
    spec = specs.get(key, {})
    label = spec.get('label')
    return area_characteristic(specs, key, key if label is None else label, list(spec.get('survey_areas') or []))[0]
