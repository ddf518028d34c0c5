import type { LifetimeFit, SignalIssue } from '../../stats/index.js';
import { groupTable, type ResultParts, type TableColumnSpec } from '../result-builder.js';
import type { Cell, ResultTable } from '../result.js';
import { words } from '../wording.js';
import type { FittedModels } from './models.js';

const MODEL_NAMES: Record<string, string> = { 'bg-nbd': 'BG/NBD', 'pareto-nbd': 'Pareto/NBD', 'gamma-gamma': 'Gamma-Gamma', sbg: 'sBG' };

/** Parameters of one fit as table rows: model, parameter, estimate, standard error, interval. */
export function parameterRows(fit: LifetimeFit<string>, label = MODEL_NAMES[fit.model] ?? fit.model): Cell[][] {
  return Object.entries(fit.parameters).map(([name, p]) => [label, name, p.estimate, Number.isFinite(p.standardError) ? p.standardError : null, p.interval.lower, p.interval.upper]);
}

export const PARAMETER_COLUMNS = [
  { name: 'model', type: 'string' as const },
  { name: 'parameter', type: 'string' as const },
  { name: 'estimate', type: 'number' as const },
  { name: 'standard_error', type: 'number' as const },
  { name: 'lower', type: 'number' as const },
  { name: 'upper', type: 'number' as const },
];

function fitRow(fit: LifetimeFit<string>, label = MODEL_NAMES[fit.model] ?? fit.model): Cell[] {
  return [label, fit.n, fit.rows, fit.logLikelihood, fit.converged, fit.iterations, fit.gradientNorm, fit.signal.hasSignal];
}

/** A cell the Result contract can hold: a non-finite number (a parameter run off to infinity, its interval) becomes null. */
export function finiteCell(cell: Cell): Cell {
  return typeof cell === 'number' && !Number.isFinite(cell) ? null : cell;
}

/** A table of model quantities, not of groups of customers: nothing to suppress. */
export function plainTable(name: string, columns: readonly TableColumnSpec[], rows: Cell[][]): ResultTable {
  return { name, columns: columns.map((c) => ({ name: c.name, type: c.type, unit: c.unit ?? null })), rows: rows.map((row) => row.map(finiteCell)) };
}

/** A signal issue as a warning a manager can read, naming the model. */
export function issueWarning(model: string, issue: SignalIssue): string {
  return `${model}: ${issue.sentence}`;
}

/**
 * The fits: parameters with standard errors and intervals (in the chosen
 * time unit), convergence, and the Pareto/NBD check against BG/NBD.
 */
export function fitSection(models: FittedModels, currency: string): Partial<ResultParts> {
  const unitName = models.unit === 'week' ? 'weeks' : 'days';
  const fits: LifetimeFit<string>[] = [models.bgNbd, ...(models.paretoNbd === null ? [] : [models.paretoNbd]), ...(models.gammaGamma === null ? [] : [models.gammaGamma])];
  const parameters = plainTable('parameters', PARAMETER_COLUMNS, fits.flatMap((f) => parameterRows(f)));
  const fitTable = groupTable(
    'fits',
    [
      { name: 'model', type: 'string' },
      { name: 'n', type: 'integer', unit: 'customers' },
      { name: 'distinct_rows', type: 'integer', unit: 'count' },
      { name: 'log_likelihood', type: 'number' },
      { name: 'converged', type: 'boolean' },
      { name: 'iterations', type: 'integer', unit: 'count' },
      { name: 'gradient_norm', type: 'number' },
      { name: 'signal', type: 'boolean' },
    ],
    fits.map((f) => fitRow(f).map(finiteCell)),
    { countColumn: 'n', keyColumns: ['model'] },
  );
  const summary: string[] = [];
  const warnings: string[] = [];
  const { r, alpha, a, b } = models.bgNbd.params;
  summary.push(
    `BG/NBD on ${words.count(models.bgNbd.n)} customers (${words.count(models.rows.length)} distinct purchase histories, time in ${unitName}): ` +
      `purchase rates average ${(r / alpha).toPrecision(3)} a ${models.unit}, and ${words.percent(a / (a + b))} of purchases are, on average, a customer's last` +
      `${models.bgNbd.converged ? '' : ' (the fit did not fully converge)'}.`,
  );
  if (models.paretoNbd !== null && models.agreement !== null) {
    const ratio = models.agreement.paretoNbdTotal / models.agreement.bgNbdTotal;
    summary.push(
      `Pareto/NBD, fitted as a check, ranks customers alike (correlation of expected purchases ${models.agreement.correlation.toFixed(3)}) and expects ${words.percent(Math.abs(ratio - 1))} ${ratio >= 1 ? 'more' : 'fewer'} purchases in total; log-likelihood ${models.paretoNbd.logLikelihood.toFixed(1)} against BG/NBD's ${models.bgNbd.logLikelihood.toFixed(1)}.`,
    );
  }
  if (models.paretoNote !== null) warnings.push(models.paretoNote);
  if (models.spendNote !== null) warnings.push(models.spendNote);
  if (models.gammaGamma !== null) {
    const { p, q, gamma } = models.gammaGamma.params;
    if (q > 1) summary.push(`Spend per purchase (Gamma-Gamma on ${words.count(models.gammaGamma.n)} repeat buyers): ${words.money((p * gamma) / (q - 1), currency, 2)} on average across customers.`);
  }
  for (const fit of fits) for (const issue of fit.signal.issues) warnings.push(issueWarning(MODEL_NAMES[fit.model] ?? fit.model, issue));
  return { summary, warnings, tables: [parameters, fitTable] };
}
