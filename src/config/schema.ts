import { z } from 'zod';
import { CANONICAL_TABLE_NAMES } from '../model/tables.js';

/**
 * cxray.yaml, validated at the edge. Keys are snake_case as written by
 * `cxray init`; unknown keys are errors (with the nearest valid name).
 */

/** How a date or time is written in a column. */
export const DATE_FORMATS = [
  'auto', // ISO 8601 (with or without offset), or the workspace date_order for slashed dates
  'iso',
  'mdy',
  'dmy',
  'ymd',
  'yyyymmdd',
  'epoch_s',
  'epoch_ms',
  'epoch_us',
  'excel',
] as const;

const identifier = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,62}$/, 'a lower-case name of letters, digits and underscores, starting with a letter');

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/**
 * Where a canonical column or an attribute comes from: a source column name,
 * or an object that says how to read it.
 */
export const columnSpecSchema = z.union([
  z.string().min(1),
  z.strictObject({
    /** The source column (header text, matched case- and space-insensitively). */
    column: z.string().min(1).optional(),
    /** A constant instead of a column. `$as_of` means the workspace as_of date. */
    value: scalar.optional(),
    /** Date format for timestamp columns. A strptime pattern (`%d.%m.%Y`) is also accepted. */
    format: z.string().optional(),
    /** Value translation: source text (case-insensitive) -> canonical value. */
    map: z.record(z.string(), scalar).optional(),
    /** Value for source text not in `map`; without it, such a value quarantines the row. */
    default: scalar.optional(),
    /** Amounts: `major` (59.90, the default) or `minor` (5990 cents). */
    unit: z.enum(['major', 'minor']).optional(),
    /** Decimal separator for amounts and numbers. */
    decimal: z.enum(['.', ',']).optional(),
    /** For customer references: the identity key the column holds (default the customer id). */
    via: z.string().optional(),
    /** Derive a date: this many months (the column's value) before as_of. */
    months_before_as_of: z.boolean().optional(),
    /** Scale a score: [min, max] of the source scale, mapped to 0..1. */
    scale: z.tuple([z.number(), z.number()]).optional(),
    /** Amounts: multiply by this source column's number (UCI Online Retail: UnitPrice x Quantity). */
    multiply_by: z.string().min(1).optional(),
  }),
]);
export type ColumnSpec = z.infer<typeof columnSpecSchema>;

/**
 * `age` and `days_since` read a date (a birth date, a founding date, a
 * contract start) and store whole years / whole days from it to as_of: the
 * same integer on every store (ClickHouse 18.16 holds no date before 1970),
 * and far less identifying than the date itself.
 */
export const attributeTypeSchema = z.enum(['string', 'integer', 'number', 'boolean', 'date', 'money', 'age', 'days_since']);

/** The unit of an attribute type's stored numbers, where it has one besides money. */
export const ATTRIBUTE_UNITS: Partial<Record<z.infer<typeof attributeTypeSchema>, string>> = { age: 'years', days_since: 'days' };

export const attributeSpecSchema = z.union([
  z.string().min(1),
  z.strictObject({
    column: z.string().min(1).optional(),
    value: scalar.optional(),
    type: attributeTypeSchema.default('string'),
    format: z.string().optional(),
    map: z.record(z.string(), scalar).optional(),
    default: scalar.optional(),
    decimal: z.enum(['.', ',']).optional(),
    /** Known when the customer is acquired (usable for prospects and the ideal profile). */
    at_acquisition: z.boolean().optional(),
  }),
]);
export type AttributeSpec = z.infer<typeof attributeSpecSchema>;

/** A row filter: rows that fail it are counted as excluded (by this rule), not loaded. */
export const whereSchema = z.strictObject({
  column: z.string().min(1),
  in: z.array(scalar).optional(),
  not_in: z.array(scalar).optional(),
  gt: z.number().optional(),
  /** Below this number (negative quantities mark returns in UCI Online Retail). */
  lt: z.number().optional(),
  nonblank: z.boolean().optional(),
});
export type Where = z.infer<typeof whereSchema>;

