import { join } from 'node:path';
import { fitAnalysis } from '../analysis/fit/index.js';
import { fitScoreSql, type FitScore } from '../analysis/fit/fit-score.js';
import { unmetNeeds } from '../analysis/needs.js';
import { profileGroupings } from '../analysis/profile/groupings.js';
import { customerScoresSql } from '../analysis/scores/customer-scores-sql.js';
import { scoringContext, wholeBaseResult, type ScoringInputs } from '../analysis/scores/scoring-context.js';
import { SqlValues } from '../analysis/sql-values.js';
import type { AnalysisContext } from '../analysis/types.js';
import { DuckDbEngine } from '../engine/duckdb/engine.js';
import type { SqlParams } from '../engine/types.js';
import { UserError } from '../errors.js';
import type { Result } from '../analysis/result.js';
import { versionName } from '../workspace/paths.js';
import type { ApiContext } from './api-context.js';
import type { HeldVersion } from './version-stores.js';

/** A per-customer score column of the relation, under its alias. */
export interface ScoreColumn {
  /** The API's name: fitScore, perfectCustomerIndex, ... */
  name: string;
  alias: string;
  digits: number | null;
  description: string;
}

/** A segment of cxray.yaml as a column of the relation (each customer's level, `(missing)` when unknown). */
export interface SegmentColumn {
  key: string;
  label: string;
  alias: string;
}

/**
 * Every customer's scores as `export scores` computes them (the whole
 * base's models, so a customer's score does not change with the filter),
 * as a relation to join to customer_facts on `_x_id = customer_id`.
 */
export interface CustomerScores {
  /** A temporary table in the held store (DuckDB), or a subquery elsewhere. */
  relation: string;
  /**
   * Elsewhere (a cluster): the relation for the customers `condition` (over
   * customer_facts columns) selects, computed in one SELECT: a join of
   * customer_facts to a subquery over it is refused across shards.
   */
  selecting?: (condition: string) => string;
  /** Parameters the relation needs (none for a table). */
  params: SqlParams;
  scores: ScoreColumn[];
  segments: SegmentColumn[];
  /** Scores left empty for every customer, and why. */
  notes: string[];
  /** The whole-base context the scores were computed in. */
  ctx: AnalysisContext;
}

const API_NAMES: Record<string, string> = {
  fit_score: 'fitScore',
  perfect_customer_index: 'perfectCustomerIndex',
  lifetime_value: 'lifetimeValue',
  p_alive: 'pAlive',
  churn_risk: 'churnRisk',
  churned: 'churned',
};

/** What the scoring code reads about the held version: its engine and ledger, the current cxray.yaml, its result folder. */
async function scoringInputs(api: ApiContext, held: HeldVersion): Promise<ScoringInputs> {
  const { config, hash } = await api.workspace.config();
  return { workspace: api.workspace.paths.root, engine: held.engine, ledger: held.ledger, config, configHash: hash, resultsDir: join(api.workspace.paths.results, versionName(held.version)) };
}

/** The held version's whole-base scoring context for the current cxray.yaml. */
export async function baseContext(api: ApiContext, held: HeldVersion): Promise<AnalysisContext> {
  const inputs = await scoringInputs(api, held);
  return held.memo(`ctx:${inputs.configHash}`, () => scoringContext(inputs));
}

/**
 * The scores of the held version, worked out on first use and kept while
 * the version is current: on DuckDB a temporary table in the read-only
 * store (temporary tables live in memory, beside the file), so a page of
 * customers sorted by fit score reads stored numbers rather than refitting
 * the lifetime-value and churn models.
 */
export async function customerScores(api: ApiContext, held: HeldVersion): Promise<CustomerScores> {
  const { hash } = await api.workspace.config();
  return held.memo(`scores:${hash}`, async () => {
    const ctx = await baseContext(api, held);
    const inputs = await scoringInputs(api, held);
    return api.lane.run(async () => {
      const d = held.engine.dialect;
      const q = d.quoteIdent;
      // The index weights of this very version (stored Results reused), whatever the current pointer says by now.
      const perfectCustomer = await wholeBaseResult(inputs, 'perfect-customer');
      const parts = await scoreParts(api, ctx, perfectCustomer);
      const stored = new Set(ctx.facts.columns.map((c) => c.name));
      const netValue = stored.has('net_value') ? d.toDouble(q('net_value')) : `CAST(NULL AS ${d.columnType('double', true)})`;
      const items = [...parts.items, `${netValue} AS ${q('_x_nv')}`];
      const selectWhere = (where: string): string => `SELECT ${items.join(', ')} FROM ${ctx.scope.table}${parts.join === null ? '' : ` ${parts.join}`} WHERE ${where}`;
      const select = selectWhere(ctx.scope.where);
      const params = { ...ctx.scope.params, ...parts.params };
      const base = { scores: parts.scores, segments: parts.segments, notes: parts.notes, ctx };
      if (held.engine instanceof DuckDbEngine) {
        const table = `_api_scores_${hash.replace(/[^0-9a-f]/gi, '').slice(0, 16)}`;
        await held.engine.exec(`CREATE OR REPLACE TEMP TABLE ${q(table)} AS ${select}`, params);
        return { ...base, relation: q(table), params: {} };
      }
      return { ...base, relation: `(${select})`, params, selecting: (condition) => `(${selectWhere(`(${ctx.scope.where}) AND (${condition})`)})` };
    });
  });
}

