import type { Result } from '../analysis/result.js';
import { CheckBuilder, closeDoubles, statusCheck, type FigureCheck } from './reference-compare-checks.js';

/** The lifetime-value part of the reference's JSON (bench/reference/lifetime_value.py). */
export interface ReferenceLifetimeValue {
  status: 'ok' | 'skipped';
  reason?: string;
  unit_days?: number;
  n?: number;
  rows?: number;
  bg_nbd?: { r: number; alpha: number; a: number; b: number; log_likelihood: number };
  gamma_gamma?: { p: number; q: number; gamma: number; log_likelihood: number; n: number } | null;
}

/**
 * Parameters from two optimizers of one likelihood (cxray's BFGS, scipy's
 * L-BFGS-B, both in log-parameters with analytic gradients) agree to this,
 * relatively; the log-likelihood at their end points to LOG_LIKELIHOOD_RELATIVE.
 */
export const PARAMETER_RELATIVE = 1e-4;
export const LOG_LIKELIHOOD_RELATIVE = 1e-6;
/*
 * At a boundary (BG/NBD's r past 100: one purchase rate for all; Gamma-Gamma's
 * p past 1e4: no spread of a customer's spend around their own mean) the
 * likelihood is flat along the direction where the parameters run off
 * together, so each optimizer stops somewhere else on it (measured at 20k:
 * r = 1.6e12 and 6.0e7 with log-likelihoods equal to 1e-6, and a, b then
 * 0.2% apart, their ratio 2e-4). Then what the data identify is compared
 * instead, to BOUNDARY_RELATIVE: the mean purchase rate r/α and the mean
 * dropout a/(a+b); q and p·γ.
 */
export const BOUNDARY_RELATIVE = 1e-3;
const RATE_BOUNDARY = 100;
const SPEND_BOUNDARY = 1e4;

function parameter(result: Result, model: string, name: string): number | null {
  const row = result.tables.find((t) => t.name === 'parameters')?.rows.find((r) => r[0] === model && r[1] === name);
  return typeof row?.[2] === 'number' ? row[2] : null;
}

function fitStatistic(result: Result, model: string, column: string): number | null {
  const table = result.tables.find((t) => t.name === 'fits');
  const at = table?.columns.findIndex((c) => c.name === column) ?? -1;
  const value = table?.rows.find((r) => r[0] === model)?.[at];
  return typeof value === 'number' ? value : null;
}

function addClose(check: CheckBuilder, where: string, reference: number | null | undefined, cxray: number | null, relative: number): void {
  if (reference === null || reference === undefined || cxray === null) check.missing(where, reference ?? null, cxray);
  else if (closeDoubles(reference, cxray, relative)) check.add(where, reference, reference, 'exact');
  else check.missing(where, reference, cxray);
}

/** The lifetime-value Result's fits against scipy's: populations exactly, parameters and log-likelihoods by the rules above. */
export function compareLifetimeValue(result: Result | undefined, reference: ReferenceLifetimeValue | undefined): FigureCheck[] {
  const checks = [statusCheck('lifetime-value status', reference, result)];
  if (reference?.status !== 'ok' || result?.status !== 'ok') return checks;
  const bg = reference.bg_nbd;
  const bgCheck = new CheckBuilder(
    'lifetime-value BG/NBD',
    `customers and distinct histories exact; log-likelihood relative ${LOG_LIKELIHOOD_RELATIVE}; parameters relative ${PARAMETER_RELATIVE}, or at the boundary r/α and a/(a+b) relative ${BOUNDARY_RELATIVE}`,
  );
  bgCheck.add('customers', reference.n ?? null, fitStatistic(result, 'BG/NBD', 'n'));
  bgCheck.add('distinct histories', reference.rows ?? null, fitStatistic(result, 'BG/NBD', 'distinct_rows'));
  addClose(bgCheck, 'log-likelihood', bg?.log_likelihood, fitStatistic(result, 'BG/NBD', 'log_likelihood'), LOG_LIKELIHOOD_RELATIVE);
  const p = (name: string): number | null => parameter(result, 'BG/NBD', name);
  const [r, alpha, a, b] = [p('r'), p('alpha'), p('a'), p('b')];
  if (bg !== undefined && r !== null && alpha !== null && a !== null && b !== null) {
    if (bg.r > RATE_BOUNDARY || r > RATE_BOUNDARY) {
      addClose(bgCheck, 'r/alpha (boundary)', bg.r / bg.alpha, r / alpha, BOUNDARY_RELATIVE);
      addClose(bgCheck, 'a/(a+b) (boundary)', bg.a / (bg.a + bg.b), a / (a + b), BOUNDARY_RELATIVE);
    } else {
      addClose(bgCheck, 'r', bg.r, r, PARAMETER_RELATIVE);
      addClose(bgCheck, 'alpha', bg.alpha, alpha, PARAMETER_RELATIVE);
      addClose(bgCheck, 'a', bg.a, a, PARAMETER_RELATIVE);
      addClose(bgCheck, 'b', bg.b, b, PARAMETER_RELATIVE);
    }
  } else bgCheck.missing('parameters', bg ?? null, r);
  checks.push(bgCheck.build());

  const gg = reference.gamma_gamma ?? null;
  const ggCheck = new CheckBuilder('lifetime-value Gamma-Gamma', `repeat buyers exact; log-likelihood relative ${LOG_LIKELIHOOD_RELATIVE}; p, q, γ relative ${PARAMETER_RELATIVE}, or at the boundary q and p·γ relative ${BOUNDARY_RELATIVE}`);
  const s = (name: string): number | null => parameter(result, 'Gamma-Gamma', name);
  const [sp, sq, sg] = [s('p'), s('q'), s('gamma')];
  if (gg === null) {
    ggCheck.add('fitted', false, sp !== null);
  } else {
    ggCheck.add('repeat buyers', gg.n, fitStatistic(result, 'Gamma-Gamma', 'n'));
    addClose(ggCheck, 'log-likelihood', gg.log_likelihood, fitStatistic(result, 'Gamma-Gamma', 'log_likelihood'), LOG_LIKELIHOOD_RELATIVE);
    if (sp === null || sq === null || sg === null) ggCheck.missing('parameters', gg, null);
    else if (gg.p > SPEND_BOUNDARY || sp > SPEND_BOUNDARY) {
      addClose(ggCheck, 'q (boundary)', gg.q, sq, BOUNDARY_RELATIVE);
      addClose(ggCheck, 'p·gamma (boundary)', gg.p * gg.gamma, sp * sg, BOUNDARY_RELATIVE);
    } else {
      addClose(ggCheck, 'p', gg.p, sp, PARAMETER_RELATIVE);
      addClose(ggCheck, 'q', gg.q, sq, PARAMETER_RELATIVE);
      addClose(ggCheck, 'gamma', gg.gamma, sg, PARAMETER_RELATIVE);
    }
  }
  checks.push(ggCheck.build());
  return checks;
}
