import { isSuppressed, screen, wilsonInterval } from '../../stats/index.js';
import { stackedShareChart } from '../charts.js';
import { hasRows, missingTableSentence } from '../needs.js';
import { describePeriod } from '../period.js';
import { periodConditions } from '../period-sql.js';
import { ratioDifference, ratioEstimate, subtractSums, type RatioSums } from '../ratio-estimate.js';
import { groupTable } from '../result-builder.js';
import type { Cell, Chart, Finding } from '../result.js';
import { perCustomerJoin } from '../per-customer-join.js';
import { scopeQuery, scopeSelect } from '../scope-query.js';
import { numberOf, SqlValues } from '../sql-values.js';
import { DIFFERENCE_UNITS } from '../thresholds.js';
import type { AnalysisContext } from '../types.js';
import { scaleInterval, words } from '../wording.js';
import { profileGroupings, type Grouping } from './groupings.js';
import type { SectionOutput } from './section.js';

/** How customers reach the company, by kind of channel. */
export const CHANNEL_CLASSES = [
  { key: 'digital', label: 'digital (email, chat, web)', channels: ['email', 'chat', 'web'] },
  { key: 'phone', label: 'phone', channels: ['phone'] },
  { key: 'in_person', label: 'in person', channels: ['walk-in'] },
  { key: 'other', label: 'other', channels: ['other'] },
] as const;

type ClassKey = (typeof CHANNEL_CLASSES)[number]['key'];

interface GroupSums {
  group: string;
  customers: number;
  contacting: number;
  m: number;
  mm: number;
  byClass: Record<ClassKey, { y: number; yy: number; ym: number }>;
}

/** Each customer's contacts per class, as expressions over customer_facts (and the join they need in a period). */
function perCustomer(ctx: AnalysisContext, values: SqlValues): { counts: Record<ClassKey, string>; join?: string } {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  if (ctx.period === null) {
    const counts = CHANNEL_CLASSES.map((c) => [c.key, `(${c.channels.map((ch) => q(`interactions_${ch.replace('-', '_')}`)).join(' + ')})`]);
    return { counts: Object.fromEntries(counts) as Record<ClassKey, string> };
  }
  const sums = CHANNEL_CLASSES.map(
    (c) => `sum(CASE WHEN ${q('channel')} IN (${c.channels.map((ch) => values.bind(ch)).join(', ')}) THEN 1 ELSE 0 END) AS ${q(`_pc_${c.key}`)}`,
  );
  // Co-located on a cluster: see perCustomerJoin.
  const join = perCustomerJoin(ctx, 'interactions', sums, periodConditions(ctx, values, q('at')), '_p');
  const counts = CHANNEL_CLASSES.map((c) => [c.key, `COALESCE(${q(`_pc_${c.key}`)}, 0)`]);
  return { counts: Object.fromEntries(counts) as Record<ClassKey, string>, join };
}

/** Contact sums per group (`groupExpr`), or over all customers in scope when null. */
async function groupSums(ctx: AnalysisContext, groupExpr: string | null, groupValues: SqlValues): Promise<GroupSums[]> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const values = new SqlValues(ctx.engine, 'p');
  const { counts, join } = perCustomer(ctx, values);
  const y = (key: ClassKey): string => d.toDouble(counts[key]);
  const m = `(${CHANNEL_CLASSES.map((c) => y(c.key)).join(' + ')})`;
  const items = [
    ...(groupExpr === null ? [] : [`${groupExpr} AS ${q('_g')}`]),
    `count(*) AS ${q('_customers')}`,
    `sum(CASE WHEN ${m} > 0 THEN 1 ELSE 0 END) AS ${q('_contacting')}`,
    `sum(${m}) AS ${q('_m')}`,
    `sum(${m} * ${m}) AS ${q('_mm')}`,
    ...CHANNEL_CLASSES.flatMap((c) => [`sum(${y(c.key)}) AS ${q(`_y_${c.key}`)}`, `sum(${y(c.key)} * ${y(c.key)}) AS ${q(`_yy_${c.key}`)}`, `sum(${y(c.key)} * ${m}) AS ${q(`_ym_${c.key}`)}`]),
  ];
  const sql = scopeSelect(ctx, { items, ...(join === undefined ? {} : { join }), ...(groupExpr === null ? {} : { groupBy: [groupExpr] }) });
  const rows = await scopeQuery(ctx, sql, values, groupValues);
  const num = (x: unknown): number => numberOf(x) ?? 0;
  return rows.map((r) => ({
    group: groupExpr === null ? 'all customers' : String(r['_g']),
    customers: num(r['_customers']),
    contacting: num(r['_contacting']),
    m: num(r['_m']),
    mm: num(r['_mm']),
    byClass: Object.fromEntries(CHANNEL_CLASSES.map((c) => [c.key, { y: num(r[`_y_${c.key}`]), yy: num(r[`_yy_${c.key}`]), ym: num(r[`_ym_${c.key}`]) }])) as GroupSums['byClass'],
  }));
}

