import { extname, resolve } from 'node:path';
import { DuckDbEngine } from '../../engine/duckdb/engine.js';
import type { RowValue, SqlParams } from '../../engine/types.js';
import { UserError } from '../../errors.js';
import { scopeSelect } from '../scope-query.js';
import { numberOf, type SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { words } from '../wording.js';
import { ACTION_COLUMNS, actionCriteria, actionRow, HIGH_QUANTILE, type ActionCriteria, type ActionRow } from './action-list.js';
import { customerScoresSql, exportProjection, type CustomerScoresSql } from './customer-scores-sql.js';
import { besideOutput, checkOutputPath, copySelectToFile, outputFormat, streamToFile, type OutputFormat } from './file-output.js';
import { scoringContext, wholeBaseResult, type ScoringInputs } from './scoring-context.js';

export interface ExportScoresRequest {
  /** The per-customer file: `.csv` or `.parquet`. */
  out: string;
  /** The action list (default: beside `out`, `FILE.actions.csv|.parquet`). */
  actions?: string;
  /** Only customers matching a segment rule (as `cxray analyze --segment`); the scores stay those of the whole base. */
  segment?: string;
}

/** Action rows shown in the answer at most (all are in the file). */
export const LISTED_ACTIONS = 10;

/** What `cxray export scores --json` and `Workspace.exportScores` give. */
export interface ExportScoresAnswer {
  workspace: string;
  importVersion: number;
  segment: string | null;
  out: string;
  format: OutputFormat;
  /** Rows written: the customers in scope. */
  customers: number;
  columns: { name: string; description: string }[];
  /** How churn risk is computed: the method, in words, and the churn model's odds ratios. */
  churnRisk: string;
  churnModel: Omit<CustomerScoresSql['churnRisk'], 'sql' | 'notes'>;
  actions: { file: string; format: OutputFormat; criteria: ActionCriteria; customers: number; valueAtStake: number; first: ActionRow[] };
  notes: string[];
  summary: string[];
}

/** `quantileExact` of a per-customer value over the whole base, where it is known. */
async function topQuarterFrom(ctx: AnalysisContext, sql: CustomerScoresSql, value: string, where: readonly string[] = []): Promise<number | null> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const select = scopeSelect(ctx, { items: [`${d.quantileExact(value, HIGH_QUANTILE)} AS ${q('_xq_t')}`, `count(*) AS ${q('_xq_n')}`], ...(sql.join === null ? {} : { join: sql.join }), where: [`${value} IS NOT NULL`, ...where] });
  const [row] = await ctx.engine.query(select, paramsOf(ctx, sql.values));
  return (numberOf(row?.['_xq_n']) ?? 0) > 0 ? numberOf(row?.['_xq_t']) : null;
}

function paramsOf(ctx: AnalysisContext, values: readonly SqlValues[], more: SqlParams = {}): SqlParams {
  return Object.assign({}, ctx.scope.params, ...values.map((v) => v.params), more) as SqlParams;
}

/** The per-customer file: COPY from the store when it is this process's DuckDB, else streamed into an in-memory DuckDB that writes it. */
async function writeCustomers(ctx: AnalysisContext, sql: CustomerScoresSql, out: string, format: OutputFormat, metadata: Record<string, string>): Promise<number> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const select = scopeSelect(ctx, { items: sql.columns.map((c) => `${c.sql} AS ${q(c.alias)}`), ...(sql.join === null ? {} : { join: sql.join }) });
  const params = paramsOf(ctx, sql.values);
  if (ctx.engine instanceof DuckDbEngine) {
    await copySelectToFile(ctx.engine, exportProjection(d, sql.columns, `(${select}) AS ${q('_export')}`), params, out, format, metadata);
    return ctx.scope.customers;
  }
  const specs = sql.columns.map((c) => ({ name: c.alias, type: c.type }));
  return streamToFile(ctx.engine, select, params, specs, (table, memory) => exportProjection(memory.dialect, sql.columns, memory.dialect.quoteIdent(table)), out, format, metadata);
}

