import type { SqlDialect } from '../../engine/dialect.js';
import type { BgNbdParams, GammaGammaParams } from '../../stats/index.js';
import type { AnalysisContext } from '../types.js';
import { H, type HistorySql } from './histories.js';
import type { ScoreGrid } from './score-grid.js';

/** Column names of the scored per-customer subquery. */
export const S = { pAlive: '_pa', expectedPurchases: '_ep', discountedPurchases: '_dp', expectedSpend: '_em', lifetimeValue: '_lv' } as const;

export interface ScoreSql {
  /**
   * Parenthesised subquery, one row per customer with a usable history:
   * `customer_id`, the history columns of HistorySql (`_hx`, `_htx`, `_hT`,
   * `_hd`, `_rs`), and `_pa` P(alive), `_ep` expected purchases over the
   * horizon, `_dp` their discounted sum, `_em` expected spend per purchase
   * and `_lv` the discounted lifetime value (`_em`, `_lv` NULL without a spend model).
   */
  subquery: string;
  /** `LEFT JOIN <subquery> AS _s USING (customer_id)`, for scopeSelect. */
  join: string;
  /** The customer has a score (customers without a usable history get NULLs from the join). */
  scored: string;
}

/** Integers for array literals: non-negative (offset) and scaled to keep about 12 significant digits. */
function encode(values: readonly number[]): { text: string; decode: (element: string, d: SqlDialect) => string } {
  const min = Math.min(0, ...values);
  const offset = min < 0 ? Math.ceil(-min) : 0;
  const max = Math.max(1, ...values.map((v) => v + offset));
  const digits = Math.min(12, Math.floor(Math.log10(9e15 / max)));
  const scale = 10 ** digits;
  const text = `[${values.map((v) => Math.round((v + offset) * scale).toFixed(0)).join(', ')}]`;
  return { text, decode: (element, d) => `(${d.toDouble(element)} / ${d.literal(scale)} - ${d.literal(offset)})` };
}

/**
 * Per-customer P(alive), expected purchases, discounted purchases and
 * lifetime value as SQL, from the fitted parameters and the grid of the
 * alive parts (score-grid.ts). Nothing leaves the engine but what the
 * caller aggregates. The grid covers the (x, T) pairs it was built for:
 * customers outside them get NULL.
 */
