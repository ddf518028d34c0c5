import type { RowValue } from '../../engine/types.js';
import { screen } from '../../stats/index.js';
import { screenTest, type ScreenOutcome, type ScreenTest, type StratifiedDifference, type Stratum } from './screen-tests.js';
import { VEGA_LITE_SCHEMA } from '../charts.js';
import { perCustomerJoin } from '../per-customer-join.js';
import type { SectionOutput } from '../profile/section.js';
import { groupTable } from '../result-builder.js';
import type { Cell, Chart, Finding } from '../result.js';
import type { RetentionWindow } from '../retention/window.js';
import { scopeQuery, scopeSelect } from '../scope-query.js';
import { numberOf, type SqlValues } from '../sql-values.js';
import { DIFFERENCE_UNITS } from '../thresholds.js';
import type { AnalysisContext } from '../types.js';
import { scaleInterval, words } from '../wording.js';
import { DAYS_PER_MONTH } from './behaviours.js';
import type { SatisfactionMeasure } from './satisfaction.js';

/** An event is screened only when at least this share of the customers in scope, and this many, did it, and this many did not. */
export const SCREEN_SUPPORT = { share: 0.05, doing: 30, notDoing: 30 } as const;

/** Money at stake for retention: this many more points of the non-doers taking up the event. */
export const SCREEN_STAKE_POINTS = 10;

export { screenTest, stratifiedDifference, woolfOddsRatio, type OddsRatio, type ScreenOutcome, type ScreenTest, type StratifiedDifference, type Stratum } from './screen-tests.js';

/**
 * Tenure bands the screen compares within: quarters of a year of tenure at
 * as_of (91 days), the last band from 10 years on; unknown tenure is its own
 * band. Narrow, because an event that recurs with time is done more by the
 * longer-standing within any wide band.
 */
export const TENURE_BAND_DAYS = 91;
export const TENURE_BANDS = 40;

/** How one outcome is read from customer_facts. */
interface OutcomeSpec {
  key: ScreenOutcome;
  /** SQL condition: the customer is in this outcome's population. */
  population: string;
  /** SQL 0/1: the customer has the outcome (only meaningful in the population). */
  yes: string;
  /** SQL condition on `_first` (the customer's first time of the event) for the flag; `1 = 1`: any time by as_of. */
  flag: string;
  /** What "yes" is, for tables. */
  measure: string;
  /** When the event counts, for sentences: ' before the window', or '' (by as_of). */
  doneWhen: string;
  /** What "yes" is, as the end of a sentence about customers ("... churned within the window"). */
  phrase: string;
  /** A sentence of the method. */
  note: string;
}

const q0 = (ctx: AnalysisContext) => (name: string): string => ctx.engine.dialect.quoteIdent(name);

/** A standard scale's top (5, 7, 10 or 100), else the largest score rounded up: CSAT scales vary by survey tool. */
function scaleTop(largest: number): number {
  return [5, 7, 10, 100].find((top) => largest <= top) ?? Math.ceil(largest);
}

