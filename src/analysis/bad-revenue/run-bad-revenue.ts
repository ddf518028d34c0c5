import { describePeriod } from '../period.js';
import { ratioEstimate } from '../ratio-estimate.js';
import { emptyParts, notRunResult, okResult } from '../result-builder.js';
import type { Result } from '../result.js';
import { SqlValues } from '../sql-values.js';
import { DIFFERENCE_UNITS } from '../thresholds.js';
import type { Analysis, AnalysisContext } from '../types.js';
import { words } from '../wording.js';
import { coverageTable, linesTable, ratioChart } from './bad-revenue-tables.js';
import { lineFinding, overallShareFinding, type Wording } from './bad-revenue-findings.js';
import { customerSource } from './customer-source.js';
import { dissatisfiedClasses, MINIMUM_CLASS_CUSTOMERS } from './dissatisfied-classes.js';
import { baseSums, lineSums } from './line-sums.js';
import { judgeLines, type LineVerdict } from './line-verdicts.js';
import { MINIMUM_LINE_PAYERS, MINIMUM_LINE_SHARE, planLines, poolLine, type RevenueLine } from './revenue-lines.js';

/** Confidence level of every interval. */
const LEVEL = 0.95;

/**
 * Bad revenue: for every revenue line (each fee and each purchase category),
 * the share of its revenue paid by dissatisfied customers against their share
 * of customers, only customers whose class is known counting; an alert when
 * a line earns clearly more than its share from them (Benjamini-Hochberg
 * across lines and a minimum on the ratio's lower bound), with the money
 * above their share. The overall share of revenue from detractors is shown
 * as context.
 */
