import { wilsonInterval } from '../../stats/index.js';
import { groupTable } from '../result-builder.js';
import type { Cell, Finding, ResultTable } from '../result.js';
import { words } from '../wording.js';
import type { MeasureKind } from './change-measures.js';
import { intervalWords, measureWords, pWords, valueWords } from './change-words.js';
import { harmful, presented, type Claim, type Presented } from './effect-claims.js';
import type { ArmEffect, ExperimentReadout } from './experiment-readout.js';

/** A number for a table cell: null when missing or not finite. Full precision: the engines' equivalence is checked on these. */
const finite = (x: number | null | undefined): number | null => (x === null || x === undefined || !Number.isFinite(x) ? null : x);

/** An arm's mean as a sentence writes it: `−2.1` (NPS), `2.33%` (monthly churn), `$45.10` (per customer-month), `44.2%` (adoption). */
function meanWords(kind: MeasureKind, mean: number | null, currency: string): string {
  if (mean === null) return 'not measured';
  switch (kind) {
    case 'churn':
      return words.percent(mean, 2);
    case 'revenue':
      return words.money(mean, currency, 2);
    case 'adoption':
      return words.percent(mean, 1);
    case 'csat':
      return mean.toFixed(2);
    default:
      return `${mean >= 0 ? '' : '−'}${Math.abs(mean).toFixed(1)}`;
  }
}

/** The effect on its reading scale; churn's is a hazard ratio. */
export function armPresented(e: ArmEffect, currency: string): Presented | null {
  if (e.effect === null) return null;
  const p = presented(e.measure.kind, e.effect, currency);
  return e.measure.kind === 'churn' ? { ...p, unit: 'hazard_ratio' } : p;
}

/** `Proactive retention outreach (experiment_group: treatment against control)`. */
export function experimentHead(x: ExperimentReadout): string {
  return `${x.label} (${x.attribute}: ${x.treatment} against ${x.control})`;
}

/** The arms' sizes against the planned split, and the mismatch verdict. */
export function ratioSentence(x: ExperimentReadout): string {
  const r = x.ratio;
  const sizes = `${words.count(x.treatmentCustomers)} customers in treatment and ${words.count(x.controlCustomers)} in control`;
  if (r === null) return `${experimentHead(x)}: ${sizes}.`;
  const split = `${words.percent(r.share, 1)} in treatment against ${words.percent(r.plannedShare, 0)} planned`;
  return r.mismatch
    ? `${experimentHead(x)}: SAMPLE RATIO MISMATCH: ${sizes}, ${split} (χ² ${pWords(r.pValue)}): customers were assigned or exported unevenly, so every difference below may be biased; check how the arms were assigned and whether a filter dropped customers from one.`
    : `${experimentHead(x)}: ${sizes}, ${split} (χ² ${pWords(r.pValue)}: no sample ratio mismatch).`;
}

/** One measure's readout: each arm's mean and the difference (or hazard ratio) with its interval. */
export function armSentence(x: ExperimentReadout, e: ArmEffect, currency: string): string {
  const kind = e.measure.kind;
  const name = kind === 'churn' ? 'monthly churn' : measureWords(kind, e.measure.label);
  const arms = `${name} ${meanWords(kind, e.treatment.mean, currency)} in treatment against ${meanWords(kind, e.control.mean, currency)} in control`;
  const p = armPresented(e, currency);
  if (p === null) return `${x.label}: ${arms}; not compared: ${e.reason ?? 'too few customers'}.`;
  const difference = kind === 'churn' ? `a hazard ratio of ${p.estimate.toFixed(2)}` : valueWords(kind, p.estimate, currency);
  return `${x.label}: ${arms}, ${difference} (${intervalWords(kind, p, currency)}, ${pWords(e.effect?.pValue ?? 1)}).`;
}

