import type { Quadrant } from '../key-drivers/importance-performance.js';
import type { RatingScale } from '../key-drivers/area-performance.js';
import { equalWeightScore, type AreaScore, type AreaScores, type Score } from './area-scores.js';
import type { BehaviourTouchpoint } from './behaviour-touchpoints.js';
import { areaCharacteristic, CHARACTERISTICS, type AreaCharacteristic, type Characteristic } from './characteristics.js';
import type { ContactTouchpoint, ContactValue } from './contact-touchpoints.js';
import { quadrantOf, type AreaImportance, type Importance } from './importance.js';
import { areaStatus, type Status } from './status.js';

/** A score is rated weak, average or strong only over at least this many observations (responses, contacts). */
export const MINIMUM_RATED = 30;

/** A status, or why there is none. */
export type Rating = { status: Status } | { status: null; why: string };

export interface RatedArea extends AreaScore {
  characteristic: AreaCharacteristic;
  rating: Rating;
  importance: AreaImportance | null;
  quadrant: Quadrant | null;
}

export interface RatedContactValue extends ContactValue {
  /** The same measure over every contact (null for the all-contacts row itself). */
  overall: number | null;
  rating: Rating | null;
}

export interface RatedContactTouchpoint extends Omit<ContactTouchpoint, 'values'> {
  /** The characteristic: the area's for contact reasons, solving the problem for channels and all contacts. */
  characteristic: Characteristic | null;
  values: RatedContactValue[];
}

export interface CharacteristicRow {
  characteristic: Characteristic;
  areas: RatedArea[];
  contacts: RatedContactTouchpoint[];
  behaviours: BehaviourTouchpoint[];
  /** The equal-weight mean of its areas' scores, with its clustered interval. */
  score: Score | null;
  rating: Rating | null;
  measured: boolean;
}

export interface Scorecard {
  scale: RatingScale | null;
  overall: Score | null;
  responses: number;
  areas: RatedArea[];
  characteristics: CharacteristicRow[];
  contacts: RatedContactTouchpoint[];
  behaviours: BehaviourTouchpoint[];
  importance: Importance | null;
  margin: number;
}

/** The scorecard rule on one score against the overall: too few observations, or nothing else to compare with, give no status. */
export function rate(interval: { lower: number; upper: number; level: number } | null, n: number, overall: number | null, margin: number, comparable: boolean): Rating {
  if (!comparable) return { status: null, why: 'nothing else to compare it with' };
  if (interval === null || overall === null) return { status: null, why: 'too few answers for an interval' };
  if (n < MINIMUM_RATED) return { status: null, why: `fewer than ${MINIMUM_RATED} observations (${n})` };
  return { status: areaStatus(interval, overall, margin) };
}

function rateContacts(touchpoints: readonly ContactTouchpoint[], characteristicOf: (t: ContactTouchpoint) => Characteristic | null, margin: number): RatedContactTouchpoint[] {
  const all = touchpoints.find((t) => t.kind === 'all');
  const overallOf = (measure: ContactValue['measure']): number | null => all?.values.find((v) => v.measure === measure)?.value ?? null;
  return touchpoints.map((t) => ({
    ...t,
    characteristic: characteristicOf(t),
    values: t.values.map((v) => {
      const overall = t.kind === 'all' ? null : overallOf(v.measure);
      // A contact rate is neither good nor bad by itself (more contacts can be more engagement): shown, not rated.
      const rating = t.kind === 'all' || v.measure === 'contact_rate' ? null : rate(v.interval, v.n, overall, margin, true);
      return { ...v, overall, rating };
    }),
  }));
}

/**
 * The scorecard from its measured parts: each area rated against the
 * overall (status.ts), placed on the importance x performance matrix, and
 * grouped under the characteristic of an outstanding experience it stands
 * for; contact touchpoints rated against all contacts; every
 * characteristic listed, measured or not.
 */
export function buildScorecard(
  config: Parameters<typeof areaCharacteristic>[0],
  scores: AreaScores | null,
  contacts: readonly ContactTouchpoint[],
  behaviours: readonly BehaviourTouchpoint[],
  importance: Importance | null,
  margin: number,
): Scorecard {
  const overall = scores?.overall ?? null;
  const scored = scores?.areas.filter((a) => a.score !== null).length ?? 0;
  const areas: RatedArea[] = (scores?.areas ?? []).map((a) => {
    const rating = rate(a.score?.interval ?? null, a.n, overall?.score ?? null, margin, scored >= 2);
    const weight = importance?.byArea.get(a.area.name) ?? null;
    return {
      ...a,
      characteristic: areaCharacteristic(config, a.area.name, a.area.label, a.area.values),
      rating,
      importance: weight,
      quadrant: importance === null ? null : quadrantOf(rating.status, weight ?? undefined, importance.equalShare),
    };
  });
  const areaCharacteristicOf = (key: string): Characteristic | null => {
    const label = config.experience_areas[key]?.label ?? key;
    return areaCharacteristic(config, key, label, config.experience_areas[key]?.survey_areas ?? []).characteristic;
  };
  const ratedContacts = rateContacts(contacts, (t) => (t.kind === 'area' ? areaCharacteristicOf(t.key) : 'solves_problem'), margin);
  const scale = scores?.scale ?? null;
  const characteristics = CHARACTERISTICS.map((c): CharacteristicRow => {
    const mine = areas.filter((a) => a.characteristic.characteristic === c);
    const touch = ratedContacts.filter((t) => t.characteristic === c && t.kind !== 'all' && t.values.length > 0);
    const acts = behaviours.filter((b) => areaCharacteristicOf(b.area) === c);
    const withScores = mine.map((a) => a.score).filter((s): s is Score => s !== null);
    const score = scale === null || withScores.length === 0 ? null : equalWeightScore(withScores, scale);
    const n = mine.reduce((s, a) => s + a.n, 0);
    return {
      characteristic: c,
      areas: mine,
      contacts: touch,
      behaviours: acts,
      score,
      rating: score === null ? null : rate(score.interval, n, overall?.score ?? null, margin, scored >= 2 && withScores.length < scored),
      measured: mine.length > 0 || touch.length > 0 || acts.length > 0,
    };
  });
  return { scale, overall, responses: scores?.responses ?? 0, areas, characteristics, contacts: ratedContacts, behaviours: [...behaviours], importance, margin };
}
