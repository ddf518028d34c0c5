import { humanLabel, snakeName, uniqueName } from '../names.js';
import type { Note } from '../types.js';
import type { AttributeFact, SourceFacts } from './draft.js';

/** Attribute names worth comparing customers by (when known at acquisition and few-valued). */
const SEGMENT_NAME = /segment|region|contract|channel|plan|tier|industry|geography|country|company_size|lead_source|source/;
const AGE_BANDS = [25, 35, 45, 55, 65];

/** Behaviours that save or earn money (DESIGN.md), recognised in attribute names, values and event names. */
const BEHAVIOURS: readonly { key: string; label: string; pattern: RegExp }[] = [
  { key: 'paperless_billing', label: 'Paperless billing', pattern: /paper ?less|paperless|e-?bill/i },
  { key: 'autopay', label: 'Automatic payment', pattern: /auto ?pay|\(automatic\)|automatic payment|direct debit/i },
  { key: 'self_service', label: 'Self-service', pattern: /self[ _-]?service/i },
  { key: 'referrals', label: 'Refers friends', pattern: /referr?al|refer_friend|referred_friend/i },
];

export interface WorkspaceProposal {
  top: Record<string, unknown>;
  notes: Note[];
  remarks: string[];
}

/**
 * The workspace-level part of cxray.yaml: as_of, currency, segments,
 * behaviours, fees and experience areas, from what the sources showed.
 */
export function proposeWorkspace(facts: readonly Partial<SourceFacts>[], fileNames: readonly string[]): WorkspaceProposal {
  const top: Record<string, unknown> = {};
  const notes: Note[] = [];
  const remarks: string[] = [];

  const asOf = asOfFromFileNames(fileNames);
  if (asOf !== undefined) {
    top['as_of'] = asOf.date;
    notes.push({ path: ['as_of'], text: `the date in ${asOf.file}; CHECK it is the day the exports were taken` });
  } else {
    remarks.push('as_of is not set, so imports date the data at the import day: set `as_of: YYYY-MM-DD` to the day the exports were taken.');
  }

  const currencies = new Map<string, number>();
  for (const f of facts) for (const c of f.currencies ?? []) currencies.set(c, (currencies.get(c) ?? 0) + 1);
  const ranked = [...currencies.entries()].sort((a, b) => b[1] - a[1]).map(([c]) => c);
  if (ranked[0] !== undefined) {
    top['currency'] = ranked[0];
    notes.push({ path: ['currency'], text: 'the currency the transactions are written in' });
    if (ranked.length > 1) remarks.push(`Transactions use ${ranked.join(', ')}: add exchange_rates (1 unit of each = this many ${ranked[0]}).`);
  }

  const attributes = facts.flatMap((f) => f.attributes ?? []);
  const segments: Record<string, unknown> = {};
  for (const a of attributes) {
    // An age counted from a birth date is banded whether or not it was declared at acquisition.
    if (a.type === 'age' || (a.atAcquisition && a.type === 'integer' && a.name === 'age')) segments['age_band'] = { attribute: a.name, bands: AGE_BANDS };
    if (!a.atAcquisition) continue;
    if (a.type === 'string' && SEGMENT_NAME.test(a.name) && a.values.length >= 2 && a.values.length <= 12) segments[a.name] = { attribute: a.name };
  }
  if (Object.keys(segments).length > 0) {
    top['segments'] = segments;
    notes.push({ path: ['segments'], text: 'attributes known at acquisition with few values: compared in every analysis' });
  }

  const behaviours = proposeBehaviours(attributes, facts.flatMap((f) => f.eventNames ?? []));
  if (Object.keys(behaviours).length > 0) {
    top['behaviours'] = behaviours;
    notes.push({ path: ['behaviours'], text: 'behaviours that save or earn money; add value_per_month (money per customer-month) when you know it' });
  }

  const fees: Record<string, unknown> = {};
  for (const category of new Set(facts.flatMap((f) => f.feeCategories ?? []))) fees[category] = { label: humanLabel(category) };
  if (Object.keys(fees).length > 0) {
    top['fees'] = fees;
    notes.push({ path: ['fees'], text: 'transaction categories charged as fees or penalties (checked for falling on unhappy customers)' });
  }

  const areas: Record<string, unknown> = {};
  const taken = new Set<string>();
  for (const area of new Set(facts.flatMap((f) => f.surveyAreas ?? []))) {
    areas[uniqueName(snakeName(area), taken)] = { label: area, survey_areas: [area] };
  }
  if (Object.keys(areas).length > 0) {
    top['experience_areas'] = areas;
    notes.push({ path: ['experience_areas'], text: 'the areas survey ratings name; add interaction_reasons and behaviours that touch each' });
  }
  return { top, notes, remarks };
}

function proposeBehaviours(attributes: readonly AttributeFact[], eventNames: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const b of BEHAVIOURS) {
    const event = eventNames.find((e) => b.pattern.test(e));
    if (event !== undefined) {
      out[b.key] = { label: b.label, event };
      continue;
    }
    const flag = attributes.find((a) => a.type === 'boolean' && b.pattern.test(a.column.name.replace(/([a-z])([A-Z])/g, '$1 $2')));
    if (flag !== undefined) {
      out[b.key] = { label: b.label, attribute: flag.name, values: [true] };
      continue;
    }
    for (const a of attributes) {
      if (a.type !== 'string') continue;
      const values = a.values.filter((v): v is string => typeof v === 'string' && b.pattern.test(v));
      if (values.length > 0 && values.length < a.values.length) {
        out[b.key] = { label: b.label, attribute: a.name, values };
        break;
      }
    }
  }
  return out;
}

/** A date written in export file names (HubSpot: `...-all-contacts-2026-06-30.csv`): the latest one. */
function asOfFromFileNames(fileNames: readonly string[]): { date: string; file: string } | undefined {
  let best: { date: string; file: string } | undefined;
  for (const file of fileNames) {
    for (const m of file.matchAll(/(?<!\d)(20\d{2})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?!\d)/g)) {
      const date = `${m[1]}-${m[2]}-${m[3]}`;
      if (!Number.isNaN(Date.parse(`${date}T00:00:00Z`)) && (best === undefined || date > best.date)) best = { date, file };
    }
  }
  return best;
}