export function lifetimeScoreSql(
  ctx: Pick<AnalysisContext, 'engine'>,
  histories: HistorySql,
  model: { bgNbd: BgNbdParams; gammaGamma: GammaGammaParams | null; grid: ScoreGrid },
): ScoreSql {
  const d = ctx.engine.dialect;
  const q = d.quoteIdent;
  const num = (v: number): string => d.literal(v);
  const { grid } = model;
  const { r, a, b } = model.bgNbd;
  const historyColumns = [q('customer_id'), q(H.x), q(H.tx), q(H.T), q(H.holdout), q(H.repeatSpend)];
  const x = d.toDouble(q(H.x));
  const alpha = num(grid.alphaDays);

  const position = `(${d.naturalLog(`${alpha} + ${d.toDouble(q(H.T))}`)} - ${num(grid.u0)}) / ${num(grid.du)}`;
  const level1 = `SELECT ${historyColumns.join(', ')}, ${position} AS ${q('_gs')} FROM ${histories.subquery} AS ${q('_h')} WHERE ${histories.eligible}`;
  const cell = `least(greatest(floor(${q('_gs')}), 0), ${grid.cells - 1})`;
  const key = `CAST(COALESCE(${q(H.x)} * ${grid.cells + 1} + ${cell}, -1) AS ${d.columnType('int64', false)})`;
  const level2 = `SELECT ${historyColumns.join(', ')}, ${key} AS ${q('_k')}, ${q('_gs')} - ${cell} AS ${q('_fr')} FROM (${level1}) AS ${q('_g1')}`;

  const arrays: { name: string; values: number[] }[] = [
    { name: '_a0', values: grid.ifAlive.map((row) => row[0]) },
    { name: '_a1', values: grid.ifAlive.map((row) => row[1]) },
    { name: '_am0', values: grid.ifAlive.map((row) => row[2]) },
    { name: '_am1', values: grid.ifAlive.map((row) => row[3]) },
    { name: '_d0', values: grid.discountedIfAlive.map((row) => row[0]) },
    { name: '_d1', values: grid.discountedIfAlive.map((row) => row[1]) },
    { name: '_dm0', values: grid.discountedIfAlive.map((row) => row[2]) },
    { name: '_dm1', values: grid.discountedIfAlive.map((row) => row[3]) },
  ];
  const at = `${q('_n')} + 1`;
  const lookupItems = [
    // Keys are small non-negative integers, written as digits.
    `CAST([${grid.keys.map((k) => k.toFixed(0)).join(', ')}][${at}] AS ${d.columnType('int64', false)}) AS ${q('_k')}`,
    ...arrays.map(({ name, values }) => {
      const { text, decode } = encode(values);
      return `${decode(`${text}[${at}]`, d)} AS ${q(name)}`;
    }),
  ];
  const lookup = `(SELECT ${lookupItems.join(', ')} FROM ${d.integerSeries(grid.keys.length, '_n')} AS ${q('_gn')})`;
  const level3 = `SELECT ${historyColumns.join(', ')}, ${q('_fr')}, ${arrays.map((x) => q(x.name)).join(', ')} FROM (${level2}) AS ${q('_g2')} LEFT JOIN ${lookup} AS ${q('_gl')} USING (${q('_k')})`;

  const f = q('_fr');
  const h00 = `(2 * ${f} * ${f} * ${f} - 3 * ${f} * ${f} + 1)`;
  const h10 = `(${f} * ${f} * ${f} - 2 * ${f} * ${f} + ${f})`;
  const h01 = `(3 * ${f} * ${f} - 2 * ${f} * ${f} * ${f})`;
  const h11 = `(${f} * ${f} * ${f} - ${f} * ${f})`;
  const du = num(grid.du);
  const hermite = (v0: string, v1: string, m0: string, m1: string): string => `(${h00} * ${q(v0)} + ${h10} * ${du} * ${q(m0)} + ${h01} * ${q(v1)} + ${h11} * ${du} * ${q(m1)})`;
  const tx = d.toDouble(q(H.tx));
  const T = d.toDouble(q(H.T));
  // Fader, Hardie & Lee's P(alive): 1 / (1 + a/(b+x−1) · ((α+T)/(α+tₓ))^(r+x)) for x > 0; 1 for x = 0.
  const pAlive = `CASE WHEN ${q(H.x)} = 0 THEN 1.0 ELSE 1.0 / (1.0 + ${num(a)} / (${num(b)} + ${x} - 1) * exp((${num(r)} + ${x}) * ${d.naturalLog(`(${alpha} + ${T}) / (${alpha} + ${tx})`)})) END`;
  const gg = model.gammaGamma;
  const spend =
    gg === null || gg.q <= 1
      ? `CAST(NULL AS ${d.columnType('double')})`
      : `CASE WHEN ${q(H.x)} >= 1 AND ${q(H.repeatSpend)} > 0 THEN ${num(gg.p)} * (${num(gg.gamma)} + ${d.toDouble(q(H.repeatSpend))}) / (${num(gg.p)} * ${x} + ${num(gg.q - 1)}) ELSE ${num((gg.p * gg.gamma) / (gg.q - 1))} END`;
  const level4 =
    `SELECT ${historyColumns.join(', ')}, ${pAlive} AS ${q(S.pAlive)}, ${hermite('_a0', '_a1', '_am0', '_am1')} AS ${q('_ia')}, ` +
    `${hermite('_d0', '_d1', '_dm0', '_dm1')} AS ${q('_id')}, ${spend} AS ${q(S.expectedSpend)} FROM (${level3}) AS ${q('_g3')}`;
  const pa = q(S.pAlive);
  const level5 =
    `SELECT ${historyColumns.join(', ')}, ${pa}, ${pa} * ${q('_ia')} AS ${q(S.expectedPurchases)}, ${pa} * ${q('_id')} AS ${q(S.discountedPurchases)}, ` +
    `${q(S.expectedSpend)}, ${q(S.expectedSpend)} * ${pa} * ${q('_id')} AS ${q(S.lifetimeValue)} FROM (${level4}) AS ${q('_g4')}`;
  const subquery = `(${level5})`;
  return { subquery, join: `LEFT JOIN ${subquery} AS ${q('_s')} USING (${q('customer_id')})`, scored: `${q(S.pAlive)} IS NOT NULL` };
}
