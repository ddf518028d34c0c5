import { missingTableSentence } from '../needs.js';
import { retentionWindow, type RetentionWindow } from '../retention/window.js';
import { SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { words } from '../wording.js';
import { customerRows } from './customer-rows.js';
import { ROWS_PER_DRIVER, screenDrivers } from './driver-checks.js';
import { weighDrivers } from './driver-model.js';
import { pointMoments, replicateMoments } from './moments-sql.js';
import { REPLICATES } from './satisfaction-drivers.js';
import type { SurveyArea } from './survey-layout.js';
import type { DriverModel, OutcomeSpec } from './types.js';

export interface RetentionDrivers {
  window: RetentionWindow | null;
  model: DriverModel | null;
  /** Why there is no retention model, or null. */
  gap: string | null;
  /** Whether the area ratings are among the drivers. */
  withRatings: boolean;
  assumptions: string[];
  warnings: string[];
}

function retentionOutcome(window: RetentionWindow): OutcomeSpec {
  const label = window.kind === 'window' ? `churn within the ${window.months} months from ${window.start ?? ''}` : 'churn (an undated flag)';
  const happened = window.kind === 'window' ? 'churned within the window' : 'churned';
  return { name: 'churned', label, binary: true, higherIsBetter: false, happened, more: 'more churn', less: 'less churn' };
}

/**
 * What drives churn over the fixed retention window (retentionWindow): the
 * drivers measured before the window opened (customerRows), weighed by
 * Johnson's relative weights on the 0/1 outcome (a linear probability
 * model) with bootstrap intervals by customer. The area ratings join the
 * drivers when enough customers in the window rated every area before it
 * opened (10 per driver); else the model covers every customer in the
 * window without them, and says so.
 */
export async function retentionDrivers(ctx: AnalysisContext, areas: readonly SurveyArea[]): Promise<RetentionDrivers> {
  const windowValues = new SqlValues(ctx.engine, 'w');
  const window = await retentionWindow(ctx, windowValues);
  const none = (gap: string): RetentionDrivers => ({ window, model: null, gap, withRatings: false, assumptions: [], warnings: [] });
  if (window === null) return none(`Retention drivers are unknown: ${missingTableSentence('status_changes')}`);
  const outcome = retentionOutcome(window);
  const assumptions = [
    window.assumption,
    window.kind === 'window'
      ? `Retention drivers are measured before the window opened (${window.start ?? ''}): behaviours adopted before it (a behaviour read from an attribute has no date and counts as it is at as_of), support contacts per month of tenure before it, tenure at its start, and area ratings averaged over the answers before it. The period filter does not apply to them: the window fixes the time.`
      : 'With undated churn every driver is measured at as_of, after some customers had already left: drivers the leaving itself shaped (fewer contacts after churn) can look like causes.',
    'Relative weights on a 0/1 outcome are those of a linear probability model: shares of the explained variance in churn, not odds ratios.',
  ];
  const warnings = window.kind === 'undated' ? [`Retention drivers: ${window.assumption}`] : [];
  const warned = (model: DriverModel): DriverModel => ({ ...model, warnings: model.warnings.map((w) => `Retention drivers: ${w}`) });

  // Every customer in the window has every driver but the ratings (contacts count 0 when none).
  let rows = customerRows(ctx, window, windowValues, null);
  let point = await pointMoments(ctx, rows.rows);
  const population = point.n;
  if (population === 0) return none(`No customer in scope was active when the retention window opened (${window.start ?? ctx.asOf}), so retention drivers cannot be measured.`);
  let withRatings = false;
  if (areas.length > 0) {
    const rated = customerRows(ctx, window, windowValues, areas);
    const ratedPoint = await pointMoments(ctx, rated.rows);
    if (ratedPoint.n >= ROWS_PER_DRIVER * rated.specs.length) {
      [rows, point, withRatings] = [rated, ratedPoint, true];
    } else {
      warnings.push(
        `Retention drivers: ${words.count(ratedPoint.n)} of the ${words.count(population)} customers in the window rated every area before it opened, too few to weigh ${rated.specs.length} drivers (${ROWS_PER_DRIVER} per driver); the retention model leaves the ratings out and covers all ${words.count(population)}.`,
      );
    }
  }
  if (withRatings) assumptions.push(`With area ratings among the drivers, the retention model covers the ${words.count(point.n)} customers in the window who rated every area before it opened, not every customer in the window.`);
  const screen = screenDrivers(point, rows.specs, outcome, 'customers');
  const replicates = screen.withheld === null ? await replicateMoments(ctx, rows.rows, [0, ...screen.kept], REPLICATES, ctx.provenance.seed) : [];
  const model = warned(weighDrivers({ outcome, specs: rows.specs, point, screen, replicates, rowsAre: 'customers' }));
  return { window, model, gap: null, withRatings, assumptions, warnings };
}