async function outcomeSpecs(ctx: AnalysisContext, values: SqlValues, window: RetentionWindow | null, measure: SatisfactionMeasure | null): Promise<OutcomeSpec[]> {
  const q = q0(ctx);
  const specs: OutcomeSpec[] = [];
  if (window !== null) {
    const start = window.start === null ? null : values.bind(new Date(`${window.start}T00:00:00Z`));
    specs.push({
      key: 'retention',
      population: window.eligible,
      yes: window.churned,
      flag: start === null ? '1 = 1' : `${q('_first')} < ${start}`,
      measure: `churned within the ${window.months}-month window`,
      phrase: `churned within the ${window.months}-month window`,
      doneWhen: start === null ? '' : ' before the window',
      note:
        start === null
          ? 'Retention: churn has no dates, so an event counts when it was seen by as_of; churned customers had less time to do events, so the flag can follow the outcome: read retention tests with that in mind.'
          : `Retention: an event counts only when it was seen before the retention window opened (${window.start}), so the flag cannot follow the churn it is compared with. An event that recurs with time is done by more of the long-standing customers, who are also those selected for staying: it can pass on tenure alone.`,
    });
  }
  if (measure !== null) {
    if (measure.kind === 'nps') {
      specs.push({ key: 'satisfaction', population: `${measure.sql} IS NOT NULL`, yes: `(CASE WHEN ${measure.sql} > 0 THEN 1 ELSE 0 END)`, flag: '1 = 1', measure: 'promoter (NPS 9-10)', phrase: 'are promoters (NPS 9-10)', doneWhen: '', note: 'Satisfaction: promoters (latest NPS answer 9 or 10) against everyone else who answered; an event counts when it was seen by as_of.' });
    } else {
      const [row] = await scopeQuery<{ _top: RowValue }>(ctx, scopeSelect(ctx, { items: [`max(${measure.sql}) AS ${q('_top')}`], where: [`${measure.sql} IS NOT NULL`] }), values);
      const top = scaleTop(numberOf(row?._top) ?? 5);
      const box = ctx.engine.dialect.literal(top - 1);
      specs.push({
        key: 'satisfaction',
        population: `${measure.sql} IS NOT NULL`,
        yes: `(CASE WHEN ${measure.sql} >= ${box} THEN 1 ELSE 0 END)`,
        flag: '1 = 1',
        measure: `top-two-box CSAT (${top - 1}-${top})`,
        phrase: `gave a top-two-box CSAT (${top - 1} or ${top})`,
        doneWhen: '',
        note: `Satisfaction: the top two boxes of CSAT (latest answer ${top - 1} or ${top}, read as a 1-${top} scale from the largest score given) against everyone else who answered; an event counts when it was seen by as_of.`,
      });
    }
  }
  return specs;
}

/** A tested event × outcome after screening, with what it would be worth. */
interface Screened extends ScreenTest {
  qValue: number;
  passes: boolean;
  /** Retention only: money a year if SCREEN_STAKE_POINTS more points of non-doers did it and churned like doers; null without revenue. */
  moneyAtStake: number | null;
  rank: number | null;
}

/**
 * Behaviour screening: every behaviour event seen among the customers in
 * scope (declared or not) against retention and satisfaction. Per-customer
 * flags come from SQL (the first time each customer did each event, one
 * co-located join); the 2×2 tables of all events come from one GROUP BY and
 * one total. Events without minimum support are left out before testing;
 * every remaining event × outcome test is screened together (Benjamini–
 * Hochberg and the practical threshold in percentage points); passing
 * retention tests are ranked by money at stake, satisfaction tests by the
 * size of the difference. Associations, not effects.
 */
