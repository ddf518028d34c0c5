import { UserError } from '../errors.js';
import { INTERACTION_CHANNELS } from '../model/tables.js';
import { attributeCondition } from './behaviour-conditions.js';
import { BH } from './behaviours-part.js';
import { fiscalQuarterStart } from './cohort.js';
import { CU } from './customers-part.js';
import type { FactsPart, FactsSqlContext } from './facts-part.js';
import { channelSuffix } from './fixed-columns.js';
import { IX } from './interactions-part.js';
import { RF } from './referral-parts.js';
import { ST } from './status-part.js';
import { SV } from './survey-parts.js';
import { TX } from './transactions-part.js';
import type { FactsColumn } from './types.js';

/**
 * The outermost SELECT list: one expression per catalogue column, in order,
 * cast to the column's type. A part whose table is absent contributes typed
 * NULLs, which the COALESCEs below turn into zeros where a zero is the truth
 * (no transactions means no revenue) and leave NULL where nothing is known.
 */
export function finalSelectList(ctx: FactsSqlContext, parts: readonly FactsPart[], catalogue: readonly FactsColumn[]): string[] {
  const { d, layout, values } = ctx;
  const q = (name: string): string => d.quoteIdent(name);

  const refs = new Map<string, string>();
  /** Outputs of parts whose table was not imported: constant NULLs. */
  const absent = new Set<string>();
  for (const part of parts) {
    for (const o of part.outputs) {
      refs.set(o.name, part.sql === null ? `CAST(NULL AS ${d.columnType(o.type, true)})` : q(o.name));
      if (part.sql === null) absent.add(o.name);
    }
  }
  const ref = (name: string): string => {
    const found = refs.get(name);
    if (found === undefined) throw new Error(`facts: no part yields ${name}`);
    return found;
  };
  const money = (name: string): string => `COALESCE(${ref(name)}, ${d.toMoney('0')})`;
  const count = (name: string): string => `COALESCE(${ref(name)}, 0)`;
  const day = (expr: string): string => d.dateTrunc('day', expr);

  const netRevenue = `${money(TX.revenue)} + ${money(TX.fees)} - ${money(TX.refunds)} - ${money(TX.credits)} - ${money(TX.costOfGoods)}`;
  const signup = ref(CU.signupAt);
  const purchaseDays = count(TX.purchaseDays);
  const latestNps = ref(SV.latestNps);
  const churned = `COALESCE(${ref(ST.latestChurned)}, 0) = 1`;
  // Only the dates there are: ClickHouse 18.16 cannot take a difference from COALESCE of two constant NULLs.
  const starts = [CU.signupAt, TX.firstPurchaseAt].filter((name) => !absent.has(name)).map(ref);
  const exposureStart = starts.length === 0 ? null : starts.length === 1 ? (starts[0] as string) : `COALESCE(${starts.join(', ')})`;
  const exposureEnd = absent.has(ST.latestAt) ? ctx.asOfEnd : `CASE WHEN ${churned} THEN ${ref(ST.latestAt)} ELSE ${ctx.asOfEnd} END`;
  const exposureSeconds = exposureStart === null ? null : d.toDouble(d.dateDiff('second', exposureStart, exposureEnd));

  const exprs = new Map<string, string>([
    ['customer_id', q('customer_id')],
    ['signup_at', signup],
    ['tenure_days', d.dateDiff('day', day(signup), ctx.asOfStart)],
    [
      'exposure_days',
      exposureStart === null || exposureSeconds === null
        ? `CAST(NULL AS ${d.columnType('double', true)})`
        : `CASE WHEN ${exposureStart} IS NULL THEN NULL WHEN ${exposureSeconds} < 86400 THEN ${d.toDouble('1')} ELSE ${exposureSeconds} / ${d.toDouble('86400')} END`,
    ],
    ['cohort_month', d.dateTrunc('month', signup)],
    ['cohort_quarter', fiscalQuarterStart(d, signup, ctx.config.fiscal_year_start_month)],
    ['revenue', money(TX.revenue)],
    ['fees', money(TX.fees)],
    ['refunds', money(TX.refunds)],
    ['credits', money(TX.credits)],
    ['cost_of_goods', money(TX.costOfGoods)],
    ['net_revenue', netRevenue],
    ['transaction_count', count(TX.count)],
    ['purchase_count', count(TX.purchases)],
    ['purchase_days', purchaseDays],
    ['first_purchase_at', ref(TX.firstPurchaseAt)],
    ['last_purchase_at', ref(TX.lastPurchaseAt)],
    // Fader-Hardie: a customer without a purchase has no (x, t_x, T) at all, not zeros.
    ['frequency', `CASE WHEN ${purchaseDays} > 0 THEN ${purchaseDays} - 1 ELSE NULL END`],
    ['recency_days', d.dateDiff('day', day(ref(TX.firstPurchaseAt)), day(ref(TX.lastPurchaseAt)))],
    ['age_days', d.dateDiff('day', day(ref(TX.firstPurchaseAt)), ctx.asOfStart)],
    ['interaction_count', count(IX.count)],
    ['handling_minutes', `COALESCE(${ref(IX.minutes)}, ${d.toDouble('0')})`],
    ['cost_to_serve', money(IX.cost)],
    ['unresolved_count', count(IX.unresolved)],
    ['net_value', `${netRevenue} - ${money(IX.cost)}`],
    ['survey_responses', count(SV.responses)],
    ['latest_nps', latestNps],
    ['mean_nps', ref(SV.meanNps)],
    [
      'nps_class',
      `CASE WHEN ${latestNps} >= 9 THEN ${values.bind('promoter')} WHEN ${latestNps} >= 7 THEN ${values.bind('passive')} ` +
        `WHEN ${latestNps} IS NOT NULL THEN ${values.bind('detractor')} ELSE NULL END`,
    ],
    ['first_nps_at', ref(SV.firstNpsAt)],
    ['latest_csat', ref(SV.latestCsat)],
    ['mean_csat', ref(SV.meanCsat)],
    ['latest_ces', ref(SV.latestCes)],
    ['mean_rating', ref(SV.meanRating)],
    ['comment_count', count(SV.comments)],
    ['referrals_made', count(RF.made)],
    ['referred_by', ref(RF.referredBy)],
    ['is_referred', `${ref(RF.referredBy)} IS NOT NULL`],
    ['churned', churned],
    ['churned_at', `CASE WHEN ${churned} THEN ${ref(ST.latestAt)} ELSE NULL END`],
    ['status', `CASE WHEN ${churned} THEN ${values.bind('churned')} ELSE ${values.bind('active')} END`],
    ['reactivations', count(ST.reactivations)],
  ]);

  INTERACTION_CHANNELS.forEach((ch, i) => {
    exprs.set(`interactions_${channelSuffix(ch)}`, count(IX.channelCount(i)));
    exprs.set(`cost_to_serve_${channelSuffix(ch)}`, money(IX.channelCost(i)));
  });
  layout.fees.forEach((fee, i) => exprs.set(fee.name, money(TX.fee(i))));
  layout.attributes.forEach((a, i) => exprs.set(a.name, ref(CU.attribute(i))));

  const adopted = layout.behaviours.map((b, i) => {
    const terms: string[] = [];
    if (b.event !== undefined) terms.push(`${ref(BH.firstSeen(i))} IS NOT NULL`);
    if (b.attribute !== undefined) {
      const at = layout.attributes.findIndex((a) => a.source === b.attribute);
      const attribute = layout.attributes[at];
      if (attribute === undefined) {
        throw new UserError('unknown_attribute', `The behaviour ${b.key} reads the attribute ${b.attribute}, which customers do not have.`, {
          hint: `Declare ${b.attribute} under the customers feed's attributes in cxray.yaml and import again, or fix behaviours.${b.key}.attribute.`,
        });
      }
      terms.push(`(${attributeCondition(ctx, b, ref(CU.attribute(at)), attribute.type)})`);
    }
    return `CASE WHEN ${terms.join(' OR ')} THEN 1 ELSE 0 END`;
  });
  layout.behaviours.forEach((b, i) => {
    exprs.set(b.flag, `(${adopted[i] ?? '0'}) = 1`);
    exprs.set(b.at, b.event === undefined ? 'NULL' : ref(BH.firstSeen(i)));
  });
  exprs.set('behaviour_count', adopted.length === 0 ? '0' : adopted.map((a) => `(${a})`).join(' + '));

  const attributeNames = new Set(layout.attributes.map((a) => a.name));
  const list = catalogue.map((column) => {
    const expr = exprs.get(column.name);
    if (expr === undefined) throw new Error(`facts: no expression for column ${column.name}`);
    exprs.delete(column.name);
    // Attributes keep the type they have in customers.
    const typed = attributeNames.has(column.name) ? expr : column.type === 'money' ? d.toMoney(expr) : `CAST(${expr} AS ${d.columnType(column.type, column.nullable)})`;
    return `${typed} AS ${q(column.name)}`;
  });
  if (exprs.size > 0) throw new Error(`facts: expressions without a catalogue column: ${[...exprs.keys()].join(', ')}`);
  return list;
}
