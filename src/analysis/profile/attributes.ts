import { isSuppressed, wilsonInterval } from '../../stats/index.js';
import type { AttributeInfo } from '../facts-catalogue.js';
import { groupTable, SHARE_WITH_INTERVAL_COLUMNS } from '../result-builder.js';
import type { Cell, Finding } from '../result.js';
import { scopeQuery, scopeSelect } from '../scope-query.js';
import type { AnalysisContext } from '../types.js';
import { words } from '../wording.js';
import { numericSummaryItems, readNumericSummary } from './numeric-summary.js';
import type { SectionOutput } from './section.js';

/** Levels shown per attribute; the rest are pooled as "other values". */
export const MAX_LEVELS = 25;
/** More distinct values than this: an identifier or free text, not a category. */
const MAX_DISTINCT = 200;
export const MISSING_LEVEL = '(missing)';

const NUMERIC = new Set(['int32', 'int64', 'double', 'money']);

export function isCategorical(a: AttributeInfo): boolean {
  return a.type === 'string' || a.type === 'boolean';
}

export function isNumeric(a: AttributeInfo): boolean {
  return NUMERIC.has(a.type);
}

export interface LevelCount {
  level: string;
  n: number;
}

/** Largest first; ties by level in code-unit order, missing last: the same order whatever order an engine returns groups in. */
function byCount(a: { level: string | null; n: number }, b: { level: string | null; n: number }): number {
  if (a.n !== b.n) return b.n - a.n;
  if (a.level === null || b.level === null) return a.level === b.level ? 0 : a.level === null ? 1 : -1;
  return a.level < b.level ? -1 : a.level > b.level ? 1 : 0;
}

/**
 * Levels of a categorical attribute, largest first, small ones (n < 5) and
 * those beyond MAX_LEVELS pooled as "other values". Null when the column has
 * so many distinct values that it is an identifier, not a category.
 */
export async function attributeLevels(ctx: AnalysisContext, column: string): Promise<{ levels: LevelCount[]; pooled: number } | null> {
  const d = ctx.engine.dialect;
  const level = d.toString(d.quoteIdent(column));
  // No ORDER BY: the limit only tells whether there are too many levels; they are ordered here.
  const rows = await scopeQuery<{ _level: string | null; _n: bigint }>(
    ctx,
    `${scopeSelect(ctx, { items: [`${level} AS ${d.quoteIdent('_level')}`, `count(*) AS ${d.quoteIdent('_n')}`], groupBy: [level] })} LIMIT ${MAX_DISTINCT + 1}`,
  );
  if (rows.length > MAX_DISTINCT) return null;
  const sorted = rows.map((r) => ({ level: r._level, n: Number(r._n) })).sort(byCount);
  const all = sorted.map((r) => ({ level: r.level ?? MISSING_LEVEL, n: r.n }));
  const shown = all.filter((l, i) => i < MAX_LEVELS && !isSuppressed(l.n));
  const rest = all.filter((l) => !shown.includes(l));
  const levels = rest.length === 0 ? shown : [...shown, { level: `other values (${rest.length})`, n: rest.reduce((s, l) => s + l.n, 0) }];
  return { levels, pooled: rest.length };
}

function shareSentence(attribute: AttributeInfo, level: LevelCount, total: number): string {
  const w = wilsonInterval({ count: level.n, n: total });
  const ci = words.interval(w.interval, (x) => words.percent(x));
  if (attribute.type === 'boolean') {
    return `${attribute.source} is ${level.level} for ${words.percent(w.estimate)} of customers (${ci}; n = ${words.count(total)}).`;
  }
  return `The most common ${attribute.source} is ${level.level}: ${words.percent(w.estimate)} of customers (${ci}; n = ${words.count(total)}).`;
}

