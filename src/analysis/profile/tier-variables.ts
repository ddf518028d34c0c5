import { hasRows } from '../needs.js';
import type { AnalysisContext } from '../types.js';
import { words } from '../wording.js';
import { isNumeric } from './attributes.js';

/** A per-customer measure compared across value tiers: a mean, or a share (mean of a 0/1 flag). */
export interface TierVariable {
  key: string;
  /** In the customer's words: "tenure", "contacts", "adopted autopay". */
  label: string;
  kind: 'mean' | 'share';
  /** SQL over customer_facts columns; NULL where unknown. */
  expr: string;
  /** Money: summed in its exact type, so means are the same on every engine (see numericSummaryItems). */
  exactSum: boolean;
  format: (x: number) => string;
  /** False for value itself (comparing the top tier on value is circular). */
  compare: boolean;
}

/** The measures the value tiers are described and compared by, as far as this import has data. */
export function tierVariables(ctx: AnalysisContext): TierVariable[] {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const names = new Set(ctx.facts.columns.map((c) => c.name));
  const isMoney = (column: string): boolean => ctx.facts.columns.some((c) => c.name === column && c.type === 'money');
  const currency = ctx.config.currency;
  const money = (x: number): string => words.money(x, currency);
  const flag = (column: string): string => `CASE WHEN ${d.boolToInt(q(column))} = 1 THEN 1 ELSE 0 END`;
  const out: TierVariable[] = [{ key: 'net_value', label: 'net value', kind: 'mean', expr: q('net_value'), exactSum: isMoney('net_value'), format: money, compare: false }];
  if (names.has('tenure_days')) out.push({ key: 'tenure_days', label: 'tenure', kind: 'mean', expr: q('tenure_days'), exactSum: false, format: words.months, compare: true });
  for (const a of ctx.facts.attributes.filter(isNumeric)) {
    out.push({
      key: `attribute:${a.name}`,
      label: a.source,
      kind: 'mean',
      expr: q(a.name),
      exactSum: a.type === 'money',
      format: a.type === 'money' ? (x) => words.money(x, currency, 2) : (x) => words.number(x, 1),
      compare: true,
    });
  }
  if (hasRows(ctx, 'interactions')) {
    out.push({ key: 'interaction_count', label: 'contacts', kind: 'mean', expr: q('interaction_count'), exactSum: false, format: (x) => words.number(x, 1), compare: true });
    out.push({ key: 'cost_to_serve', label: 'cost to serve', kind: 'mean', expr: q('cost_to_serve'), exactSum: isMoney('cost_to_serve'), format: money, compare: true });
  }
  if (hasRows(ctx, 'survey_responses')) {
    out.push({ key: 'responded', label: 'answered a survey', kind: 'share', expr: `CASE WHEN ${q('survey_responses')} > 0 THEN 1 ELSE 0 END`, exactSum: false, format: words.percent, compare: true });
    if (names.has('latest_nps')) out.push({ key: 'latest_nps', label: 'latest likelihood to recommend (0-10)', kind: 'mean', expr: q('latest_nps'), exactSum: false, format: (x) => words.number(x, 1), compare: true });
  }
  if (hasRows(ctx, 'status_changes')) out.push({ key: 'churned', label: 'left', kind: 'share', expr: flag('churned'), exactSum: false, format: words.percent, compare: true });
  if (hasRows(ctx, 'referrals')) {
    out.push({ key: 'is_referred', label: 'came by referral', kind: 'share', expr: flag('is_referred'), exactSum: false, format: words.percent, compare: true });
    out.push({ key: 'referrals_made', label: 'referrals made', kind: 'mean', expr: q('referrals_made'), exactSum: false, format: (x) => words.number(x, 2), compare: true });
  }
  const flags = ctx.facts.columns.filter((c) => c.type === 'boolean' && /^adopted_/.test(c.name) && !c.name.endsWith('_at'));
  for (const c of flags) {
    const key = c.name.replace(/^adopted_/, '');
    const label = ctx.config.behaviours[key]?.label ?? key.replaceAll('_', ' ');
    out.push({ key: c.name, label: `adopted ${label.toLowerCase()}`, kind: 'share', expr: flag(c.name), exactSum: false, format: words.percent, compare: true });
  }
  return out;
}
