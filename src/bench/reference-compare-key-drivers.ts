import type { Result } from '../analysis/result.js';
import { CheckBuilder, DOUBLE_TOLERANCE, REGRESSION_TOLERANCE, statusCheck, type FigureCheck, type ValueKind } from './reference-compare-checks.js';
import { compareTable, type ReferenceTable } from './reference-compare-tables.js';

/** The key-drivers part of the reference's JSON (bench/reference/key_drivers.py): the satisfaction drivers' point estimates. */
export interface ReferenceKeyDrivers {
  status: 'ok' | 'skipped';
  reason?: string;
  /** The overall question explained: nps, csat or rating. */
  outcome?: string;
  outcome_responses?: number;
  /** Complete responses (every weighed area rated). */
  n?: number;
  r_squared?: number | null;
  withheld?: string | null;
  tables?: Record<string, ReferenceTable>;
}

/**
 * Correlations and the performance figures are closed-form sums (doubles);
 * the weights, shares, standardized coefficients and importance come from an
 * eigendecomposition and a solve (regression tolerance). The bootstrap
 * intervals are cxray's own (a hash of each customer) and are not compared.
 */
const TABLES: Readonly<Record<string, { keys: string[]; kindOf: (column: string) => ValueKind }>> = {
  satisfaction_drivers: {
    keys: ['driver'],
    kindOf: (c) => (['standardized_coefficient', 'raw_weight', 'share'].includes(c) ? 'regression' : c === 'correlation' ? 'double' : 'exact'),
  },
  importance_performance: {
    keys: ['area'],
    kindOf: (c) => (c === 'importance' ? 'regression' : ['coverage', 'mean_rating', 'performance', 'performance_lower', 'performance_upper'].includes(c) ? 'double' : 'exact'),
  },
};

/** The key-drivers Result against the reference: the satisfaction drivers' table, R² with its n, and the areas' importance and performance. */
export function compareKeyDrivers(result: Result | undefined, reference: ReferenceKeyDrivers | undefined): FigureCheck[] {
  const checks = [statusCheck('key-drivers status', reference, result)];
  if (reference?.status !== 'ok' || result?.status !== 'ok') return checks;
  for (const [name, rule] of Object.entries(TABLES)) {
    const table = reference.tables?.[name];
    if (table === undefined) continue;
    const tolerance = `counts, ranks and labels exact; correlations and performance ${DOUBLE_TOLERANCE}; weights ${REGRESSION_TOLERANCE}`;
    checks.push(compareTable(`key-drivers ${name}`, table, result.tables.find((t) => t.name === name), { ...rule, tolerance }));
  }
  const fit = new CheckBuilder('key-drivers satisfaction R²', `n exact; ${REGRESSION_TOLERANCE}`);
  const f = result.findings.find((x) => x.code === 'key-drivers.satisfaction_r_squared');
  fit.add('n', reference.r_squared === null ? null : (reference.n ?? null), f?.n ?? null);
  fit.add('r_squared', reference.r_squared ?? null, f?.estimate ?? null, 'regression');
  checks.push(fit.build());
  return checks;
}