/** The SELECT items of the scores relation (aliases `_x_*`), its join and parameters, and what they mean. */
interface ScoreParts {
  items: string[];
  join: string | null;
  params: SqlParams;
  scores: ScoreColumn[];
  segments: SegmentColumn[];
  notes: string[];
}

/** The aliases export scores gives its columns (customer-scores-sql.ts), kept when the scores cannot be computed. */
const FALLBACK_ALIASES: Record<string, string> = { fitScore: '_x_fit', perfectCustomerIndex: '_x_pci', lifetimeValue: '_x_lv', pAlive: '_x_pa', churnRisk: '_x_cr', churned: '_x_ch' };

/**
 * The scores as export scores computes them. When a model fails on this
 * data (a bug, logged), customers are still listed with their id, net value
 * and segments, the scores empty and a note saying why: one failed model
 * must not take the customer pages down with it.
 */
async function scoreParts(api: ApiContext, ctx: AnalysisContext, perfectCustomer: Result): Promise<ScoreParts> {
  const engine = ctx.engine;
  const q = engine.dialect.quoteIdent;
  const groupings = profileGroupings(ctx, new SqlValues(engine, 'zg')).groupings;
  try {
    const sql = await customerScoresSql(ctx, perfectCustomer);
    const segmentColumns = sql.columns.filter((c) => c.alias.startsWith('_x_s'));
    return {
      items: sql.columns.map((c) => `${c.sql} AS ${q(c.alias)}`),
      join: sql.join,
      params: Object.assign({}, ...sql.values.map((v) => v.params)) as SqlParams,
      scores: sql.columns.filter((c) => API_NAMES[c.name] !== undefined).map((c) => ({ name: API_NAMES[c.name] as string, alias: c.alias, digits: c.digits, description: c.description })),
      segments: segmentColumns.map((c, i) => ({ key: groupings[i]?.key ?? c.name, label: groupings[i]?.label ?? c.name, alias: c.alias })),
      notes: sql.notes,
    };
  } catch (error) {
    if (error instanceof UserError) throw error;
    api.log(`cxray serve: the customer scores failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    const values = new SqlValues(engine, 'zf');
    const nothing = `CAST(NULL AS ${engine.dialect.columnType('double', true)})`;
    const scores = Object.entries(FALLBACK_ALIASES).map(([name, alias]) => ({ name, alias, digits: null, description: `${name}: not computed (see notes)` }));
    const segments = profileGroupings(ctx, values).groupings.map((g, i) => ({ key: g.key, label: g.label, alias: `_x_s${i}`, expr: g.expr }));
    return {
      items: [`${engine.dialect.toString(q('customer_id'))} AS ${q('_x_id')}`, ...scores.map((c) => `${nothing} AS ${q(c.alias)}`), ...segments.map((s) => `${s.expr} AS ${q(s.alias)}`)],
      join: null,
      params: values.params,
      scores,
      segments: segments.map(({ key, label, alias }) => ({ key, label, alias })),
      notes: [`The scores could not be computed on this import (${error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)}): this is a bug in cxray; the server log has the details.`],
    };
  }
}

/** The fit score's model for taking one customer's score apart; null when the fit score cannot be computed (and why). */
export async function fitModel(api: ApiContext, held: HeldVersion): Promise<{ fit: FitScore | null; missing: string | null }> {
  const { hash } = await api.workspace.config();
  return held.memo(`fit:${hash}`, async () => {
    const ctx = await baseContext(api, held);
    const missing = unmetNeeds(fitAnalysis, ctx);
    if (missing !== null) return { fit: null, missing };
    return { fit: await api.lane.run(() => fitScoreSql(ctx)), missing: null };
  });
}