/** A wide survey export reshaped to one row per answer. */
export const unpivotSchema = z.record(
  z.string().min(1),
  z.strictObject({
    instrument: z.enum(['nps', 'csat', 'ces', 'rating', 'comment']),
    question: z.string().optional(),
    area: z.string().optional(),
  }),
);

export const feedSchema = z.strictObject({
  table: z.enum(CANONICAL_TABLE_NAMES as [string, ...string[]]),
  /** Canonical column -> where it comes from. */
  columns: z.record(z.string(), columnSpecSchema),
  /** customers only: extra identity keys other sources can join by (e.g. `email: Email`). */
  keys: z.record(identifier, columnSpecSchema).optional(),
  /** customers only: declared attributes, each becoming a column of customers. */
  attributes: z.record(identifier, attributeSpecSchema).optional(),
  /** survey_responses only: answers in wide columns, one output row per non-blank answer. */
  unpivot: unpivotSchema.optional(),
  /** All must hold for a row to feed this table. */
  where: z.array(whereSchema).optional(),
  /** transactions: allow negative amounts (else quarantined as negative_amount). */
  allow_negative: z.boolean().optional(),
});
export type Feed = z.infer<typeof feedSchema>;

/** `delimiter: whitespace`: fields separated by runs of spaces or tabs, leading and trailing ones ignored, no quoting (fixed-width text such as CDNOW_sample.txt). */
export const WHITESPACE_DELIMITER = 'whitespace';

export const csvOptionsSchema = z.strictObject({
  /** A delimiter of 1 to 4 characters, or `whitespace` (runs of spaces or tabs; quotes are then ordinary characters). */
  delimiter: z.union([z.literal(WHITESPACE_DELIMITER), z.string().min(1).max(4)]).default(','),
  quote: z.string().max(1).default('"'),
  escape: z.string().max(1).optional(),
  encoding: z.enum(['utf-8', 'latin-1', 'windows-1252', 'utf-16']).default('utf-8'),
  /** Header rows: 1 usually, 3 for Qualtrics, 2 for SurveyMonkey. */
  header_rows: z.number().int().min(0).max(5).default(1),
  /** Which header row holds the column names (1-based); others are descriptions. */
  names_row: z.number().int().min(1).max(5).default(1),
  /** Forward-fill blank header names from the left and join with the next row (SurveyMonkey). */
  merge_header_rows: z.boolean().default(false),
  /** Drop report footers (Salesforce "Grand Totals", copyright lines). */
  drop_footers: z.boolean().default(false),
  /** Strings read as NULL besides the empty string. */
  null_values: z.array(z.string()).default([]),
  /**
   * Column names by position, for files without a header (`header_rows: 0`);
   * with header rows, they replace the header's names. Feeds then name these.
   */
  column_names: z.array(z.string().min(1)).min(1).optional(),
});
export type CsvOptions = z.infer<typeof csvOptionsSchema>;

export const sourceSchema = z.strictObject({
  /** Paths or globs, relative to the workspace folder or absolute. */
  files: z.array(z.string().min(1)).min(1),
  /** The export tool recognised by `init` (informational). */
  tool: z.string().optional(),
  format: z.enum(['csv', 'parquet', 'json']).default('csv'),
  csv: csvOptionsSchema.prefault({}),
  /** Source columns holding personal data: hashed with the workspace salt, or dropped. */
  pii: z.record(z.string(), z.enum(['hash', 'drop'])).optional(),
  /** Columns that together identify a row (duplicates with other values are quarantined). */
  row_key: z.array(z.string()).optional(),
  feeds: z.array(feedSchema).min(1),
});
export type Source = z.infer<typeof sourceSchema>;

export const behaviourSchema = z.strictObject({
  label: z.string().optional(),
  /** Adopted when a behaviour event of this name is seen. */
  event: z.string().optional(),
  /** Or: adopted when this customer attribute has one of these values. */
  attribute: z.string().optional(),
  values: z.array(scalar).optional(),
  /** Declared operational value, money per customer-month (optional). */
  value_per_month: z.number().optional(),
});