function sumsOf(g: GroupSums, key: ClassKey): RatioSums {
  const c = g.byClass[key];
  return { n: g.contacting, y: c.y, m: g.m, yy: c.yy, mm: g.mm, ym: c.ym };
}

interface GroupDifference {
  grouping: Grouping;
  group: GroupSums;
  share: number;
  restShare: number;
  estimate: number;
  interval: { lower: number; upper: number; level: number };
  pValue: number;
  n: number;
}

function differenceSentence(d: GroupDifference): string {
  return (
    `Customers with ${d.grouping.label} ${d.group.group} make ${words.percent(d.share)} of their contacts digitally, against ${words.percent(d.restShare)} for the others ` +
    `(${d.estimate >= 0 ? '+' : '−'}${Math.abs(d.estimate).toFixed(1)} points, ${words.interval(d.interval, (x) => x.toFixed(1))}; n = ${words.count(d.group.contacting)} customers in touch).`
  );
}

/** Contacts by channel (digital, phone, in person), overall and by age band and segment. */
export async function channelsSection(ctx: AnalysisContext): Promise<SectionOutput> {
  if (!hasRows(ctx, 'interactions')) return { gaps: [`How customers reach the company is unknown: ${missingTableSentence('interactions')}`] };
  const groupValues = new SqlValues(ctx.engine, 'g');
  const [overall] = await groupSums(ctx, null, groupValues);
  if (overall === undefined || overall.m === 0) return { gaps: [`No contacts were recorded for these customers${ctx.period === null ? '' : ` ${describePeriod(ctx.period)}`}.`] };
  const { groupings, warnings } = profileGroupings(ctx, groupValues);

  const rows: Cell[][] = [];
  const findings: Finding[] = [];
  const summary: string[] = [];
  const row = (grouping: string, g: GroupSums): Cell[] => {
    const shares = CHANNEL_CLASSES.map((c) => ratioEstimate(sumsOf(g, c.key)));
    const digital = shares[0] ?? null;
    return [grouping, g.group, g.customers, g.contacting, g.m, digital?.estimate ?? null, digital?.interval.lower ?? null, digital?.interval.upper ?? null, ...shares.slice(1).map((s) => s?.estimate ?? null)];
  };
  rows.push(row('all', overall));

  const inTouch = wilsonInterval({ count: overall.contacting, n: overall.customers });
  const classShares = CHANNEL_CLASSES.map((c) => ({ c, r: ratioEstimate(sumsOf(overall, c.key)) })).filter((x) => x.r !== null && x.r.estimate > 0);
  for (const { c, r } of classShares) {
    if (r === null) continue;
    findings.push({
      code: `profile.channel_share.${c.key}`,
      text: `${words.percent(r.estimate)} of the ${words.count(overall.m)} contacts were ${c.label} (${words.interval(r.interval, (x) => words.percent(x))}; n = ${words.count(overall.contacting)} customers in touch).`,
      estimate: r.estimate,
      unit: 'share',
      interval: r.interval,
      n: overall.contacting,
      severity: 'info',
    });
  }
  const ranked = [...classShares].sort((a, b) => (b.r?.estimate ?? 0) - (a.r?.estimate ?? 0));
  summary.push(
    `${words.percent(inTouch.estimate)} of customers got in touch${ctx.period === null ? '' : ` ${describePeriod(ctx.period)}`} (${words.count(overall.m)} contacts); ` +
      `${ranked.map(({ c, r }) => `${words.percent(r?.estimate ?? 0)} ${c.label}`).join(', ')}.`,
  );

  const differences: GroupDifference[] = [];
  const charts: Chart[] = [];
  for (const grouping of groupings) {
    const groups = await groupSums(ctx, grouping.expr, groupValues);
    // Largest first, ties by name: a fixed order whatever order the engine returns groups in.
    const bySize = [...groups].sort((a, b) => b.customers - a.customers || (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
    const order = grouping.order.length > 0 ? grouping.order : bySize.map((g) => g.group);
    const sorted = [...groups].sort((a, b) => order.indexOf(a.group) - order.indexOf(b.group));
    for (const g of sorted) {
      rows.push(row(grouping.key, g));
      if (isSuppressed(g.contacting) || isSuppressed(overall.contacting - g.contacting)) continue;
      const diff = ratioDifference(sumsOf(g, 'digital'), subtractSums(sumsOf(overall, 'digital'), sumsOf(g, 'digital')));
      if (diff === null) continue;
      const share = g.byClass.digital.y / g.m;
      const restShare = (overall.byClass.digital.y - g.byClass.digital.y) / (overall.m - g.m);
      differences.push({ grouping, group: g, share, restShare, estimate: diff.estimate * 100, interval: scaleInterval(diff.interval, 100), pValue: diff.pValue, n: overall.contacting });
    }
    if (charts.length === 0 && sorted.length > 1) {
      const values = sorted
        .filter((g) => !isSuppressed(g.contacting))
        .flatMap((g) => CHANNEL_CLASSES.map((c) => ({ group: g.group, series: c.label, share: g.m > 0 ? g.byClass[c.key].y / g.m : 0 })));
      if (values.length > 0) charts.push(stackedShareChart(`How customers reach the company, by ${grouping.label}`, grouping.label, 'channel', values));
    }
  }
  const screened = screen(
    differences.map((x) => ({ ...x, unit: DIFFERENCE_UNITS.percentagePoints })),
    { alpha: ctx.thresholds.fdr, practicalThreshold: ctx.thresholds.byUnit },
  );
  const passing = screened.filter((x) => x.passes).sort((a, b) => Math.abs(b.estimate) - Math.abs(a.estimate));
  for (const x of passing) {
    findings.push({
      code: 'profile.digital_share_difference',
      text: differenceSentence(x),
      estimate: x.estimate,
      unit: DIFFERENCE_UNITS.percentagePoints,
      interval: x.interval,
      n: x.group.contacting,
      pValue: x.pValue,
      qValue: x.qValue,
      severity: Math.abs(x.estimate) >= 10 ? 'medium' : 'low',
    });
  }
  const first = passing[0];
  if (first !== undefined) summary.push(differenceSentence(first));

  return {
    summary,
    findings,
    charts,
    warnings,
    tables: [
      groupTable(
        'contact_channels',
        [
          { name: 'grouping', type: 'string' },
          { name: 'group', type: 'string' },
          { name: 'customers', type: 'integer', unit: 'customers' },
          { name: 'customers_in_touch', type: 'integer', unit: 'customers' },
          { name: 'contacts', type: 'integer', unit: 'count' },
          { name: 'digital_share', type: 'number', unit: 'share' },
          { name: 'digital_lower', type: 'number', unit: 'share' },
          { name: 'digital_upper', type: 'number', unit: 'share' },
          { name: 'phone_share', type: 'number', unit: 'share' },
          { name: 'in_person_share', type: 'number', unit: 'share' },
          { name: 'other_share', type: 'number', unit: 'share' },
        ],
        rows,
        { countColumn: 'customers_in_touch', keyColumns: ['grouping', 'group'] },
      ),
    ],
    assumptions: [
      `Contacts are interactions${ctx.period === null ? ' up to as_of' : ` ${describePeriod(ctx.period)}`}; digital = email, chat and web, in person = walk-in. Shares of contacts are ratios of totals with customers as the independent units (linearised standard errors).`,
      'A group is compared with all other customers on its digital share; the comparisons are screened together by Benjamini-Hochberg and the percentage-point threshold.',
    ],
  };
}
