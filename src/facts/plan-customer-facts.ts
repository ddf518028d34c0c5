import type { Engine, SqlParams } from '../engine/types.js';
import type { CanonicalTableName } from '../model/tables.js';
import { parseAsOf } from './as-of.js';
import { joinParts } from './assemble.js';
import { behavioursPart } from './behaviours-part.js';
import { assertChannelRates } from './channel-cost.js';
import { catalogueOf } from './columns.js';
import { customersPart } from './customers-part.js';
import type { FactsSqlContext } from './facts-part.js';
import { finalSelectList } from './final-select.js';
import { interactionsPart } from './interactions-part.js';
import { planFactsLayout } from './layout.js';
import { referralsMadePart, referredByPart } from './referral-parts.js';
import { SourceTables } from './source-tables.js';
import { statusPart } from './status-part.js';
import { latestScoresPart, surveySummaryPart } from './survey-parts.js';
import { transactionsPart } from './transactions-part.js';
import type { FactsColumn, FactsOptions } from './types.js';
import { ValueBinder } from './value-binder.js';

export interface CustomerFactsPlan {
  /** One SELECT yielding the rows of customer_facts. */
  select: string;
  /** Values bound by `select` (empty when the engine takes literals). */
  params: SqlParams;
  columns: FactsColumn[];
  tablesUsed: CanonicalTableName[];
  tablesMissing: CanonicalTableName[];
}

/**
 * The SQL of `customer_facts` for the tables in the store, without running
 * it. Portable by construction: no window functions, no WITH, at most one
 * JOIN per SELECT, dialect methods for everything engine-specific.
 */
export async function planCustomerFacts(engine: Engine, options: FactsOptions): Promise<CustomerFactsPlan> {
  const { start, end } = parseAsOf(options.asOf);
  assertChannelRates(options.config);
  const tables = await SourceTables.discover(engine);
  const layout = planFactsLayout(options.config, tables.attributes());
  const values = new ValueBinder(engine);
  const ctx: FactsSqlContext = {
    d: engine.dialect,
    values,
    tables,
    config: options.config,
    layout,
    asOfStart: values.bind(start),
    asOfEnd: values.bind(end),
  };
  const base = customersPart(ctx);
  const parts = [
    transactionsPart(ctx),
    interactionsPart(ctx),
    surveySummaryPart(ctx),
    latestScoresPart(ctx),
    behavioursPart(ctx),
    referralsMadePart(ctx),
    referredByPart(ctx),
    statusPart(ctx),
  ];
  const columns = catalogueOf(layout, options.config.currency);
  const list = finalSelectList(ctx, [base, ...parts], columns);
  const select = `SELECT ${list.join(', ')} FROM (${joinParts(engine.dialect, base, parts)}) AS ${engine.dialect.quoteIdent('_facts')}`;
  return { select, params: values.params, columns, tablesUsed: tables.used, tablesMissing: tables.missing };
}