export async function screeningSection(ctx: AnalysisContext, values: SqlValues, window: RetentionWindow | null, measure: SatisfactionMeasure | null): Promise<SectionOutput> {
  const d = ctx.engine.dialect;
  const q = q0(ctx);
  if ((ctx.tableRows.behaviour_events ?? 0) === 0) return { gaps: ['Behaviours are not screened: no behaviour events were imported (map product or web analytics events as behaviour_events in cxray.yaml).'] };
  const specs = await outcomeSpecs(ctx, values, window, measure);
  if (specs.length === 0) return { gaps: ['Behaviours are not screened: neither churn nor satisfaction answers are known.'] };

  const stored = new Set(ctx.facts.columns.map((c) => c.name));
  const withRevenue = stored.has('net_revenue') && stored.has('exposure_days');
  const within = (population: string, expr: string): string => `sum(CASE WHEN ${population} THEN ${expr} ELSE 0 END)`;
  // Tenure band of each customer: the screen compares doers and non-doers of like tenure.
  const tenure = q('tenure_days');
  const band = stored.has('tenure_days')
    ? `(CASE WHEN ${tenure} IS NULL THEN -1 WHEN ${tenure} < 0 THEN 0 WHEN ${tenure} >= ${TENURE_BAND_DAYS * TENURE_BANDS} THEN ${TENURE_BANDS} ELSE floor(${d.toDouble(tenure)} / ${TENURE_BAND_DAYS}) END)`
    : '0';
  const totalRows = await scopeQuery<Record<string, RowValue>>(
    ctx,
    scopeSelect(ctx, {
      items: [
        `${band} AS ${q('_band')}`,
        ...specs.flatMap((s, i) => [`${within(s.population, '1')} AS ${q(`_n${i}`)}`, `${within(s.population, s.yes)} AS ${q(`_y${i}`)}`]),
        ...(withRevenue
          ? [`sum(CASE WHEN ${q('exposure_days')} IS NULL THEN 0 ELSE ${d.toDouble(`COALESCE(${q('net_revenue')}, 0)`)} END) AS ${q('_revenue')}`, `sum(COALESCE(${d.toDouble(q('exposure_days'))}, 0)) AS ${q('_exposure')}`]
          : []),
      ],
      // Without tenure every customer is in one band: no GROUP BY of a constant (read as a position by some engines).
      groupBy: stored.has('tenure_days') ? [band] : [],
    }),
    values,
  );
  const sumOf = (rows: readonly Record<string, RowValue>[], key: string): number => rows.reduce((t, r) => t + (numberOf(r[key]) ?? 0), 0);
  const totals: Record<string, number> = Object.fromEntries([...specs.flatMap((_, i) => [`_n${i}`, `_y${i}`]), '_revenue', '_exposure'].map((key) => [key, sumOf(totalRows, key)]));
  const asOfEnd = values.bind(new Date(Date.parse(`${ctx.asOf}T00:00:00Z`) + 86_400_000));
  const join = perCustomerJoin(ctx, 'behaviour_events', [`${q('behaviour')} AS ${q('_e')}`, `min(${q('at')}) AS ${q('_first')}`], [`${q('at')} < ${asOfEnd}`, `${q('behaviour')} IS NOT NULL`], '_ev', [q('behaviour')]);
  const flagged = (s: OutcomeSpec, expr: string): string => within(s.population, `(CASE WHEN ${s.flag} THEN ${expr} ELSE 0 END)`);
  const bandRows = await scopeQuery<Record<string, RowValue>>(
    ctx,
    scopeSelect(ctx, {
      items: [q('_e'), `${band} AS ${q('_band')}`, `count(*) AS ${q('_d')}`, ...specs.flatMap((s, i) => [`${flagged(s, '1')} AS ${q(`_dn${i}`)}`, `${flagged(s, s.yes)} AS ${q(`_dy${i}`)}`])],
      join,
      where: [`${q('_e')} IS NOT NULL`],
      groupBy: stored.has('tenure_days') ? [q('_e'), band] : [q('_e')],
    }),
    values,
  );
  // One row per event (the sums over bands), keeping each band's counts for the stratified test.
  const byEvent = new Map<string, Record<string, RowValue>[]>();
  for (const r of bandRows) byEvent.set(String(r['_e']), [...(byEvent.get(String(r['_e'])) ?? []), r]);
  const rows = [...byEvent.entries()].map(([event, parts]) => ({
    _e: event,
    ...Object.fromEntries(['_d', ...specs.flatMap((_, i) => [`_dn${i}`, `_dy${i}`])].map((key) => [key, sumOf(parts, key)])),
  })) as Record<string, RowValue>[];
  const bandOf = (r: Record<string, RowValue>): number => numberOf(r['_band']) ?? 0;
  const strataOf = (event: string, i: number): Stratum[] =>
    totalRows.map((t) => {
      const part = (byEvent.get(event) ?? []).find((r) => bandOf(r) === bandOf(t));
      const dn = numberOf(part?.[`_dn${i}`]) ?? 0;
      const dy = numberOf(part?.[`_dy${i}`]) ?? 0;
      const n = numberOf(t[`_n${i}`]) ?? 0;
      const y = numberOf(t[`_y${i}`]) ?? 0;
      return { doing: { count: dy, n: dn }, notDoing: { count: y - dy, n: n - dn } };
    });

  const customers = ctx.scope.customers;
  const needed = Math.max(SCREEN_SUPPORT.doing, Math.ceil(SCREEN_SUPPORT.share * customers));
  const events = rows.map((r) => ({ name: String(r['_e']), doing: numberOf(r['_d']) ?? 0, row: r })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const supported = events.filter((e) => e.doing >= needed && customers - e.doing >= SCREEN_SUPPORT.notDoing);
  const tests: ScreenTest[] = [];
  const untested: string[] = [];
  const warnings: string[] = [];
  specs.forEach((s, i) => {
    const n = numberOf(totals?.[`_n${i}`]) ?? 0;
    const yes = numberOf(totals?.[`_y${i}`]) ?? 0;
    if (yes === 0 || yes === n) {
      warnings.push(`Behaviours are not screened against ${s.key}: ${n === 0 ? 'no customer in scope is in its population' : `every one of the ${words.count(n)} customers has the same outcome (${s.measure}: ${yes === 0 ? 'none' : 'all'})`}.`);
      return;
    }
    for (const e of supported) {
      const dn = numberOf(e.row[`_dn${i}`]) ?? 0;
      const dy = numberOf(e.row[`_dy${i}`]) ?? 0;
      if (dn < SCREEN_SUPPORT.doing || n - dn < SCREEN_SUPPORT.notDoing) untested.push(`${e.name} (${s.key}: ${words.count(dn)} doing, ${words.count(n - dn)} not)`);
      else tests.push(screenTest(e.name, s.key, { count: dy, n: dn }, { count: yes - dy, n: n - dn }, strataOf(e.name, i)));
    }
  });

  const revenue = numberOf(totals?.['_revenue']);
  const exposure = numberOf(totals?.['_exposure']);
  const perMonth = revenue !== null && exposure !== null && exposure > 0 ? (revenue / exposure) * DAYS_PER_MONTH : null;
  const pp = DIFFERENCE_UNITS.percentagePoints;
  const threshold = ctx.thresholds.byUnit[pp] ?? 1;
  // Screened on the difference within tenure bands and its CMH test; a test no band informs is not screened.
  const screened: Screened[] = screen(
    tests.map((t) => ({ test: t, estimate: 100 * (t.stratified?.estimate ?? 0), unit: pp, pValue: t.stratified?.pValue ?? 1 })),
    { alpha: ctx.thresholds.fdr, practicalThreshold: { [pp]: threshold } },
  ).map((s) => ({
    ...s.test,
    qValue: s.qValue,
    passes: s.passes,
    moneyAtStake: s.test.outcome === 'retention' && perMonth !== null && s.test.stratified !== null ? -s.test.stratified.estimate * (SCREEN_STAKE_POINTS / 100) * s.test.notDoing.n * perMonth * 12 : null,
    rank: null,
  }));
  // Passing tests first, retention by money at stake (by the size of the difference without revenue), satisfaction by the size of the difference.
  const size = (s: Screened): number => Math.abs(s.moneyAtStake ?? s.stratified?.estimate ?? 0);
  const order = (a: Screened, b: Screened): number =>
    Number(b.passes) - Number(a.passes) || (a.outcome === b.outcome ? 0 : a.outcome === 'retention' ? -1 : 1) || (a.passes ? size(b) - size(a) : a.qValue - b.qValue) || (a.event < b.event ? -1 : a.event > b.event ? 1 : 0);
  screened.sort(order);
  for (const o of ['retention', 'satisfaction'] as const) screened.filter((s) => s.passes && s.outcome === o).forEach((s, k) => (s.rank = k + 1));

  const currency = ctx.config.currency;
  const spec = (o: ScreenOutcome): OutcomeSpec => specs.find((s) => s.key === o) as OutcomeSpec;
  const findings: Finding[] = screened.filter((s) => s.passes).map((s) => screenFinding(s, spec(s.outcome), currency, perMonth));
  const below = events.length - supported.length;
  const summary: string[] = [];
  const outcomes = words.list(specs.map((s) => s.key));
  if (events.length === 0) warnings.push('No behaviour event was seen among the customers in scope: nothing to screen.');
  else if (supported.length === 0) {
    warnings.push(`No behaviour event has enough support to screen: each needs at least ${words.count(needed)} customers doing it (${words.percent(SCREEN_SUPPORT.share, 0)} of ${words.count(customers)}, and never fewer than ${SCREEN_SUPPORT.doing}) and ${SCREEN_SUPPORT.notDoing} not doing it; all ${words.count(events.length)} seen are below.`);
  } else {
    const passing = screened.filter((s) => s.passes);
    summary.push(
      `Behaviour screening: ${words.count(supported.length)} of ${words.count(events.length)} events seen had enough support (${below} below) and were tested against ${outcomes} (${words.count(tests.length)} tests); ` +
        (passing.length === 0
          ? `none passes the false discovery rate of ${words.percent(ctx.thresholds.fdr, 0)} and the ${threshold}-point threshold.`
          : `${words.count(passing.length)} pass: ${words.list(passing.map((s) => `${s.event} (${s.outcome}, ${words.points(s.stratified?.estimate ?? 0)} within tenure bands)`))}. These are associations, not effects.`),
    );
  }
  if (untested.length > 0) warnings.push(`Not tested for want of support within an outcome's population: ${belowNames(untested, '; ')}.`);
  const haldane = screened.filter((s) => s.oddsRatio.haldane);

  const rowsOut: Cell[][] = screened.map((s) => [
    s.event, s.outcome, spec(s.outcome).measure, s.doing.n, s.notDoing.n, s.doing.count, s.notDoing.count,
    s.doing.count / s.doing.n, s.notDoing.count / s.notDoing.n,
    100 * s.difference.estimate, 100 * s.difference.interval.lower, 100 * s.difference.interval.upper,
    s.phi.estimate, s.phi.interval.lower, s.phi.interval.upper,
    s.oddsRatio.estimate, s.oddsRatio.interval.lower, s.oddsRatio.interval.upper, s.oddsRatio.haldane,
    s.stratified === null ? null : 100 * s.stratified.estimate, s.stratified === null ? null : 100 * s.stratified.interval.lower, s.stratified === null ? null : 100 * s.stratified.interval.upper, s.stratified?.strata ?? 0,
    s.stratified?.pValue ?? null, s.qValue, s.passes, s.moneyAtStake, s.rank,
  ]);
  const charted = screened.filter((s) => s.passes);
  return {
    summary,
    findings,
    warnings,
    tables: [
      groupTable(
        'behaviour_screening',
        [
          { name: 'event', type: 'string' }, { name: 'outcome', type: 'string' }, { name: 'measure', type: 'string' },
          { name: 'n_doing', type: 'integer', unit: 'customers' }, { name: 'n_not', type: 'integer', unit: 'customers' },
          { name: 'outcome_doing', type: 'integer', unit: 'customers' }, { name: 'outcome_not', type: 'integer', unit: 'customers' },
          { name: 'share_doing', type: 'number', unit: 'share' }, { name: 'share_not', type: 'number', unit: 'share' },
          { name: 'difference', type: 'number', unit: pp }, { name: 'difference_lower', type: 'number', unit: pp }, { name: 'difference_upper', type: 'number', unit: pp },
          { name: 'phi', type: 'number' }, { name: 'phi_lower', type: 'number' }, { name: 'phi_upper', type: 'number' },
          { name: 'odds_ratio', type: 'number' }, { name: 'or_lower', type: 'number' }, { name: 'or_upper', type: 'number' }, { name: 'haldane', type: 'boolean' },
          { name: 'within_tenure_difference', type: 'number', unit: pp }, { name: 'within_tenure_lower', type: 'number', unit: pp }, { name: 'within_tenure_upper', type: 'number', unit: pp }, { name: 'tenure_bands', type: 'integer' },
          { name: 'p_value', type: 'number' }, { name: 'q_value', type: 'number' }, { name: 'passes', type: 'boolean' },
          { name: 'money_at_stake', type: 'number', unit: currency }, { name: 'rank', type: 'integer' },
        ],
        rowsOut,
        { countColumn: 'n_doing', keyColumns: ['event', 'outcome', 'measure'] },
      ),
    ],
    charts: charted.length === 0 ? [] : [differenceChart(charted)],
    assumptions: [
      `Behaviour screening: a customer did an event when behaviour_events holds it for them by as_of (${ctx.asOf}); every event seen among the customers in scope is screened, declared or not. ${specs.map((s) => s.note).join(' ')}`,
      `Minimum support, applied before any test: at least ${words.percent(SCREEN_SUPPORT.share, 0)} of the customers in scope and at least ${SCREEN_SUPPORT.doing} doing the event, and at least ${SCREEN_SUPPORT.notDoing} not doing it, among the customers in scope and again within each outcome's population; ${below} of ${events.length} events were below it${below === 0 ? '' : ` (${belowNames(events.filter((e) => !supported.includes(e)).map((e) => `${e.name}: ${words.count(e.doing)} doing`))})`}.`,
      `Each event × outcome is screened on the difference of shares between doers and non-doers of like tenure: within bands of a quarter of a year of tenure (${TENURE_BAND_DAYS} days; 10 years and more together; unknown apart), pooled by Mantel-Haenszel weights with its large-band variance and the Cochran-Mantel-Haenszel test (bands with fewer than 5 doers or non-doers left out), so that an event long-standing customers do more often cannot pass on their tenure. Shown beside it, over all customers: the crude difference of shares (Newcombe's hybrid score interval), phi (Fisher z interval; its χ² test gives the same p) and the odds ratio (Woolf's log interval${haldane.length === 0 ? '; no cell was 0, so no correction was applied' : `; 0.5 added to every cell, Haldane's correction, only where a cell was 0: ${words.list(haldane.map((s) => `${s.event} (${s.outcome})`))}`}). All ${tests.length} tests are screened as one family: Benjamini-Hochberg on the CMH p-values at a false discovery rate of ${words.percent(ctx.thresholds.fdr, 0)}, and a within-tenure difference of at least ${threshold} percentage points.`,
      perMonth === null
        ? 'Money at stake is not computed (no net revenue or exposure in customer_facts): passing retention tests are ranked by the size of the difference.'
        : `Money at stake, for passing retention tests: (churn share of non-doers − churn share of doers) × ${SCREEN_STAKE_POINTS} points of the non-doers in the window × the mean net revenue per customer-month of the customers in scope (${words.money(perMonth, currency, 2)}: their net revenue over their exposure in days × ${DAYS_PER_MONTH}) × 12 months. It assumes new doers would churn like today's doers and that a customer kept brings the average net revenue for a year: an upper bound that holds only if the association were causal. Satisfaction tests are ranked by the size of the difference.`,
      'Screening finds associations, not effects: customers who do an event may differ in ways that also shape the outcome; confirm a passing event with an adjusted comparison or an experiment before acting on it.',
    ],
  };
}

/** The first few names, and how many more. */
function belowNames(names: readonly string[], separator = ', ', shown = 10): string {
  return names.length <= shown ? names.join(separator) : `${names.slice(0, shown).join(separator)} and ${names.length - shown} more`;
}

function screenFinding(s: Screened, spec: OutcomeSpec, currency: string, perMonth: number | null): Finding {
  const within = s.stratified as StratifiedDifference;
  const ci = words.interval(scaleInterval(within.interval, 100), (x) => x.toFixed(1));
  const odds = `phi ${s.phi.estimate.toFixed(2)}, odds ratio ${s.oddsRatio.estimate.toFixed(2)}, ${words.interval(s.oddsRatio.interval, (x) => x.toFixed(2))}${s.oddsRatio.haldane ? ' with 0.5 added to every cell' : ''}`;
  const shares = `${words.percent(s.doing.count / s.doing.n)} of ${words.count(s.doing.n)} doers against ${words.percent(s.notDoing.count / s.notDoing.n)} of ${words.count(s.notDoing.n)} non-doers ${spec.phrase}`;
  const caution = ' This is an association, not an effect: customers who do it may differ in other ways.';
  const base = { code: `perfect_customer.screen.${s.outcome}`, estimate: 100 * within.estimate, unit: DIFFERENCE_UNITS.percentagePoints, interval: scaleInterval(within.interval, 100), n: s.doing.n + s.notDoing.n, pValue: within.pValue, qValue: s.qValue, severity: 'medium' as const };
  if (s.outcome === 'retention') {
    const stake =
      s.moneyAtStake === null || perMonth === null
        ? ''
        : ` If ${SCREEN_STAKE_POINTS} more points of the non-doers did it and churned like the doers, about ${words.signedMoney(s.moneyAtStake, currency, 0)} a year would be ${s.moneyAtStake >= 0 ? 'kept' : 'lost'} (at ${words.money(perMonth, currency, 2)} net revenue per customer-month).`;
    const text = `Customers who did ${s.event}${spec.doneWhen} ${within.estimate < 0 ? 'churned less' : 'churned more'} than customers of like tenure who did not (${words.points(within.estimate)}, ${ci}): ${shares} over all (${odds}).${stake}${caution}`;
    return { ...base, text, ...(s.moneyAtStake === null ? {} : { moneyAtStake: { amount: s.moneyAtStake, currency, period: 'year' as const } }) };
  }
  const text = `Customers who did ${s.event} are ${within.estimate > 0 ? 'more' : 'less'} often satisfied than customers of like tenure who did not (${words.points(within.estimate)}, ${ci}): ${shares} over all (${odds}).${caution}`;
  return { ...base, text };
}

/** The difference of shares with its interval, one row per passing event × outcome. */
function differenceChart(passing: readonly Screened[]): Chart {
  const values = passing.map((s) => ({ test: `${s.event} · ${s.outcome}`, difference: 100 * (s.stratified?.estimate ?? 0), lower: 100 * (s.stratified?.interval.lower ?? 0), upper: 100 * (s.stratified?.interval.upper ?? 0), n: s.doing.n + s.notDoing.n }));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: 'Behaviour events that pass screening: doers minus non-doers of like tenure',
    data: { values },
    encoding: { y: { field: 'test', type: 'nominal', sort: null, title: 'event · outcome' } },
    layer: [
      { mark: 'rule', encoding: { x: { field: 'lower', type: 'quantitative', title: 'difference in percentage points (95% CI)' }, x2: { field: 'upper' } } },
      {
        mark: { type: 'point', filled: true },
        encoding: {
          x: { field: 'difference', type: 'quantitative' },
          tooltip: [{ field: 'test', type: 'nominal' }, { field: 'difference', type: 'quantitative', format: '.1f' }, { field: 'lower', type: 'quantitative', format: '.1f' }, { field: 'upper', type: 'quantitative', format: '.1f' }, { field: 'n', type: 'quantitative' }],
        },
      },
      { mark: { type: 'rule', strokeDash: [4, 4] }, encoding: { x: { datum: 0 } } },
    ],
  };
}
