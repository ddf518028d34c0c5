import { z } from 'zod';
import { ANALYSIS_NAMES } from './names.js';

/**
 * The Result contract: what every analysis returns and every face renders.
 * Plain JSON, validated by these schemas; docs/result.schema.json is
 * generated from them (scripts/write-result-schema.ts).
 *
 * Counts are JSON numbers up to 2^53 − 1 and decimal strings beyond, so a
 * 64-bit count never loses digits in a JavaScript reader.
 *
 * @example
 * const result = resultSchema.parse(JSON.parse(text));
 * for (const f of result.findings) console.log(f.text, f.estimate, f.interval);
 */
export const RESULT_SCHEMA_VERSION = 1 as const;

/** A count: a safe integer, or a decimal string when beyond 2^53 − 1. */
export const countSchema = z
  .union([z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER), z.string().regex(/^\d+$/)])
  .describe('A count: a JSON number up to 2^53 - 1, a decimal string beyond.');

export const intervalSchema = z.strictObject({
  lower: z.number(),
  upper: z.number(),
  /** Confidence level, e.g. 0.95. */
  level: z.number().gt(0).lt(1),
});

export const moneyAtStakeSchema = z.strictObject({
  amount: z.number(),
  /** ISO 4217, the workspace currency. */
  currency: z.string().regex(/^[A-Z]{3}$/),
  /** What the amount is per: the whole period analysed, or per month, quarter or year. */
  period: z.enum(['total', 'month', 'quarter', 'year']),
});

export const SEVERITIES = ['info', 'low', 'medium', 'high'] as const;

export const findingSchema = z.strictObject({
  /** Stable code, `<analysis>.<what>`, e.g. `profile.top10_share`. */
  code: z.string().regex(/^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)+$/),
  /** A plain sentence a manager can repeat, with its number and n. */
  text: z.string().min(1),
  estimate: z.number(),
  /** `points`, `percentage_points`, a currency code, `standardised_difference`, `share`, `days`, ... */
  unit: z.string().min(1).describe('points, percentage_points, a currency code, standardised_difference, share, days, count, ...'),
  interval: intervalSchema,
  n: countSchema,
  pValue: z.number().min(0).max(1).optional(),
  /** Benjamini–Hochberg adjusted p-value within the family the finding was screened with. */
  qValue: z.number().min(0).max(1).optional(),
  moneyAtStake: moneyAtStakeSchema.optional(),
  severity: z.enum(SEVERITIES),
}).describe('One claim with its estimate, interval and n; a claimed difference has passed FDR and the practical threshold of its unit.');

export const CELL_TYPES = ['string', 'integer', 'number', 'boolean', 'date'] as const;

export const cellSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const tableColumnSchema = z.strictObject({
  name: z.string().min(1),
  type: z.enum(CELL_TYPES),
  /** Unit of the values (a currency, `share`, `days`, `count`), or null. */
  unit: z.string().nullable(),
});

export const tableSchema = z
  .strictObject({
    name: z.string().min(1),
    columns: z.array(tableColumnSchema).min(1),
    /** One array per row, aligned with `columns`. Suppressed cells (n < 5) are null. */
    rows: z.array(z.array(cellSchema)).describe('One array per row, aligned with columns; cells of groups under 5 observations are null.'),
  })
  .superRefine((table, ctx) => {
    table.rows.forEach((row, i) => {
      if (row.length !== table.columns.length) {
        ctx.addIssue({ code: 'custom', message: `row ${i} has ${row.length} cells for ${table.columns.length} columns`, path: ['rows', i] });
      }
    });
  });

/** A Vega-Lite spec with its data inline, renderable without cxray. */
export const chartSchema = z.looseObject({
  $schema: z.string().startsWith('https://vega.github.io/schema/vega-lite/'),
  title: z.string().optional(),
  data: z.strictObject({ values: z.array(z.record(z.string(), cellSchema)) }),
}).describe('A Vega-Lite spec with its data inline.');

