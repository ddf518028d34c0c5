import { sbgRetentionRate } from '../../stats/index.js';
import type { ResultParts } from '../result-builder.js';
import type { Cell } from '../result.js';
import { words } from '../wording.js';
import type { ContractualView } from './contractual.js';
import { issueWarning, plainTable } from './fit-section.js';

/** The sBG fits per signup cohort: survival table, parameters, retention and residual lifetime; or why there are none. */
export function contractualSection(view: ContractualView): Partial<ResultParts> {
  if (view.cohorts.length === 0 || view.reason !== null) {
    return { summary: [`Subscriptions: ${view.reason ?? 'no signup cohort to model.'}`] };
  }
  const period = view.periodMonths === 12 ? 'year' : `${view.periodMonths}-month period`;
  const rows: Cell[][] = view.cohorts.map((c) => {
    const fit = c.fit;
    return [
      c.cohort,
      c.customers,
      c.alive.length - 1,
      c.alive.join(' '),
      fit?.params.alpha ?? null,
      fit?.parameters.alpha.interval.lower ?? null,
      fit?.parameters.alpha.interval.upper ?? null,
      fit?.params.beta ?? null,
      fit?.parameters.beta.interval.lower ?? null,
      fit?.parameters.beta.interval.upper ?? null,
      fit === null ? null : sbgRetentionRate(fit.params, 1),
      fit === null ? null : sbgRetentionRate(fit.params, c.alive.length),
      c.expectedRenewals === null || !Number.isFinite(c.expectedRenewals) ? null : c.expectedRenewals,
      c.discountedLifetime?.estimate ?? null,
      c.discountedLifetime?.interval.lower ?? null,
      c.discountedLifetime?.interval.upper ?? null,
      c.note,
    ];
  });
  const table = plainTable(
    'subscription_cohorts',
    [
      { name: 'signup_year', type: 'string' },
      { name: 'customers', type: 'integer', unit: 'customers' },
      { name: 'periods_observed', type: 'integer', unit: 'count' },
      { name: 'alive_by_period', type: 'string' },
      { name: 'alpha', type: 'number' },
      { name: 'alpha_lower', type: 'number' },
      { name: 'alpha_upper', type: 'number' },
      { name: 'beta', type: 'number' },
      { name: 'beta_lower', type: 'number' },
      { name: 'beta_upper', type: 'number' },
      { name: 'retention_first_renewal', type: 'number', unit: 'share' },
      { name: 'retention_next_renewal', type: 'number', unit: 'share' },
      { name: 'expected_renewals', type: 'number', unit: 'count' },
      { name: 'discounted_residual_lifetime', type: 'number', unit: 'periods' },
      { name: 'derl_lower', type: 'number', unit: 'periods' },
      { name: 'derl_upper', type: 'number', unit: 'periods' },
      { name: 'note', type: 'string' },
    ],
    rows,
  );
  const summary: string[] = [];
  const warnings: string[] = [];
  for (const c of view.cohorts) {
    if (c.fit === null || c.discountedLifetime === null) continue;
    const renewals = c.expectedRenewals === null || !Number.isFinite(c.expectedRenewals) ? 'an unbounded number of' : words.number(c.expectedRenewals, 1);
    summary.push(
      `Subscriptions, ${c.cohort} signups (${words.count(c.customers)}, shifted-beta-geometric over ${c.alive.length - 1} ${period}s): ${words.percent(sbgRetentionRate(c.fit.params, 1))} renew after the first ${period}, rising to ${words.percent(sbgRetentionRate(c.fit.params, c.alive.length))} by ${period} ${c.alive.length} as the likely leavers go; ` +
        `a new customer is expected to renew ${renewals} times, worth ${words.number(c.discountedLifetime.estimate, 2)} ${period}s of payments discounted at ${words.percent(view.discountRate)} a ${period} (${words.interval(c.discountedLifetime.interval, (x) => words.number(x, 2))}).`,
    );
    for (const issue of c.fit.signal.issues) warnings.push(issueWarning(`sBG (${c.cohort} signups)`, issue));
  }
  const skipped = view.cohorts.filter((c) => c.fit === null);
  if (skipped.length > 0) summary.push(`Cohorts not modelled: ${skipped.map((c) => `${c.cohort} (${c.note ?? 'no fit'})`).join('; ')}.`);
  return { summary, warnings, tables: [table] };
}
