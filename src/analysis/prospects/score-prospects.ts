import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DuckDbEngine } from '../../engine/duckdb/engine.js';
import type { Engine } from '../../engine/types.js';
import { UserError } from '../../errors.js';
import { fitScoreSql } from '../fit/fit-score.js';
import { fitAnalysis } from '../fit/index.js';
import { unmetNeeds } from '../needs.js';
import { scannableGroupings } from '../misaligned/cells.js';
import type { Grouping } from '../profile/groupings.js';
import { SqlValues } from '../sql-values.js';
import type { AnalysisContext } from '../types.js';
import { segmentGroupings } from '../value/segment-groupings.js';
import { besideOutput, checkOutputPath, copySelectToFile, outputFormat, type OutputFormat } from '../scores/file-output.js';
import { scoringContext, wholeBaseResult, type ScoringInputs } from '../scores/scoring-context.js';
import { modelQuality, type ModelQuality } from './model-quality.js';
import { profileBasis } from './profile-rules.js';
import { prospectsMethod, prospectsSummary } from './prospects-words.js';
import { fitProspectModel, modelSql, ruleMatchSql, type ProspectModel, type RuleEffect } from './prospect-model.js';
import type { ProspectColumns } from './prospect-columns.js';
import { PROSPECT_QUARANTINE, PROSPECTS_TABLE, stageProspects, type ProspectLedger } from './read-prospects.js';

export interface ScoreProspectsRequest {
  /** The prospects file: CSV, Parquet or JSON, one row per prospect. */
  file: string;
  /** Where the scores go: `.csv` or `.parquet`. */
  out: string;
  /** The column holding the prospects' ids (default: guessed, see prospect-columns.ts). */
  idColumn?: string;
}

/** What `cxray score-prospects --json`, FILE.quality.json and `Workspace.scoreProspects` give. */
export interface ProspectScoresAnswer {
  workspace: string;
  importVersion: number;
  file: string;
  out: string;
  format: OutputFormat;
  qualityFile: string;
  /** Every record not scored, with file, line, column and reason; null when none was. */
  quarantineFile: string | null;
  /** The output's columns, in order. */
  outputColumns: string[];
  prospects: ProspectLedger;
  columns: ProspectColumns;
  /** Levels never seen often enough among the training customers: they contributed 0. */
  unknownLevels: { attribute: string; level: string; prospects: number }[];
  /** Prospects matching each rule of the ideal profile (the first one they match, by rank). */
  rules: { id: number; text: string; prospects: number; meanScore: number | null }[];
  meanScore: { matching: number | null; others: number | null };
  /** The model as plain JSON: the base, each attribute's levels with their contributions, the rule terms. */
  model: Omit<ProspectModel, 'rules'> & {
    outcome: string;
    rules: { id: number; text: string; conditions: { attribute: string; level: string }[]; coefficient: number; interval: RuleEffect['interval']; share: number }[];
  };
  quality: ModelQuality;
  summary: string[];
  method: string;
}

/** The groupings the model uses: those the ideal profile's rules may use (all scannable ones when it does not say). */
function modelGroupings(scannable: readonly Grouping[], ruleAttributes: Set<string> | null): Grouping[] {
  return ruleAttributes === null ? [...scannable] : scannable.filter((g) => ruleAttributes.has(g.key));
}

/**
 * Scores prospects (attributes only) by a least-squares model of the fit
 * score on the attributes the ideal profile's rules use, learned on the
 * training half of the customers, checked on the held-out half, and applied
 * to the prospects in an in-memory DuckDB: writes `out` (id, score, rule_id,
 * rule_text, contrib_<attribute>...), FILE.quality.json beside it, and
 * FILE.quarantine.csv for records that could not be scored.
 */
