import { EXPERIENCE_CHARACTERISTICS, type CxrayConfig } from '../../config/schema.js';

export type Characteristic = (typeof EXPERIENCE_CHARACTERISTICS)[number];

/** The characteristics of an outstanding experience, in words, in the framework's order. */
export const CHARACTERISTIC_LABELS: Record<Characteristic, string> = {
  solves_problem: "solves the customer's problem",
  earns_trust: 'earns and protects trust',
  fair_treatment: 'fair treatment',
  beyond_expected: 'goes beyond what is expected',
  value_for_price: 'value balanced with price',
  whole_person: 'the whole person',
  authentic_relationship: 'authentic relationship',
  consistent_story: 'a consistent story',
};

/**
 * Words that place an experience area under a characteristic when
 * cxray.yaml does not say (`characteristic:`), tried in this order on the
 * area's key, label and survey areas, the first that matches winning:
 * price before fairness (a "fair price" area is about value), fees and
 * policies before trust, billing and security before problem solving,
 * communication before offers (a "communication and offers" area is about
 * what the company says). A guess, stated in the Result; the `characteristic:`
 * key overrides it.
 */
const DEFAULT_RULES: readonly [Characteristic, RegExp][] = [
  ['value_for_price', /\b(price|prices|pricing|value|money|cost|costs|worth|afford\w*|tariff\w*)\b/i],
  ['fair_treatment', /\b(fair\w*|fees?|penalt\w*|charges?|polic\w*|terms|contracts?|refunds?|complaints?)\b/i],
  ['earns_trust', /\b(trust\w*|billing|bills?|payments?|invoic\w*|security|secure|privacy|data|accura\w*|honest\w*|transparen\w*)\b/i],
  ['solves_problem', /\b(support|customer care|help\w*|service|problems?|issues?|resolution|resolv\w*|fix\w*|network|coverage|reliab\w*|quality|product|delivery|app|apps|website|online|self[ -]?service|repairs?|technical)\b/i],
  ['consistent_story', /\b(communication\w*|messag\w*|brand\w*|marketing|onboarding|getting started|welcome|consisten\w*|information|notifications?|promis\w*|sales)\b/i],
  ['beyond_expected', /\b(offers?|rewards?|loyalty|surprise\w*|extras?|delight\w*|perks?|gifts?|upgrades?|benefits?)\b/i],
  ['whole_person', /\b(personal\w*|person|life|family|accessib\w*|needs|care|wellbeing|well-being|tailor\w*|flexib\w*)\b/i],
  ['authentic_relationship', /\b(staff|stores?|shops?|branch\w*|people|agents?|advis[eo]rs?|account manag\w*|relationship\w*|team|representatives?|employees?)\b/i],
];

/** Where an area's characteristic came from: cxray.yaml, the default words, or nowhere. */
export interface AreaCharacteristic {
  characteristic: Characteristic | null;
  source: 'config' | 'default' | 'none';
}

/**
 * The characteristic an experience area stands for: cxray.yaml's
 * `characteristic:` (`none` leaves it out), else the first default rule
 * whose words its key, label or survey areas hold, else none. An area the
 * config does not name (a survey area standing for itself) is read from
 * its text alone.
 */
export function areaCharacteristic(config: Pick<CxrayConfig, 'experience_areas'>, name: string, label: string, surveyAreas: readonly string[]): AreaCharacteristic {
  const declared = Object.hasOwn(config.experience_areas, name) ? config.experience_areas[name]?.characteristic : undefined;
  if (declared === 'none') return { characteristic: null, source: 'config' };
  if (declared !== undefined) return { characteristic: declared, source: 'config' };
  const text = [name.replaceAll('_', ' '), label, ...surveyAreas].join(' | ');
  const rule = DEFAULT_RULES.find(([, pattern]) => pattern.test(text));
  return rule === undefined ? { characteristic: null, source: 'none' } : { characteristic: rule[0], source: 'default' };
}

export { EXPERIENCE_CHARACTERISTICS as CHARACTERISTICS };