export const filterSchema = z.strictObject({
  /** A segment rule over customer_facts columns, normalised (see `cxray analyze --help`). */
  segment: z.string().min(1).optional().describe('Segment rule over customer_facts columns, normalised.'),
  /** First day of the period, inclusive (YYYY-MM-DD). */
  from: z.iso.date().optional().describe('First day of the period, inclusive.'),
  /** Last day of the period, inclusive (YYYY-MM-DD). */
  to: z.iso.date().optional().describe('Last day of the period, inclusive.'),
});

export const provenanceSchema = z.strictObject({
  cxrayVersion: z.string().min(1),
  /** sha256 of the normalised cxray.yaml the analysis ran with. */
  configHash: z.string(),
  /** sha256 of every imported file, by path as declared. */
  inputHashes: z.record(z.string(), z.string()),
  /** Seed of any resampling (bootstrap weights); results are reproducible from it. */
  seed: z.number().int().nonnegative(),
  filter: filterSchema,
});

export const methodSchema = z.strictObject({
  /** What was computed, in a few sentences. */
  description: z.string(),
  assumptions: z.array(z.string()),
  thresholds: z.strictObject({
    /** False discovery rate for findings that claim a difference. */
    fdr: z.number().gt(0).lt(1),
    /** Smallest difference worth reporting, per unit. */
    practical: z.record(z.string(), z.number().nonnegative()),
    /** Cells with fewer observations are suppressed. */
    minimumCellCount: z.number().int().positive(),
  }),
  /** The analysis implementation's revision; a stored result of another revision is recomputed. */
  revision: z.number().int().nonnegative(),
});

export const STATUSES = ['ok', 'skipped', 'failed'] as const;

export const resultSchema = z
  .strictObject({
    schemaVersion: z.literal(RESULT_SCHEMA_VERSION),
    name: z.enum(ANALYSIS_NAMES),
    status: z.enum(STATUSES),
    /** Why the analysis was skipped or failed, and what to do. */
    reason: z.string().min(1).optional().describe('Why the analysis was skipped or failed, and what to do.'),
    /** The import version (as in `cxray versions`) the result describes. */
    importVersion: z.number().int().positive().describe('The import version (as in `cxray versions`).'),
    /** When the result was computed: ISO 8601, UTC, `Z`. */
    createdAt: z.iso.datetime().describe('When the result was computed, ISO 8601 UTC with Z.'),
    provenance: provenanceSchema,
    summary: z.array(z.string()),
    findings: z.array(findingSchema),
    tables: z.array(tableSchema),
    charts: z.array(chartSchema),
    method: methodSchema,
    warnings: z.array(z.string()),
  })
  .superRefine((result, ctx) => {
    if (result.status !== 'ok' && result.reason === undefined) {
      ctx.addIssue({ code: 'custom', message: `a ${result.status} result must say why (reason)`, path: ['reason'] });
    }
  });

export type Count = z.infer<typeof countSchema>;
export type Interval = z.infer<typeof intervalSchema>;
export type MoneyAtStake = z.infer<typeof moneyAtStakeSchema>;
export type Severity = (typeof SEVERITIES)[number];
export type Finding = z.infer<typeof findingSchema>;
export type CellType = (typeof CELL_TYPES)[number];
export type Cell = z.infer<typeof cellSchema>;
export type TableColumn = z.infer<typeof tableColumnSchema>;
export type ResultTable = z.infer<typeof tableSchema>;
export type Chart = z.infer<typeof chartSchema>;
export type ResultFilter = z.infer<typeof filterSchema>;
export type Provenance = z.infer<typeof provenanceSchema>;
export type Method = z.infer<typeof methodSchema>;
export type ResultStatus = (typeof STATUSES)[number];
export type Result = z.infer<typeof resultSchema>;

/** A count as the contract carries it: a number up to 2^53 − 1, else its decimal string. */
export function toCount(value: number | bigint): Count {
  if (typeof value === 'bigint') {
    if (value < 0n) throw new RangeError(`A count cannot be negative: ${value}`);
    return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`A count must be a non-negative safe integer: ${value}`);
  return value;
}

/** A count read back as a number (approximate beyond 2^53, for display only). */
export function countValue(count: Count): number {
  return typeof count === 'number' ? count : Number(count);
}