export const segmentSchema = z.strictObject({
  /** Segment customers by an attribute's values. */
  attribute: z.string().optional(),
  /** Or by bands of a numeric attribute (upper bounds). */
  bands: z.array(z.number()).optional(),
});

/**
 * The characteristics of an outstanding experience, the scorecard's default
 * framework: solves the customer's problem, earns and protects trust, fair
 * treatment, goes beyond what is expected, value balanced with price, the
 * whole person, authentic relationship, a consistent story.
 */
export const EXPERIENCE_CHARACTERISTICS = [
  'solves_problem',
  'earns_trust',
  'fair_treatment',
  'beyond_expected',
  'value_for_price',
  'whole_person',
  'authentic_relationship',
  'consistent_story',
] as const;

export const experienceAreaSchema = z.strictObject({
  label: z.string().optional(),
  /** survey_responses.area values measuring it. */
  survey_areas: z.array(z.string()).optional(),
  /** interactions.reason values touching it. */
  interaction_reasons: z.array(z.string()).optional(),
  behaviours: z.array(z.string()).optional(),
  /**
   * The characteristic of an outstanding experience the area stands for in
   * the scorecard (EXPERIENCE_CHARACTERISTICS), or `none`. Default: guessed
   * from the area's key, label and survey areas (a price area stands for
   * value balanced with price, billing for trust, support for solving the
   * problem, ...; src/analysis/scorecard/characteristics.ts).
   */
  characteristic: z.enum([...EXPERIENCE_CHARACTERISTICS, 'none']).optional(),
});

/**
 * One entry of `comment_themes`: a new theme of free-text comments (needs
 * `terms`), or changes to a built-in one (src/text/themes/builtin-concepts.ts):
 * its label, the experience area it feeds (an experience_areas key; null for
 * none), the labels of its complaints and its praise, more terms (or only
 * these with `replace: true`), or `enabled: false` to drop it.
 *
 * @example
 * comment_themes:
 *   parking: {label: Parking, area: stores, terms: [parking, car park]}
 *   digital: {area: mobile_app_and_website}
 */
export const commentThemeSchema = z.strictObject({
  label: z.string().min(1).optional(),
  area: z.string().nullable().optional(),
  negative_label: z.string().min(1).optional(),
  positive_label: z.string().min(1).optional(),
  terms: z.array(z.string().min(1)).optional(),
  weak_terms: z.array(z.string().min(1)).optional(),
  /** true: use only these terms instead of adding them to the built-in concept's */
  replace: z.boolean().optional(),
  enabled: z.boolean().optional(),
});

export const engineSchema = z.union([
  z.literal('duckdb'),
  z.literal('clickhouse'),
  z.strictObject({
    duckdb: z.strictObject({ memory_limit: z.string().default('4GB'), threads: z.number().int().positive().optional() }).optional(),
    clickhouse: z
      .strictObject({
        /** HTTP URL of the server queries go to (default: shard 1 of scripts/clickhouse-cluster.sh). */
        url: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:18123'),
        /** The cluster's name in remote_servers; null for a single server. */
        cluster: z.string().nullable().default('cxray'),
        /** HTTP URL of every shard, in remote_servers order (default: the local two-shard cluster). */
        shards: z.array(z.url({ protocol: /^https?$/ })).min(1).optional(),
        /**
         * Prefix of the databases: each import version gets `<database>_v000001`
         * (and `_local` on a cluster). One prefix per workspace: imports drop
         * unfinished versions under it. Default `cxray_<workspace id>`.
         */
        database: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,40}$/, 'letters, digits and _, starting with a letter, at most 41').optional(),
        user: z.string().default('default'),
        /** Name of the environment variable holding the password. */
        password_env: z.string().default('CXRAY_CLICKHOUSE_PASSWORD'),
        /** Per-query memory cap in bytes (max_memory_usage); the server's default otherwise. */
        max_memory_usage: z.number().int().positive().optional(),
      })
      .optional(),
  }),
]);

