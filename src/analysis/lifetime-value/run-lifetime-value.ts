import { hasRows } from '../needs.js';
import { emptyParts, groupTable, mergeParts, notRunResult, okResult } from '../result-builder.js';
import type { Result } from '../result.js';
import type { Analysis, AnalysisContext } from '../types.js';
import { words } from '../wording.js';
import { contractualView } from './contractual.js';
import { contractualSection } from './contractual-section.js';
import { aliveByRecordedChurn, niceEdges, scoreDistributions, topCustomers, valueBySegment } from './distributions.js';
import { fitSection } from './fit-section.js';
import { bgNbdHoldout, holdoutSection } from './holdout-section.js';
import { lifetimeValueModel, type LifetimeValueModel } from './scores.js';
import { lifetimeSettings } from './settings.js';
import { meanWithInterval, valueSection } from './value-section.js';

/** Largest expected spend per purchase any customer gets (the spend model's posterior mean is increasing in m̄). */
function maxExpectedSpend(model: LifetimeValueModel): number | null {
  const gg = model.models.gammaGamma;
  if (gg === null || gg.params.q <= 1) return null;
  const { p, q, gamma } = gg.params;
  const population = (p * gamma) / (q - 1);
  return model.summaries.spend.reduce((max, s) => Math.max(max, (p * (gamma + (s.x * s.meanSpendCents) / 100)) / (p * s.x + q - 1)), population);
}

/**
 * Lifetime value in the non-contractual setting (BG/NBD for purchases,
 * Pareto/NBD as a check, Gamma-Gamma for spend), with a holdout check when
 * a calibration end is set, and the contractual sBG view for subscriptions.
 */