export function experimentFindings(x: ExperimentReadout, claims: ReadonlyMap<string, Claim>, currency: string): Finding[] {
  const out: Finding[] = [];
  const code = `changes.experiment_${x.key}`;
  if (x.ratio?.mismatch === true) {
    const total = x.treatmentCustomers + x.controlCustomers;
    const share = wilsonInterval({ count: x.treatmentCustomers, n: total });
    out.push({ code: `${code}.sample_ratio_mismatch`, text: ratioSentence(x), estimate: x.ratio.share, unit: 'share', interval: share.interval, n: total, pValue: x.ratio.pValue, severity: 'high' });
  }
  for (const e of x.effects) {
    const claim = claims.get(e.measure.key);
    const p = armPresented(e, currency);
    if (claim?.passes !== true || p === null || e.effect === null) continue;
    out.push({
      code: `${code}.${e.measure.key}`,
      text: armSentence(x, e, currency),
      estimate: p.estimate,
      unit: p.unit,
      interval: p.interval,
      n: e.customers,
      pValue: claim.pValue,
      qValue: claim.qValue,
      severity: harmful(e.measure.kind, e.effect) ? 'medium' : 'info',
    });
  }
  return out;
}

/** One row per experiment and arm: its value, customers, and the split against the plan. */
export function armsTable(experiments: readonly ExperimentReadout[]): ResultTable {
  const rows: Cell[][] = experiments.flatMap((x) =>
    (['treatment', 'control'] as const).map((arm) => [
      x.label,
      arm,
      arm === 'treatment' ? x.treatment : x.control,
      arm === 'treatment' ? x.treatmentCustomers : x.controlCustomers,
      finite(x.ratio === null ? null : arm === 'treatment' ? x.ratio.share : 1 - x.ratio.share),
      finite(x.ratio === null ? null : arm === 'treatment' ? x.ratio.plannedShare : 1 - x.ratio.plannedShare),
      finite(x.ratio?.chiSquare),
      finite(x.ratio?.pValue),
      x.ratio?.mismatch ?? null,
      x.skipped,
    ]),
  );
  return {
    name: 'experiment_arms',
    columns: [
      { name: 'experiment', type: 'string', unit: null },
      { name: 'arm', type: 'string', unit: null },
      { name: 'value', type: 'string', unit: null },
      { name: 'customers', type: 'integer', unit: 'customers' },
      { name: 'share', type: 'number', unit: 'share' },
      { name: 'planned_share', type: 'number', unit: 'share' },
      { name: 'chi_square', type: 'number', unit: null },
      { name: 'p_value', type: 'number', unit: 'probability' },
      { name: 'mismatch', type: 'boolean', unit: null },
      { name: 'note', type: 'string', unit: null },
    ],
    rows,
  };
}

/** One row per experiment and measure: each arm's mean, the effect (a hazard ratio for churn) with interval and tests. */
export function armEffectsTable(experiments: readonly ExperimentReadout[], claims: ReadonlyMap<string, ReadonlyMap<string, Claim>>, currency: string): ResultTable {
  const rows: Cell[][] = experiments.flatMap((x) =>
    x.effects.map((e) => {
      const p = armPresented(e, currency);
      const claim = claims.get(x.key)?.get(e.measure.key);
      return [
        x.label,
        e.measure.key,
        p?.unit ?? null,
        finite(e.treatment.mean),
        finite(e.control.mean),
        finite(p?.estimate),
        finite(p?.interval.lower),
        finite(p?.interval.upper),
        finite(p?.standardError),
        p?.standardErrorScale ?? null,
        finite(claim?.pValue),
        finite(claim?.qValue),
        claim?.passes ?? false,
        e.treatment.customers,
        e.control.customers,
        e.reason,
        Math.min(e.treatment.customers, e.control.customers),
      ];
    }),
  );
  return groupTable(
    'experiment_effects',
    [
      { name: 'experiment', type: 'string' },
      { name: 'measure', type: 'string' },
      { name: 'unit', type: 'string' },
      { name: 'treatment', type: 'number' },
      { name: 'control', type: 'number' },
      { name: 'effect', type: 'number' },
      { name: 'lower', type: 'number' },
      { name: 'upper', type: 'number' },
      { name: 'standard_error', type: 'number' },
      { name: 'standard_error_scale', type: 'string' },
      { name: 'p_value', type: 'number', unit: 'probability' },
      { name: 'q_value', type: 'number', unit: 'probability' },
      { name: 'claimed', type: 'boolean' },
      { name: 'treatment_customers', type: 'integer', unit: 'customers' },
      { name: 'control_customers', type: 'integer', unit: 'customers' },
      { name: 'note', type: 'string' },
      { name: 'smallest_arm', type: 'integer', unit: 'customers' },
    ],
    rows,
    { countColumn: 'smallest_arm', keyColumns: ['experiment', 'measure', 'unit', 'standard_error_scale', 'note', 'smallest_arm'] },
  );
}
