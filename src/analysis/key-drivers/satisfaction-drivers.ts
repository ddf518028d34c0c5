import type { AnalysisContext } from '../types.js';
import { words } from '../wording.js';
import { areaPerformance, type PerformanceSummary } from './area-performance.js';
import { screenDrivers } from './driver-checks.js';
import { weighDrivers } from './driver-model.js';
import { pointMoments, replicateMoments } from './moments-sql.js';
import { responseRows } from './response-rows.js';
import type { OutcomeInstrument, SurveyArea, SurveyLayout } from './survey-layout.js';
import type { DriverModel, DriverSpec, Moments, OutcomeSpec } from './types.js';

/** Bootstrap replicates per model (about as many as percentile intervals at 95% want). */
export const REPLICATES = 200;
/** An area rated in fewer of the responses with the overall answer is left out of the weights. */
export const MINIMUM_COVERAGE = 0.5;

const OUTCOMES: Record<OutcomeInstrument, { label: string; full: string }> = {
  nps: { label: 'likelihood to recommend', full: 'the NPS question (likelihood to recommend, 0-10)' },
  csat: { label: 'overall satisfaction', full: 'the overall CSAT question (no NPS question was asked)' },
  rating: { label: 'the overall rating', full: 'the overall rating question (no NPS or CSAT question was asked)' },
};

export function satisfactionOutcome(instrument: OutcomeInstrument): OutcomeSpec & { full: string } {
  const o = OUTCOMES[instrument];
  return { name: instrument, label: o.label, full: o.full, binary: false, higherIsBetter: true, happened: 'answered', more: 'higher scores', less: 'lower scores' };
}

export interface SatisfactionDrivers {
  outcome: OutcomeSpec & { full: string };
  model: DriverModel;
  performance: PerformanceSummary;
  /** Moments of the complete responses: the outcome, then `modelAreas` in order. */
  point: Moments | null;
  modelAreas: SurveyArea[];
  warnings: string[];
}

/**
 * What drives the overall answer of each survey response: every area rating
 * of the same response, weighed by Johnson's relative weights over the
 * responses that rated every area, with bootstrap intervals. Areas rated in
 * under half of the responses are left out of the weights (they would empty
 * the complete responses) and named.
 */
export async function satisfactionDrivers(ctx: AnalysisContext, layout: SurveyLayout): Promise<SatisfactionDrivers> {
  const outcome = satisfactionOutcome(layout.instrument);
  const performance = await areaPerformance(ctx, responseRows(ctx, layout, layout.areas), layout.areas);
  const warnings = performance.areas
    .filter((p) => p.coverage < MINIMUM_COVERAGE)
    .map(
      (p) =>
        `${p.area.label} is rated in only ${words.percent(p.coverage)} of the ${words.count(performance.outcomeResponses)} responses that answer ${outcome.label}: it is left out of the weights (they need responses that rate every area) and kept in the performance table.`,
    );
  const modelAreas = performance.areas.filter((p) => p.coverage >= MINIMUM_COVERAGE).map((p) => p.area);
  const specs: DriverSpec[] = modelAreas.map((a) => ({ name: a.name, label: a.label, kind: 'rating' }));
  if (modelAreas.length < 2) {
    const model: DriverModel = {
      outcome,
      n: 0,
      rowsAre: 'responses',
      drivers: [],
      excluded: [],
      rSquared: null,
      rSquaredInterval: null,
      replicates: 0,
      warnings: [],
      withheld: `Fewer than two areas are rated in at least ${words.percent(MINIMUM_COVERAGE, 0)} of the responses that answer ${outcome.label}, so their weights cannot be compared.`,
    };
    return { outcome, model, performance, point: null, modelAreas, warnings };
  }
  const rows = responseRows(ctx, layout, modelAreas);
  const point = await pointMoments(ctx, rows);
  const screen = screenDrivers(point, specs, outcome, 'responses');
  const replicates = screen.withheld === null ? await replicateMoments(ctx, rows, [0, ...screen.kept], REPLICATES, ctx.provenance.seed) : [];
  const model = weighDrivers({ outcome, specs, point, screen, replicates, rowsAre: 'responses' });
  return { outcome, model, performance, point, modelAreas, warnings };
}