export async function runBadRevenue(ctx: AnalysisContext, analysis: Pick<Analysis, 'name' | 'revision' | 'description'>): Promise<Result> {
  const values = new SqlValues(ctx.engine, 'br');
  const source = await customerSource(ctx, values);
  const classes = await dissatisfiedClasses(ctx, source, values);
  const primary = classes[0];
  if (primary === undefined) {
    return notRunResult(
      ctx,
      analysis,
      'skipped',
      `No way to tell dissatisfied customers here: at least ${MINIMUM_CLASS_CUSTOMERS} customers in scope need an NPS or CSAT answer (with both satisfied and dissatisfied among them), or churn dates from status changes. Map a survey with an NPS or CSAT question, or a subscriptions export, in cxray.yaml and run \`cxray import\`.`,
    );
  }
  const base = await baseSums(ctx, source, classes, values);
  const raw = await lineSums(ctx, source, classes, values);
  const plan = planLines(ctx.config, raw);
  const pools: RevenueLine[] = [];
  for (const fold of plan.folds) {
    const [pooled] = await lineSums(ctx, source, classes, values, fold);
    if (pooled !== undefined) pools.push(poolLine(fold, pooled));
  }
  const lines = [...plan.lines, ...pools];
  const minimumRatio = ctx.thresholds.byUnit[DIFFERENCE_UNITS.concentrationRatio] ?? 1.2;
  const verdicts = judgeLines(
    lines,
    base.classes.map((c) => c.base),
    { fdr: ctx.thresholds.fdr, minimumRatio, level: LEVEL },
  );
  const w: Wording = { currency: ctx.config.currency, minimumRatio };
  const money = (x: number): string => words.money(x, w.currency);
  const parts = emptyParts();

  const compared = verdicts.filter((v) => v.byClass[0] !== null && v.byClass[0] !== undefined);
  const alerts = compared.filter((v) => v.alert).sort((a, b) => (b.byClass[0]?.excess.estimate ?? 0) - (a.byClass[0]?.excess.estimate ?? 0));
  const lineFindings = compared.map((v) => ({ v, f: lineFinding(v, primary, w) }));
  const rule = `after the ${words.percent(ctx.thresholds.fdr, 0)} false discovery rate across lines and with the 95% lower bound above ${words.number(minimumRatio, 2)}x`;
  if (compared.length === 0) {
    parts.summary.push(`No revenue line could be compared: none has ${MINIMUM_LINE_PAYERS} paying customers whose class is known (${primary.definition}), even pooled with the other small lines of its kind.`);
  } else if (alerts.length === 0) {
    parts.summary.push(`No revenue line earns clearly more than its share from ${primary.label} (${rule}); ${words.count(compared.length)} line${compared.length === 1 ? '' : 's'} compared.`);
  } else {
    const excess = alerts.reduce((s, v) => s + (v.byClass[0]?.excess.estimate ?? 0), 0);
    parts.summary.push(
      `${alerts.length === 1 ? 'One revenue line earns' : `${alerts.length} revenue lines earn`} clearly more than ${alerts.length === 1 ? 'its' : 'their'} share from ${primary.label} (${rule}): ` +
        `${words.list(alerts.map((v) => `${v.line.label} (${words.number(v.byClass[0]?.ratio ?? 0, 2)}x their share)`))}, ${money(excess)} above their share in all; ${words.count(compared.length)} lines compared.`,
    );
  }
  parts.summary.push(...lineFindings.filter((x) => x.v.alert).map((x) => x.f?.text ?? ''));
  const above = compared.filter((v) => v.aboveOne);
  if (above.length > 0) parts.summary.push(`Above their share but not by ${words.number(minimumRatio, 2)}x clearly: ${words.list(above.map((v) => `${v.line.label} (${words.number(v.byClass[0]?.ratio ?? 0, 2)}x)`))}.`);
  parts.findings.push(...lineFindings.map((x) => x.f).filter((f): f is NonNullable<typeof f> => f !== null));

  const overall = base.classes.map((b) => ratioEstimate({ n: b.base.customers, y: b.paid.dy, m: b.paid.y, yy: b.paid.dyy, mm: b.paid.yy, ym: b.paid.dyy }, LEVEL));
  const first = base.classes[0];
  const share = overall[0] ?? null;
  if (share !== null && first !== undefined) {
    const f = overallShareFinding(share, primary, { dissatisfied: first.paid.dy, known: first.paid.y, customerShare: first.base.w > 0 ? first.base.dw / first.base.w : 0 }, w);
    parts.findings.push(f);
    parts.summary.push(f.text);
  }
  if (first !== undefined) {
    parts.summary.push(
      `${words.count(first.base.customers)} of ${words.count(base.customers)} customers (${words.percent(base.customers > 0 ? first.base.customers / base.customers : 0)}) have a known class (${primary.definition}); ` +
        `they paid ${words.percent(base.revenue > 0 ? first.paid.y / base.revenue : 0)} of the ${money(base.revenue)} of revenue${ctx.period === null ? '' : ` ${describePeriod(ctx.period)}`}. Only they count in the shares.`,
    );
  }
  classes.forEach((c, i) => {
    if (i === 0) return;
    const clear = compared
      .map((v) => ({ v, c: v.byClass[i] ?? null }))
      .filter((x): x is { v: LineVerdict; c: NonNullable<typeof x.c> } => x.c !== null && x.c.interval.lower > 1)
      .map((x) => `${x.v.line.label} ${words.number(x.c.ratio, 2)}x (${words.interval(x.c.interval, (r) => words.number(r, 2))})`);
    parts.summary.push(`Shown beside, not screened, with ${c.definition}: ${clear.length === 0 ? 'no line takes clearly more than their share from them' : `lines taking more than their share from them: ${words.list(clear)}`}.`);
  });
  const small = verdicts.filter((v) => v.line.status !== 'compared' || v.byClass[0] === null);
  if (small.length > 0) {
    parts.summary.push(
      `Not compared on their own: ${words.list(small.map((v) => v.line.label))} (a line needs ${MINIMUM_LINE_PAYERS} paying customers of known class and ${words.percent(MINIMUM_LINE_SHARE)} of its kind's revenue; ` +
        'two or more smaller lines of a kind are pooled, and the pool is compared if it has the customers).',
    );
  }
  parts.tables.push(...classes.map((c, i) => linesTable(verdicts, c, i, w.currency)), coverageTable(base, classes, overall, w.currency));
  parts.charts.push(ratioChart(verdicts, primary, minimumRatio));
  return okResult(ctx, analysis, parts, {
    description:
      `Revenue lines are the categories of fee and purchase transactions${ctx.period === null ? ` dated by as_of (${ctx.asOf})` : ` dated ${describePeriod(ctx.period)}`}; a line's revenue is what was billed in it (refunds and credits are not netted: a refund names its line only through the category). ` +
      `For each line, over the customers whose class is known: the share of its revenue paid by the dissatisfied over their share of those customers (the concentration ratio, 1 = a fair share). ` +
      `The ratio is A / D, the dissatisfied's revenue A over D = B·C/N, what they would pay at their share; its 95% interval is Fieller's, from the linearised (delta-method) variances of A and D with customers as the units, all of a customer's payments in a line one term: ` +
      'both are smooth functions of totals over customers, so a few sums per line from one GROUP BY give the interval exactly, the same on every engine (no resampling); Fieller rather than a Wald interval on log R, which rejected a true ratio of 1 too often on null replicates. ' +
      `Alert: the one-sided test of A − D > 0 (the ratio above 1), Benjamini-Hochberg at ${words.percent(ctx.thresholds.fdr, 0)} across the compared lines, and the interval's lower bound above ${words.number(minimumRatio, 2)} (cxray.yaml thresholds.concentration_ratio). ` +
      'The money: the revenue the dissatisfied paid above their share, A − D, with its delta-method interval. ' +
      `A line needs ${MINIMUM_LINE_PAYERS} paying customers of known class and ${words.percent(MINIMUM_LINE_SHARE)} of its kind's revenue; smaller lines of a kind are pooled.`,
    assumptions: [
      `Classes: ${classes.map((c, i) => `${c.definition}${i === 0 ? ' (alerted on)' : ' (shown, not screened)'}`).join('; ')}.`,
      ctx.period === null
        ? `A customer's class is from their latest answer by as_of (${ctx.asOf}); revenue is every payment by then.`
        : `Revenue is every payment ${describePeriod(ctx.period)}; a customer's class is from their latest answer by the period's end; customers counted are those exposed in the period.`,
      'Customers who did not answer are assumed to pay like those who did; the coverage table says how much revenue the answers cover.',
      `Stated rate: when no line is concentrated, an alert fires in at most ${words.percent(ctx.thresholds.fdr, 0)} of analyses (the false discovery rate; under the complete null any alert is false), and the threshold on the lower bound only lowers it.`,
      'A concentration is an association: a fee may fall on unhappy customers, or make them unhappy; fee-aftermath asks what follows a fee.',
    ],
  });
}
