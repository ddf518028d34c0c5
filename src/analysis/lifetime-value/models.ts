import {
  bgNbdExpectedPurchases,
  compressFrequencyRows,
  fitBgNbd,
  fitGammaGamma,
  fitParetoNbd,
  paretoNbdExpectedPurchases,
  type BgNbdFit,
  type FrequencyRow,
  type GammaGammaFit,
  type ParetoNbdFit,
  type SpendRow,
} from '../../stats/index.js';
import { DAYS_PER_MONTH, UNIT_DAYS, type TimeUnit } from './settings.js';
import type { HistoryRow, SpendCentsRow } from './summaries.js';

/*
 * Pareto/NBD is fitted as a check on BG/NBD, by BFGS with the analytic
 * gradient (src/stats/lifetime/pareto-nbd-gradient.ts), a ₂F₁ per row and
 * step. Measured on this machine (2 cores, busy with other work) on simulated
 * histories in weeks: 0.35 s for 2,395 distinct histories, 0.60 s for 8,644,
 * 2.9 s for 32,641 (BG/NBD: 0.1, 0.3, 0.5 s); CDNOW's 1,016 in well under a
 * second. Beyond this many rows the check would cost more than the rest of
 * the analysis, so it is left out, and the Result says so.
 */
export const PARETO_MAX_ROWS = 20_000;

export interface ModelAgreement {
  /** Correlation across customers of the two models' expected purchases over the horizon. */
  correlation: number;
  /** Expected purchases over the horizon, all customers, by each model. */
  bgNbdTotal: number;
  paretoNbdTotal: number;
}

export interface FittedModels {
  unit: TimeUnit;
  unitDays: number;
  /** (x, tₓ, T) in the unit, compressed, sorted. */
  rows: FrequencyRow[];
  bgNbd: BgNbdFit;
  /** Null when left out (too many rows) or when the fit failed; `paretoNote` says which. */
  paretoNbd: ParetoNbdFit | null;
  paretoNote: string | null;
  agreement: ModelAgreement | null;
  /** Null without repeat buyers with positive spend, or when the fit failed. */
  gammaGamma: GammaGammaFit | null;
  spendNote: string | null;
  /** Seconds spent in the BG/NBD and Gamma-Gamma fits alone (for the bench). */
  fitSeconds: number;
}

/** Histories in days to model rows in the unit: tₓ and T scaled, not binned. */
export function frequencyRows(histories: readonly HistoryRow[], unitDays: number): FrequencyRow[] {
  const rows = compressFrequencyRows(histories.map((h) => ({ x: h.x, tx: h.txDays / unitDays, T: h.TDays / unitDays, count: h.count })));
  return rows.sort((a, b) => a.x - b.x || a.tx - b.tx || a.T - b.T);
}

export function spendRows(spend: readonly SpendCentsRow[]): SpendRow[] {
  return spend.map((s) => ({ x: s.x, meanSpend: s.meanSpendCents / 100, count: s.count }));
}

function weightedCorrelation(pairs: readonly { a: number; b: number; w: number }[]): number {
  const n = pairs.reduce((s, p) => s + p.w, 0);
  const ma = pairs.reduce((s, p) => s + p.w * p.a, 0) / n;
  const mb = pairs.reduce((s, p) => s + p.w * p.b, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (const p of pairs) {
    sab += p.w * (p.a - ma) * (p.b - mb);
    saa += p.w * (p.a - ma) ** 2;
    sbb += p.w * (p.b - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : Number.NaN;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** BG/NBD, Pareto/NBD (as a check) and Gamma-Gamma on the compressed summaries. */
export function fitModels(histories: readonly HistoryRow[], spend: readonly SpendCentsRow[], unit: TimeUnit, horizonMonths: number, check = true): FittedModels {
  const unitDays = UNIT_DAYS[unit];
  const rows = frequencyRows(histories, unitDays);
  const started = performance.now();
  const bgNbd = fitBgNbd(rows);
  let gammaGamma: GammaGammaFit | null = null;
  let spendNote: string | null = null;
  const spendModelRows = spendRows(spend);
  if (spendModelRows.length === 0) spendNote = 'No repeat buyer has repeat purchases worth more than nothing, so spend per purchase cannot be modelled.';
  else {
    try {
      gammaGamma = fitGammaGamma(spendModelRows);
    } catch (error) {
      spendNote = `The spend model could not be fitted: ${errorText(error)}`;
    }
  }
  const fitSeconds = (performance.now() - started) / 1000;
  let paretoNbd: ParetoNbdFit | null = null;
  let paretoNote: string | null = null;
  if (!check) {
    paretoNote = 'Pareto/NBD was not fitted as a check (not asked for).';
  } else if (rows.length > PARETO_MAX_ROWS) {
    paretoNote = `Pareto/NBD was not fitted as a check: ${rows.length.toLocaleString('en-US')} distinct purchase histories is more than ${PARETO_MAX_ROWS.toLocaleString('en-US')}, where its numerical fit would cost more than the rest of the analysis.`;
  } else {
    try {
      paretoNbd = fitParetoNbd(rows);
    } catch (error) {
      paretoNote = `Pareto/NBD could not be fitted as a check: ${errorText(error)}`;
    }
  }
  let agreement: ModelAgreement | null = null;
  if (paretoNbd !== null) {
    const t = (horizonMonths * DAYS_PER_MONTH) / unitDays;
    const pareto = paretoNbd.params;
    const pairs = rows.map((row) => ({ a: bgNbdExpectedPurchases(bgNbd.params, t, row), b: paretoNbdExpectedPurchases(pareto, t, row), w: row.count }));
    agreement = {
      correlation: weightedCorrelation(pairs),
      bgNbdTotal: pairs.reduce((s, p) => s + p.w * p.a, 0),
      paretoNbdTotal: pairs.reduce((s, p) => s + p.w * p.b, 0),
    };
  }
  return { unit, unitDays, rows, bgNbd, paretoNbd, paretoNote, agreement, gammaGamma, spendNote, fitSeconds };
}