export async function scoreProspects(inputs: ScoringInputs, request: ScoreProspectsRequest): Promise<ProspectScoresAnswer> {
  const out = resolve(request.out);
  const format = outputFormat(out);
  checkOutputPath(out);
  const file = resolve(request.file);
  if (file === out) throw new UserError('bad_argument', `--out ${request.out} is the prospects file itself.`, { hint: 'Write the scores to another file.' });
  const ctx = await scoringContext(inputs);
  const missing = unmetNeeds(fitAnalysis, ctx);
  if (missing !== null) throw new UserError('prospects_need_fit', `Prospects are scored on the customers' fit score, which this import cannot compute. ${missing}`, { hint: 'Import customers with their transactions, then score prospects again.' });
  const ideal = await wholeBaseResult(inputs, 'ideal-profile');
  const values = new SqlValues(ctx.engine, 'sp');
  const scannable = await scannableGroupings(ctx, segmentGroupings(ctx, values).groupings, values);
  const basis = profileBasis(ideal, scannable.groupings);
  const groupings = modelGroupings(scannable.groupings, basis.ruleAttributes);
  if (groupings.length === 0) {
    throw new UserError('no_acquisition_attributes', 'Prospects are scored on customer attributes known at acquisition, and this workspace has none with 2 to 25 values.', {
      hint: 'Mark customer attributes `at_acquisition: true` in cxray.yaml (or list them under segments), then run `cxray import`.',
    });
  }
  const fit = await fitScoreSql(ctx);
  const model = await fitProspectModel(ctx, fit, groupings, basis.rules, values);
  const storeExpr = (key: string): string | null => groupings.find((g) => g.key === key)?.expr ?? null;
  const quality = await modelQuality(ctx, fit, modelSql(ctx.engine.dialect, model, storeExpr, values).score, values);

  const leftOut = new Map<string, string>();
  for (const g of scannable.groupings) {
    const why = basis.leftOut.get(g.key);
    if (why !== undefined && !groupings.some((m) => m.attribute.source === g.attribute.source)) leftOut.set(g.attribute.source, why);
  }
  const memory = await DuckDbEngine.open(':memory:', { memoryLimit: '1GB' });
  try {
    const staged = await stageProspects(memory, inputs.config, { abs: file, display: request.file }, {
      asOf: ctx.asOf,
      model: groupings.map((g) => ({ key: g.key, attribute: g.attribute })),
      attributes: ctx.facts.attributes,
      leftOut,
      ...(request.idColumn === undefined ? {} : { idColumn: request.idColumn }),
    });
    const present = new Set(staged.columns.used.map((u) => u.modelAttribute));
    const memoryValues = new SqlValues(memory, 'pv');
    const memoryCtx: AnalysisContext = { ...ctx, engine: memory, queryCache: new Map() };
    const memoryGroupings = segmentGroupings(memoryCtx, memoryValues).groupings;
    const prospectExpr = (key: string): string | null => (present.has(key) ? (memoryGroupings.find((g) => g.key === key)?.expr ?? null) : null);
    const written = await writeProspectScores(memory, model, basis.rules, prospectExpr, memoryValues, out, format);
    const unknownLevels = await countUnknownLevels(memory, model, prospectExpr, memoryValues);
    const quarantineFile = besideOutput(out, '.quarantine.csv');
    if (staged.ledger.quarantined > 0) await writeQuarantineFile(memory, quarantineFile);
    else if (existsSync(quarantineFile)) await rm(quarantineFile);
    const answer: ProspectScoresAnswer = {
      workspace: inputs.workspace,
      importVersion: inputs.ledger.version,
      file: request.file,
      out,
      format,
      qualityFile: besideOutput(out, '.quality.json'),
      quarantineFile: staged.ledger.quarantined > 0 ? quarantineFile : null,
      outputColumns: written.columns,
      prospects: staged.ledger,
      columns: staged.columns,
      unknownLevels,
      rules: written.rules,
      meanScore: written.meanScore,
      model: {
        ...model,
        outcome: 'fit score (0-100, fit analysis)',
        rules: model.rules.map((r) => ({ id: r.rule.id, text: r.rule.text, conditions: r.rule.conditions.map((c) => ({ attribute: c.grouping.key, level: c.level })), coefficient: r.coefficient, interval: r.interval, share: r.share })),
      },
      quality,
      summary: [],
      method: prospectsMethod(model),
    };
    answer.summary = prospectsSummary(answer, basis.notOk);
    await writeFile(answer.qualityFile, `${JSON.stringify(answer, null, 2)}\n`);
    return answer;
  } finally {
    await memory.close();
  }
}