export async function runLifetimeValue(ctx: AnalysisContext, analysis: Pick<Analysis, 'name' | 'revision' | 'description'>, prepared?: LifetimeValueModel | null): Promise<Result> {
  const settings = prepared?.settings ?? lifetimeSettings(ctx);
  const model = prepared === undefined ? await lifetimeValueModel(ctx, settings) : prepared;
  if (model === null) {
    return notRunResult(ctx, analysis, 'skipped', `No customer in scope bought before the last day of calibration (${settings.calibrationEnd}), so there is no purchase history to model. Import purchases (transactions of kind purchase), or move lifetime_value.calibration_end later.`);
  }
  const currency = ctx.config.currency;
  const { models } = model;
  const parts = emptyParts();
  mergeParts(parts, fitSection(models, currency));

  const holdout = settings.holdout ? bgNbdHoldout(model.summaries.histories, models.bgNbd.params, models.unitDays, settings.holdoutDays) : null;
  if (holdout !== null) mergeParts(parts, holdoutSection(holdout, settings.calibrationEnd, ctx.asOf));
  const reliable = models.bgNbd.signal.hasSignal && (holdout === null || holdout.issue === null);

  const spendMax = maxExpectedSpend(model);
  const withValue = spendMax !== null;
  const maxPurchases = Math.max(0, ...model.table.map((row) => row.expectedPurchases));
  const maxDiscounted = Math.max(0, ...model.table.map((row) => row.discountedPurchases));
  const distributions = await scoreDistributions(ctx, model, {
    expectedPurchases: niceEdges(maxPurchases),
    lifetimeValue: withValue ? niceEdges(maxDiscounted * spendMax) : null,
  });
  const segments = await valueBySegment(ctx, model, withValue);
  parts.warnings.push(...segments.warnings);
  const top = await topCustomers(ctx, model, withValue);
  mergeParts(parts, valueSection({ distributions, groups: segments.groups, top, currency, horizonMonths: settings.horizonMonths, reliable }));

  if (hasRows(ctx, 'status_changes')) {
    const churn = await aliveByRecordedChurn(ctx, model);
    const rows = churn.map((c) => {
      const alive = meanWithInterval(c.pAlive);
      return [c.churned ? 'churned' : 'active', c.n, alive.mean, alive.interval.lower, alive.interval.upper, c.expectedPurchasesSum / c.n];
    });
    parts.tables.push(
      groupTable(
        'p_alive_by_recorded_churn',
        [
          { name: 'recorded_status', type: 'string' },
          { name: 'n', type: 'integer', unit: 'customers' },
          { name: 'mean_p_alive', type: 'number', unit: 'share' },
          { name: 'lower', type: 'number', unit: 'share' },
          { name: 'upper', type: 'number', unit: 'share' },
          { name: 'mean_expected_purchases', type: 'number', unit: 'purchases' },
        ],
        rows,
        { countColumn: 'n', keyColumns: ['recorded_status'] },
      ),
    );
    const churned = churn.find((c) => c.churned);
    const active = churn.find((c) => !c.churned);
    if (churned !== undefined && active !== undefined) {
      parts.summary.push(
        `Against the churn the data records: customers recorded as churned are ${words.percent(churned.pAlive.sum / churned.n)} likely to be still buying by the model, active ones ${words.percent(active.pAlive.sum / active.n)} (n = ${words.count(churned.n)} and ${words.count(active.n)}).`,
      );
    }
  }

  mergeParts(parts, contractualSection(await contractualView(ctx, settings.contractPeriodMonths, settings.monthlyDiscountRate)));

  if (!reliable) {
    parts.summary.unshift(
      `Purchase history carries no usable signal here: the model predicts these customers’ future purchases no better than one average for all, so no lifetime value is stated. The fits, distributions and tables below are diagnostics, not forecasts.`,
    );
  }
  const excluded = ctx.scope.customers - models.bgNbd.n;
  const unitName = models.unit === 'week' ? 'weeks' : 'days';
  return okResult(ctx, analysis, parts, {
    description:
      `BG/NBD (Fader, Hardie & Lee 2005) fitted by maximum likelihood on the ${words.count(models.rows.length)} distinct (x, tₓ, T) purchase histories counted in SQL, with Pareto/NBD as a check and Gamma-Gamma (Fader & Hardie 2013) on repeat buyers' mean spend; ` +
      `P(alive), expected purchases and discounted lifetime value over ${settings.horizonMonths} months at ${words.percent(settings.monthlyDiscountRate, 2)} a month, per customer in the engine` +
      `${settings.holdout ? `; calibration to ${settings.calibrationEnd}, holdout to ${ctx.asOf}` : ''}; the shifted-beta-geometric model on the survival of signup-year cohorts by periods of ${settings.contractPeriodMonths} months for subscriptions.`,
    assumptions: [
      `Purchases are the transactions of kind purchase; several on one day count as one purchase (x = repeat purchase days). Time is counted in whole days (UTC) and expressed in ${unitName} (${models.unitDays} day${models.unitDays === 1 ? '' : 's'}), not binned.`,
      `${words.count(models.bgNbd.n)} of the ${words.count(ctx.scope.customers)} customers in scope have a purchase history by ${settings.calibrationEnd}${excluded > 0 ? `; the other ${words.count(excluded)} (no purchase yet, or a first purchase on its last day) are not modelled` : ''}.`,
      `Spend per purchase is the mean over a customer's repeat purchase days (the first purchase day left out, as in the Gamma-Gamma papers), rounded to the cent to compress; ${words.count(model.summaries.spendExcluded)} repeat buyers whose repeat purchases add up to nothing or less are left out of the spend model. Spend is assumed independent of purchase frequency.`,
      `Lifetime value = expected spend per purchase × Σ over months m of the expected purchases in month m / (1 + ${settings.monthlyDiscountRate})^m; intervals of means are over customers (sampling), not over the parameters' uncertainty.`,
      `Per-customer values are computed in the engine: P(alive) in closed form, the rest from a table of the alive-customer expectations on a grid of ages (cubic interpolation, largest relative error ${model.grid.maxRelativeError.toExponential(1)} at the ages present).`,
    ],
  });
}