export const configSchema = z.strictObject({
  version: z.literal(1).default(1),
  /** The date the data describes; default the import date (recorded in the ledger). */
  as_of: z.iso.date().optional(),
  /** Time zone of timestamps written without an offset. */
  timezone: z.string().default('UTC'),
  /** Workspace currency (ISO 4217). */
  currency: z.string().regex(/^[A-Z]{3}$/).default('USD'),
  /** 1 unit of the named currency = this many units of the workspace currency. */
  exchange_rates: z.record(z.string().regex(/^[A-Z]{3}$/), z.number().positive()).default({}),
  /** How slashed dates without a 4-digit-first year are read when a column does not say. */
  date_order: z.enum(['mdy', 'dmy', 'ymd']).default('mdy'),
  fiscal_year_start_month: z.number().int().min(1).max(12).default(1),
  engine: engineSchema.default('duckdb'),
  /** Handling cost per interaction by channel (money), used when an interaction has no cost of its own. */
  handling_cost: z.record(z.string(), z.number().nonnegative()).default({}),
  /** Handling cost per agent-minute by channel (money), used with handling_minutes before handling_cost. `default` applies to every channel not named. */
  handling_cost_per_minute: z.record(z.string(), z.number().nonnegative()).default({}),
  pii: z.strictObject({ salt_env: z.string().default('CXRAY_PII_SALT') }).prefault({}),
  segments: z.record(identifier, segmentSchema).default({}),
  behaviours: z.record(identifier, behaviourSchema).default({}),
  /**
   * Covariates of every adjusted comparison (attribute names or customer_facts
   * columns); default: segment attributes, attributes known at acquisition,
   * and tenure.
   */
  adjust_for: z.array(z.string()).optional(),
  /** Retention is measured over this many months before as_of (customers active at the window's start, churned within it). */
  retention_window_months: z.number().int().min(1).max(120).default(12),
  /**
   * The lifetime-value analysis (all optional):
   * - `time_unit`: the unit of the models' rates and ages, `week` or `day`
   *   (default: weeks, or days when the median customer's first purchase is
   *   under 8 weeks before the end of calibration). Ages stay counted in whole
   *   days; the unit only scales them (a week is 7 days, not a bin).
   * - `horizon_months`: months of future purchases in a lifetime value (default 12).
   * - `monthly_discount_rate`: discount per month of future money (default 0.01).
   * - `calibration_end`: fit the models on purchases up to this date and check
   *   their forecasts against the purchases after it, up to as_of (a holdout);
   *   lifetime values are then as of this date. Default: no holdout, fitted as of as_of.
   * - `contract_period_months`: period of the subscription (sBG) survival table (default 12).
   */
  lifetime_value: z
    .strictObject({
      time_unit: z.enum(['week', 'day']).optional(),
      horizon_months: z.number().int().min(1).max(120).optional(),
      monthly_discount_rate: z.number().min(0).max(1).optional(),
      calibration_end: z.iso.date().optional(),
      contract_period_months: z.number().int().min(1).max(60).optional(),
    })
    .optional(),
  /**
   * The fit score and the ideal profile (all optional):
   * - `calibration_months`: the weights are fitted to the net value customers
   *   brought in this many months after a calibration date that many months
   *   before as_of (default 12).
   * - `weights`: the importance of each component (value, satisfaction,
   *   cost_to_serve, retention, referrals; non-negative, each applied in its
   *   expected direction, per standard deviation), used when the history is too
   *   short to fit them, or always with `weights_source: configured`. Default:
   *   1 for each component the data measure.
   * - `rule_attributes`: the attributes (segments keys or attribute names)
   *   the ideal profile's rules may use. Default: every segment and attribute
   *   known at acquisition, except one that by itself explains half or more of
   *   the variation in net value per customer-month (a price tier: a rule on it
   *   would restate that a bigger plan pays more).
   */
  fit: z
    .strictObject({
      calibration_months: z.number().int().min(1).max(60).optional(),
      weights: z
        .strictObject({
          value: z.number().nonnegative().optional(),
          satisfaction: z.number().nonnegative().optional(),
          cost_to_serve: z.number().nonnegative().optional(),
          retention: z.number().nonnegative().optional(),
          referrals: z.number().nonnegative().optional(),
        })
        .optional(),
      weights_source: z.enum(['fitted', 'configured']).optional(),
      rule_attributes: z.array(z.string()).min(1).optional(),
    })
    .optional(),
  /**
   * The quarter-end analysis (all optional; quarters follow fiscal_year_start_month):
   * - `window_days`: the push is the last this many days of each fiscal quarter
   *   (default 14: the final two weeks, when a sales team chases the
   *   quarter's number; a whole number of weeks, so the window holds each
   *   weekday equally often). At most 45, so half the quarter is left to compare.
   * - `refund_days`: a refund counts as early within this many days of the
   *   customer's first purchase (default 60: two monthly billing cycles,
   *   the first charge and the next).
   * - `horizon_months`: the money lost to faster churn is counted over each
   *   customer's first this many months (default 12).
   */
  quarter_end: z
    .strictObject({
      window_days: z.number().int().min(1).max(45).optional(),
      refund_days: z.number().int().min(1).max(365).optional(),
      horizon_months: z.number().int().min(1).max(60).optional(),
    })
    .optional(),
  /**
   * A/B tests the changes analysis reads out, by name: customers assigned to
   * arms by a customer attribute (all required but label, metrics and
   * treatment_share):
   * - `attribute`: the attribute (under the customers feed's `attributes`)
   *   holding each customer's arm;
   * - `control`, `treatment`: its values naming the two arms (customers with
   *   another value or none are left out);
   * - `metrics`: what to read it on, among nps, csat, churn, revenue and
   *   adoption (default: every one the data hold);
   * - `treatment_share`: the share of customers meant for the treatment arm,
   *   for the sample-ratio check (default 0.5).
   *
   * @example
   * experiments:
   *   retention_outreach: {label: Proactive retention outreach, attribute: experiment_group, control: control, treatment: treatment, metrics: [churn]}
   */
  experiments: z
    .record(
      identifier,
      z.strictObject({
        label: z.string().min(1).optional(),
        attribute: z.string().min(1),
        control: z.union([z.string().min(1), z.number()]).transform(String),
        treatment: z.union([z.string().min(1), z.number()]).transform(String),
        metrics: z.array(z.enum(['nps', 'csat', 'churn', 'revenue', 'adoption'])).min(1).optional(),
        treatment_share: z.number().gt(0).lt(1).optional(),
      }),
    )
    .optional(),
  /** Fee and penalty lines: transactions.category values, with labels. */
  fees: z.record(z.string(), z.strictObject({ label: z.string().optional() })).default({}),
  experience_areas: z.record(identifier, experienceAreaSchema).default({}),
  /** Themes of free-text comments: new ones and changes to the built-in lexicon (the comments analysis). */
  comment_themes: z.record(identifier, commentThemeSchema).default({}),
  /**
   * Practical significance: the smallest difference a finding must show, in
   * its unit, to be reported as a difference (besides passing the false
   * discovery rate). Absent keys take the defaults in src/analysis/thresholds.ts.
   */
  thresholds: z
    .strictObject({
      /** Score points (NPS points, rating points); default 2. */
      points: z.number().nonnegative().optional(),
      /** Percentage points of a share; default 1. */
      percentage_points: z.number().nonnegative().optional(),
      /** An amount of the workspace currency; default 1. */
      money: z.number().nonnegative().optional(),
      /** Standardised mean difference (Cohen's d scale); default 0.1. */
      standardised_difference: z.number().nonnegative().optional(),
      /**
       * Concentration ratio (a revenue line's share from dissatisfied
       * customers over their share of customers): bad-revenue alerts only when
       * the ratio's 95% lower bound is above it; default 1.2.
       */
      concentration_ratio: z.number().min(1).optional(),
      /**
       * Scorecard: points (on its 0-100 scores) an area's or touchpoint's
       * 95% interval must clear beyond the overall to be rated weak or
       * strong; default 5 (a fifth of a point on a 1-5 scale).
       */
      scorecard_margin: z.number().nonnegative().max(100).optional(),
    })
    .optional(),
  sources: z.record(identifier, sourceSchema),
});

export type CxrayConfig = z.infer<typeof configSchema>;
export type CxrayConfigInput = z.input<typeof configSchema>;
