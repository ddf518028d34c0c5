import { words } from '../wording.js';
import { BEST_SHARE, LIFT_SHARES } from './model-quality.js';
import { MIN_LEVEL_CUSTOMERS, type ProspectModel } from './prospect-model.js';
import type { ProspectScoresAnswer } from './score-prospects.js';

/** The sentences a person reads first: what was scored, what the model rests on, how well it ranks held-out customers. */
export function prospectsSummary(answer: Omit<ProspectScoresAnswer, 'summary'>, profileNotOk: string | null): string[] {
  const p = answer.prospects;
  const out: string[] = [];
  const notScored = [p.duplicates > 0 ? `${words.count(p.duplicates)} exact duplicate${p.duplicates === 1 ? '' : 's'} scored once` : null, p.quarantined > 0 ? `${words.count(p.quarantined)} quarantined (see ${answer.quarantineFile ?? ''})` : null].filter((x) => x !== null);
  out.push(`${words.count(p.scored)} of ${words.count(p.read)} prospects scored${notScored.length === 0 ? '' : `; ${notScored.join(', ')}`}.`);
  const c = answer.columns;
  out.push(
    `Columns used: ${c.used.length === 0 ? 'none' : words.list(c.used.map((u) => `${u.column} (${u.modelAttribute})`))}; id: ${c.id}.` +
      (c.ignored.length === 0 ? '' : ` Ignored: ${c.ignored.map((i) => `${i.column} (${i.why})`).join('; ')}.`) +
      (c.missing.length === 0 ? '' : ` Not in the file, so every prospect counts as average on it: ${words.list(c.missing.map((m) => m.modelAttribute))}.`),
  );
  const matching = answer.rules.filter((r) => r.prospects > 0);
  if (matching.length > 0) {
    const m = answer.meanScore;
    out.push(
      `${words.list(matching.map((r) => `${words.count(r.prospects)} match rule ${r.id} (${r.text})`))} of the ideal profile` +
        (m.matching !== null && m.others !== null ? `; they score ${words.number(m.matching, 1)} on average against ${words.number(m.others, 1)} for the others.` : '.'),
    );
  } else if (profileNotOk !== null) out.push(`No ideal-profile rule to match: the ideal-profile analysis is ${profileNotOk}.`);
  else if (answer.rules.length === 0) out.push('The ideal profile has no rule that held out, so no prospect gets a rule.');
  if (answer.unknownLevels.length > 0) {
    const total = answer.unknownLevels.reduce((s, u) => s + u.prospects, 0);
    out.push(`${words.count(total)} value${total === 1 ? '' : 's'} never seen among enough customers counted as average (contribution 0): ${answer.unknownLevels.map((u) => `${u.attribute} = ${u.level} (${words.count(u.prospects)})`).join(', ')}.`);
  }
  const q = answer.quality;
  const top = q.lift[q.lift.length - 1];
  if (top !== undefined) {
    out.push(
      `On held-out customers, the top ${words.percent(top.top, 0)} by this score hold ${words.percent(top.captured)} of the best ${words.percent(BEST_SHARE, 0)} by first-year net value ` +
        `(${words.interval(top.interval, (x) => words.percent(x))}; ${words.count(q.bestCustomers)} best of ${words.count(q.liftCustomers)}): ${words.number(top.lift, 2)} times chance.`,
    );
  } else if (q.liftMissing !== null) out.push(`No lift table: ${q.liftMissing}.`);
  if (q.heldOutRSquared !== null) out.push(`The score explains ${words.percent(Math.max(0, q.heldOutRSquared))} of the variation in held-out customers' fit (R², n = ${words.count(q.heldOutCustomers)}).`);
  return out;
}

/** How the scores were made, for the quality file and --json. */
export function prospectsMethod(model: ProspectModel): string {
  return (
    `Customers are split in two halves by the portable hash of their id, as the ideal profile splits them. On the training half (${words.count(model.trainingCustomers)} customers with a fit score), ` +
    `least squares in the engine of each customer's fit score (0-100, the fit analysis) on dummies of the levels of the attributes the ideal profile's rules use (each against its most common level; levels with fewer than ${MIN_LEVEL_CUSTOMERS} training customers left out) ` +
    'and on an indicator of each rule of the ideal profile with two or more conditions that held out (the planted kind of ideal profile is a conjunction, which attribute-by-attribute terms only partly capture). ' +
    "A prospect's score is the average training customer's fit plus the contribution of each of its attributes: the level's coefficient less the average coefficient of that attribute, and each rule term (coefficient × (matches − share matching)) split evenly over the rule's attributes; " +
    'clipped to 0-100 like the fit score. A level never seen among enough training customers, or an attribute missing from the file, contributes 0 (counts as average). rule_id and rule_text: the first rule of the ideal profile (by rank) the prospect matches. ' +
    `Quality, on the held-out half, which played no part in the coefficients (it did decide which rules hold out): lift, the share of the best ${words.percent(BEST_SHARE, 0)} of customers by first-year net value (among those with a whole first year) held by the top ${LIFT_SHARES.map((s) => words.percent(s, 0)).join(', ')} by score, customers tied at the cut taken in proportion; ` +
    'calibration, held-out customers in tenths of the score, mean predicted against mean actual fit (t intervals).'
  );
}