/** The distribution of every customer attribute: shares for categories, mean and quartiles for numbers. */
export async function attributesSection(ctx: AnalysisContext): Promise<SectionOutput> {
  const d = ctx.engine.dialect;
  const total = ctx.scope.customers;
  const findings: Finding[] = [];
  const warnings: string[] = [];
  const shareRows: Cell[][] = [];

  for (const attribute of ctx.facts.attributes.filter(isCategorical)) {
    const result = await attributeLevels(ctx, attribute.name);
    if (result === null) {
      warnings.push(`${attribute.source} has more than ${MAX_DISTINCT} distinct values: it looks like an identifier or free text, so its distribution is not shown.`);
      continue;
    }
    for (const level of result.levels) {
      const w = isSuppressed(level.n) ? null : wilsonInterval({ count: level.n, n: total });
      shareRows.push([attribute.source, level.level, level.n, w?.estimate ?? null, w?.interval.lower ?? null, w?.interval.upper ?? null]);
    }
    const headline = attribute.type === 'boolean' ? result.levels.find((l) => l.level === 'true') : result.levels.find((l) => l.level !== MISSING_LEVEL && !l.level.startsWith('other values'));
    if (headline !== undefined && !isSuppressed(headline.n)) {
      const w = wilsonInterval({ count: headline.n, n: total });
      findings.push({
        code: 'profile.attribute_share',
        text: shareSentence(attribute, headline, total),
        estimate: w.estimate,
        unit: 'share',
        interval: w.interval,
        n: total,
        severity: 'info',
      });
    }
  }

  const numeric = ctx.facts.attributes.filter(isNumeric);
  const numericRows: Cell[][] = [];
  if (numeric.length > 0) {
    const items = numeric.flatMap((a, i) => numericSummaryItems(d, d.quoteIdent(a.name), `a${i}`, { exactSum: a.type === 'money' }));
    const [row] = await scopeQuery(ctx, scopeSelect(ctx, { items }));
    numeric.forEach((attribute, i) => {
      if (row === undefined) return;
      const s = readNumericSummary(row, `a${i}`);
      const unit = attribute.type === 'money' ? ctx.config.currency : attribute.unit;
      const show = (x: number): string => (attribute.type === 'money' ? words.money(x, ctx.config.currency, 2) : `${words.number(x, 1)}${attribute.unit === null ? '' : ` ${attribute.unit}`}`);
      numericRows.push([attribute.source, unit, s.n, s.mean?.estimate ?? null, s.mean?.interval.lower ?? null, s.mean?.interval.upper ?? null, s.q1, s.median, s.q3]);
      if (s.mean === null || isSuppressed(s.n)) return;
      const spread = s.q1 !== null && s.q3 !== null ? `; the middle half lie between ${show(s.q1)} and ${show(s.q3)}` : '';
      findings.push({
        code: 'profile.attribute_mean',
        text: `Mean ${attribute.source}: ${show(s.mean.estimate)} (${words.interval(s.mean.interval, show)}; n = ${words.count(s.n)})${spread}.`,
        estimate: s.mean.estimate,
        unit: unit ?? attribute.source,
        interval: s.mean.interval,
        n: s.n,
        severity: 'info',
      });
      if (s.n < total) warnings.push(`${attribute.source} is missing for ${words.count(total - s.n)} of ${words.count(total)} customers; its summary describes the others.`);
    });
  }

  const skipped = ctx.facts.attributes.filter((a) => !isCategorical(a) && !isNumeric(a)).map((a) => a.source);
  return {
    findings,
    warnings,
    tables: [
      groupTable(
        'attribute_shares',
        [
          { name: 'attribute', type: 'string' },
          { name: 'level', type: 'string' },
          { name: 'n', type: 'integer', unit: 'customers' },
          ...SHARE_WITH_INTERVAL_COLUMNS,
        ],
        shareRows,
        { countColumn: 'n', keyColumns: ['attribute', 'level'] },
      ),
      groupTable(
        'attribute_summaries',
        [
          { name: 'attribute', type: 'string' },
          { name: 'unit', type: 'string' },
          { name: 'n', type: 'integer', unit: 'customers' },
          { name: 'mean', type: 'number' },
          { name: 'lower', type: 'number' },
          { name: 'upper', type: 'number' },
          { name: 'q1', type: 'number' },
          { name: 'median', type: 'number' },
          { name: 'q3', type: 'number' },
        ],
        numericRows,
        { countColumn: 'n', keyColumns: ['attribute', 'unit'] },
      ),
    ],
    assumptions: [
      'Shares are of all customers in scope (missing values counted as their own level) with Wilson 95% intervals; levels under 5 customers and beyond the 25 largest are pooled as "other values".',
      'Numeric attributes: mean with a Student t 95% interval; quartiles are exact order statistics (type 1).',
      ...(skipped.length > 0 ? [`Date attributes are not summarised: ${skipped.join(', ')}.`] : []),
    ],
  };
}