/** The valuable customers at risk, streamed from the store, worded, and written ranked by value at stake. */
async function writeActions(ctx: AnalysisContext, sql: CustomerScoresSql, criteria: ActionCriteria, file: string, format: OutputFormat): Promise<{ customers: number; valueAtStake: number; first: ActionRow[] }> {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const p = sql.parts;
  const values = sql.values[0] as SqlValues;
  const valuable = [
    criteria.fitThreshold === null ? null : `WHEN ${p.fit} >= ${values.bind(criteria.fitThreshold)} THEN 1`,
    criteria.lifetimeValueThreshold === null ? null : `WHEN ${p.lifetimeValue} >= ${values.bind(criteria.lifetimeValueThreshold)} THEN 1`,
  ].filter((x) => x !== null);
  const risky = criteria.churnRisk === null ? '1 = 0' : `(CASE WHEN ${p.churnRisk} >= ${values.bind(criteria.churnRisk)} THEN 1 ELSE 0 END) = 1`;
  const where = [`${p.churned} = 0`, risky, `(CASE ${valuable.length === 0 ? 'WHEN 1 = 0 THEN 1' : valuable.join(' ')} ELSE 0 END) = 1`];
  const valueAtStake = `(${p.churnRisk} * ${p.valueIfActive})`;
  const select = scopeSelect(ctx, {
    items: [
      `${d.toString(q('customer_id'))} AS ${q('_a_id')}`,
      `${p.fit} AS ${q('_a_fit')}`,
      `${p.lifetimeValue} AS ${q('_a_lv')}`,
      `${p.pAlive} AS ${q('_a_pa')}`,
      `${p.churnRisk} AS ${q('_a_cr')}`,
      `${valueAtStake} AS ${q('_a_vs')}`,
      `${p.valueIfActive} AS ${q('_a_va')}`,
      `${p.daysSinceLastPurchase} AS ${q('_a_ds')}`,
    ],
    ...(sql.join === null ? {} : { join: sql.join }),
    where,
  });
  const rows: ActionRow[] = [];
  for await (const batch of ctx.engine.stream(select, paramsOf(ctx, sql.values), { batchSize: 10_000 })) for (const r of batch) rows.push(actionRow(r, criteria, ctx.config.currency));
  rows.sort((a, b) => b.valueAtStake - a.valueAtStake || (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0));
  const memory = await DuckDbEngine.open(':memory:', { memoryLimit: '512MB' });
  try {
    await memory.exec(memory.dialect.createTable('_actions', [{ name: 'rank', type: 'int64' }, ...ACTION_COLUMNS]));
    const cells = rows.map((r, i): RowValue[] => [BigInt(i + 1), r.customerId, r.fitScore, r.lifetimeValue, r.pAlive, r.churnRisk, r.valueAtStake, r.valueIfActive, r.daysSinceLastPurchase === null ? null : BigInt(Math.round(r.daysSinceLastPurchase)), r.reason]);
    for (let i = 0; i < cells.length; i += 10_000) await memory.insertRows('_actions', ['rank', ...ACTION_COLUMNS.map((c) => c.name)], cells.slice(i, i + 10_000));
    await copySelectToFile(
      memory,
      'SELECT rank, customer_id, round(fit_score, 2) AS fit_score, round(lifetime_value, 2) AS lifetime_value, round(p_alive, 4) AS p_alive, round(churn_risk, 4) AS churn_risk, ' +
        'round(value_at_stake, 2) AS value_at_stake, round(value_if_retained, 2) AS value_if_retained, days_since_last_purchase, reason FROM _actions ORDER BY rank',
      {},
      file,
      format,
      { 'cxray.criteria': criteria.text },
    );
  } finally {
    await memory.close();
  }
  return { customers: rows.length, valueAtStake: rows.reduce((s, r) => s + r.valueAtStake, 0), first: rows.slice(0, LISTED_ACTIONS) };
}

/**
 * One row per customer in scope for a CRM (customer_id, fit_score,
 * perfect_customer_index, lifetime_value, p_alive, churn_risk, churned, the
 * segments of cxray.yaml), computed in the engine, and an action list of the
 * valuable customers at risk beside it. The models are the whole base's, as
 * `cxray analyze` reports them, so a customer's scores do not change with
 * the segment exported.
 */
export async function exportScores(inputs: ScoringInputs, request: ExportScoresRequest): Promise<ExportScoresAnswer> {
  const out = resolve(request.out);
  const format = outputFormat(out);
  checkOutputPath(out);
  const actionsFile = resolve(request.actions ?? besideOutput(out, `.actions${extname(out).toLowerCase()}`));
  const actionsFormat = outputFormat(actionsFile, '--actions');
  checkOutputPath(actionsFile, '--actions');
  if (actionsFile === out) throw new UserError('bad_argument', '--actions names the same file as --out.', { hint: 'Give the action list a file of its own.' });
  const base = await scoringContext(inputs);
  const scoped = request.segment === undefined ? base : await scoringContext(inputs, request.segment);
  const perfectCustomer = await wholeBaseResult(inputs, 'perfect-customer');
  const sql = await customerScoresSql(base, perfectCustomer);
  const criteria = actionCriteria(
    await topQuarterFrom(base, sql, sql.parts.fit),
    await topQuarterFrom(base, sql, sql.parts.lifetimeValue),
    await topQuarterFrom(base, sql, sql.parts.churnRisk, [`${sql.parts.churned} = 0`]),
    inputs.config.currency,
  );
  const churnRisk = `${sql.churnRisk.method}: ${sql.churnRisk.definition}`;
  const metadata: Record<string, string> = {
    'cxray.import_version': String(inputs.ledger.version),
    'cxray.as_of': inputs.ledger.asOf,
    'cxray.segment': scoped.scope.segment?.rule ?? 'all customers',
    'cxray.churn_risk': churnRisk,
    ...Object.fromEntries(sql.columns.map((c) => [`cxray.column.${c.name}`, c.description])),
  };
  const customers = await writeCustomers(scoped, sql, out, format, metadata);
  const actions = await writeActions(scoped, sql, criteria, actionsFile, actionsFormat);
  const scope = scoped.scope.segment === null ? 'customers' : `customers in the segment ${scoped.scope.segment.rule}`;
  return {
    workspace: inputs.workspace,
    importVersion: inputs.ledger.version,
    segment: scoped.scope.segment?.rule ?? null,
    out,
    format,
    customers,
    columns: sql.columns.map((c) => ({ name: c.name, description: c.description })),
    churnRisk,
    churnModel: { method: sql.churnRisk.method, definition: sql.churnRisk.definition, oddsRatios: sql.churnRisk.oddsRatios, fittedOn: sql.churnRisk.fittedOn },
    actions: { file: actionsFile, format: actionsFormat, criteria, ...actions },
    notes: sql.notes,
    summary: [
      `${words.count(customers)} ${scope} written to ${out}: ${words.list(sql.columns.map((c) => c.name))}.`,
      `Churn risk: ${churnRisk}`,
      actions.customers === 0
        ? `No valuable customer is at risk by the stated criteria; the action list ${actionsFile} has only its header.`
        : `${words.count(actions.customers)} valuable customers at risk, ${words.money(actions.valueAtStake, inputs.config.currency)} at stake, ranked in ${actionsFile}.`,
      `Action list: ${criteria.text}`,
      ...sql.notes,
    ],
  };
}
