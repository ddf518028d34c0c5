import type { CxrayConfig } from '../config/schema.js';
import type { Engine, Row, SqlParams } from '../engine/types.js';
import type { CanonicalTableName } from '../model/tables.js';
import type { FactsCatalogue } from './facts-catalogue.js';
import type { AnalysisName } from './names.js';
import type { Period } from './period.js';
import type { Provenance, Result } from './result.js';
import type { SegmentCondition } from './segment/index.js';
import type { PracticalThresholds } from './thresholds.js';

/** What the user asked to look at: a segment rule and a period (`--segment`, `--from`, `--to`). */
export interface AnalysisFilter {
  segment?: string;
  from?: string;
  to?: string;
}

/**
 * The customers an analysis looks at: customer_facts restricted by the
 * segment rule. Every analysis starts from here, so any analysis answers for
 * any segment. Queries read `table` directly and put `where` in their WHERE
 * (`scopeSelect` builds them): never through a subquery, which on a cluster
 * would ship every customer's row to the entry server (see scope-query.ts).
 */
export interface CustomerScope {
  /** customer_facts, quoted, for FROM: no alias (columns are named unqualified). */
  table: string;
  /** The segment condition over customer_facts columns, unqualified; `1 = 1` without a segment. */
  where: string;
  /** Parameters of `where` (prefix `s_`); pass them with every query that uses the scope. */
  params: SqlParams;
  /** Customers in scope. */
  customers: number;
  /** Customers in the store, whatever the segment. */
  allCustomers: number;
  segment: SegmentCondition | null;
}

export interface AnalysisContext {
  /** Read-only engine on the import version analysed. */
  engine: Engine;
  config: CxrayConfig;
  /** The date the data describes (YYYY-MM-DD). */
  asOf: string;
  importVersion: number;
  /** Rows per canonical table in this import; 0 or absent means not imported. */
  tableRows: Readonly<Partial<Record<CanonicalTableName, number>>>;
  facts: FactsCatalogue;
  scope: CustomerScope;
  /** `--from` / `--to`: restricts event-based measures; null when not given. */
  period: Period | null;
  thresholds: PracticalThresholds;
  provenance: Provenance;
  /** Results of the analyses named in `dependsOn`, already run. */
  dependencies: ReadonlyMap<AnalysisName, Result>;
  signal?: AbortSignal;
  /**
   * Answers of statements already run in this analyze run (scopeQuery): the
   * import version is read-only, so the same statement with the same values
   * gives the same rows. Set by runAnalyses; absent, nothing is kept.
   */
  queryCache?: Map<string, Promise<Row[]>>;
}

/**
 * An analysis: a name, the tables it needs, and `run(ctx) -> Result`.
 *
 * @example
 * const profile: Analysis = {
 *   name: 'profile', title: 'Know the customer', description: '...',
 *   needs: ['customers'], needsColumns: [], dependsOn: [], implemented: true, revision: 1,
 *   run: async (ctx) => buildProfile(ctx),
 * };
 */
export interface Analysis {
  name: AnalysisName;
  title: string;
  /** One line for `cxray analyze --list`. */
  description: string;
  /** Canonical tables that must hold rows; else the analysis is skipped, saying what to export. */
  needs: readonly CanonicalTableName[];
  /** customer_facts columns that must exist. */
  needsColumns: readonly string[];
  /** Analyses whose results this one reads; they run first. */
  dependsOn: readonly AnalysisName[];
  /** False for analyses registered but not built yet: they return `skipped`, never a made-up result. */
  implemented: boolean;
  /** Bumped when the implementation changes what it computes; stored results of another revision are recomputed. */
  revision: number;
  /**
   * Inputs this analysis reads besides the import and cxray.yaml (a stored
   * file), by name with a hash of what it held: they join the provenance's
   * inputHashes, so a stored result is recomputed when one changes.
   */
  inputs?(): Promise<Record<string, string>>;
  run(ctx: AnalysisContext): Promise<Result>;
}