/** Writes the scores file and reads back what the answer reports of it. */
async function writeProspectScores(
  memory: Engine,
  model: ProspectModel,
  rules: Parameters<typeof ruleMatchSql>[0][],
  exprOf: (key: string) => string | null,
  values: SqlValues,
  out: string,
  format: OutputFormat,
): Promise<{ columns: string[]; rules: ProspectScoresAnswer['rules']; meanScore: ProspectScoresAnswer['meanScore'] }> {
  const d = memory.dialect;
  const q = d.quoteIdent;
  const sql = modelSql(d, model, exprOf, values);
  const matchable = rules.map((r) => ({ rule: r, match: ruleMatchSql(r, exprOf, values) })).filter((r): r is { rule: typeof r.rule; match: string } => r.match !== null);
  const ruleId = matchable.length === 0 ? 'CAST(NULL AS INTEGER)' : `CAST(CASE ${matchable.map((r) => `WHEN ${r.match} THEN ${r.rule.id}`).join(' ')} END AS INTEGER)`;
  const ruleText = matchable.length === 0 ? 'CAST(NULL AS VARCHAR)' : `CASE ${matchable.map((r) => `WHEN ${r.match} THEN ${values.bind(r.rule.text)}`).join(' ')} END`;
  const contributions = model.attributes.map((a) => ({ name: `contrib_${a.key}`, sql: sql.contributions.get(a.key) ?? '0' }));
  const columns = ['id', 'score', 'rule_id', 'rule_text', ...contributions.map((c) => c.name)];
  await memory.exec(
    `CREATE TABLE ${q('_scored')} AS SELECT _line, id, round(${sql.score}, 2) AS score, ${ruleId} AS rule_id, ${ruleText} AS rule_text` +
      `${contributions.map((c) => `, round(${c.sql}, 2) AS ${q(c.name)}`).join('')} FROM ${q(PROSPECTS_TABLE)}`,
    values.params,
  );
  await copySelectToFile(memory, `SELECT ${columns.map(q).join(', ')} FROM ${q('_scored')} ORDER BY _line`, {}, out, format);
  const byRule = await memory.query(`SELECT rule_id, count(*) AS n, avg(score) AS m FROM ${q('_scored')} GROUP BY rule_id`);
  const [split] = await memory.query(`SELECT avg(CASE WHEN rule_id IS NOT NULL THEN score END) AS a, avg(CASE WHEN rule_id IS NULL THEN score END) AS b FROM ${q('_scored')}`);
  return {
    columns,
    rules: rules.map((r) => {
      const row = byRule.find((x) => x['rule_id'] !== null && Number(x['rule_id']) === r.id);
      return { id: r.id, text: r.text, prospects: Number(row?.['n'] ?? 0), meanScore: row === undefined ? null : Number(row['m']) };
    }),
    meanScore: { matching: split?.['a'] === null || split === undefined ? null : Number(split['a']), others: split?.['b'] === null || split === undefined ? null : Number(split['b']) },
  };
}

async function countUnknownLevels(memory: Engine, model: ProspectModel, exprOf: (key: string) => string | null, values: SqlValues): Promise<ProspectScoresAnswer['unknownLevels']> {
  const q = memory.dialect.quoteIdent;
  const out: ProspectScoresAnswer['unknownLevels'] = [];
  for (const a of model.attributes) {
    const expr = exprOf(a.key);
    if (expr === null) continue;
    const known = a.levels.map((l) => values.bind(l.level)).join(', ');
    const rows = await memory.query(`SELECT ${expr} AS _level, count(*) AS n FROM ${q(PROSPECTS_TABLE)} WHERE ${expr} NOT IN (${known}) GROUP BY _level ORDER BY _level`, values.params);
    for (const r of rows) out.push({ attribute: a.key, level: String(r['_level']), prospects: Number(r['n']) });
  }
  return out;
}

/** Spreadsheet formulas are neutralised in what people open (as the import's quarantine files). */
const neutralise = (column: string): string => `CASE WHEN regexp_matches(${column}, '^[=+\\-@\\t\\r]') THEN '''' || ${column} ELSE ${column} END`;

async function writeQuarantineFile(memory: Engine, path: string): Promise<void> {
  const q = memory.dialect.quoteIdent;
  await copySelectToFile(
    memory,
    `SELECT ${neutralise('file')} AS file, line, ${neutralise('COALESCE("column", \'\')')} AS "column", reason, ${neutralise('detail')} AS detail, ${neutralise('raw')} AS raw FROM ${q(PROSPECT_QUARANTINE)} ORDER BY line`,
    {},
    path,
    'csv',
  );
}
