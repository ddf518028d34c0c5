import { existsSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { checkPoints, whatIf, type WhatIf } from '../analysis/perfect-customer/what-if.js';
import { scoreProspects, type ProspectScoresAnswer, type ScoreProspectsRequest } from '../analysis/prospects/score-prospects.js';
import { exportScores, type ExportScoresAnswer, type ExportScoresRequest } from '../analysis/scores/export-scores.js';
import type { ScoringInputs } from '../analysis/scores/scoring-context.js';
import { changesAnalysisFor, type ChangeDefinition } from '../analysis/changes/index.js';
import { parseSegment, type SegmentColumn } from '../analysis/segment/index.js';
import { readFactsCatalogue } from '../analysis/facts-catalogue.js';
import { ANALYSES } from '../analysis/registry.js';
import { runAnalyses, type AnalyzeOutput } from '../analysis/run-analyses.js';
import type { AnalysisFilter } from '../analysis/types.js';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { DuckDbEngine } from '../engine/duckdb/engine.js';
import type { Engine } from '../engine/types.js';
import { UserError } from '../errors.js';
import { buildCustomerFacts } from '../facts/index.js';
import { importWorkspace, type ImportProgress, type ImportResult } from '../ingest/import.js';
import type { ImportLedger } from '../model/ledger.js';
import { addChange, readChanges, removeChange, type ChangeInput } from './changes-store.js';
import { lockOwnerAlive, readLockOwner } from './lock.js';
import { versionName, versionStoreFile, workspacePaths, type WorkspacePaths } from './paths.js';
import { linkVersion } from './link-version.js';
import { openRemoteVersion, storeEngineConfig, type StoreEngineConfig } from './store-engine.js';
import { workspaceId } from './workspace-id.js';
import { listVersions, readCurrent, switchCurrent } from './versions.js';

/** What `cxray whatif --json`, `GET /api/whatif` and `Workspace.whatif` answer. */
export interface WhatIfAnswer {
  workspace: string;
  importVersion: number;
  /** The segment rule the customers in scope were chosen by; null for all customers. */
  segment: string | null;
  whatIf: WhatIf;
}

export interface WorkspaceStatus {
  workspace: string;
  configured: boolean;
  currentVersion: number | null;
  versions: number;
  asOf: string | null;
  tables: Record<string, number>;
  totals: ImportLedger['totals'] | null;
  importRunning: { pid: number; since: string } | null;
}

/** A store version opened for reading; close it when done. */
export interface OpenStore {
  version: number;
  engine: Engine;
  close(): Promise<void>;
}

/**
 * A cxray workspace: a folder with cxray.yaml, a versioned store, quarantine,
 * snapshots and reports. The CLI, the API and scripts all go through it.
 *
 * @example
 * import { openWorkspace } from 'cxray';
 * const ws = await openWorkspace('./acme');
 * const result = await ws.import();
 * console.log(result.ledger.totals);
 */
export class Workspace {
  readonly paths: WorkspacePaths;

  constructor(dir: string) {
    this.paths = workspacePaths(dir);
  }

  /** cxray.yaml as last read (a server asks for it several times per request; parsing and checking take milliseconds). */
  private configRead: LoadedConfig | undefined;

  async config(): Promise<LoadedConfig> {
    this.configRead = await loadConfig(this.paths.root, this.configRead);
    return this.configRead;
  }

  async import(options: { dryRun?: boolean; onProgress?: (p: ImportProgress) => void; memoryLimit?: string } = {}): Promise<ImportResult> {
    const { config, hash } = await this.config();
    for (const dir of [this.paths.store, this.paths.quarantine, this.paths.snapshots, this.paths.reports]) await mkdir(dir, { recursive: true });
    return importWorkspace(this.paths.root, {
      config,
      configHash: hash,
      ...(options.dryRun === undefined ? {} : { dryRun: options.dryRun }),
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
      ...(options.memoryLimit === undefined ? {} : { memoryLimit: options.memoryLimit }),
      store: storeEngineConfig(config, await workspaceId(this.paths)),
      buildFacts: async (engine, asOf) => {
        await buildCustomerFacts(engine, { asOf, config });
      },
    });
  }

  /** The store cxray.yaml asks for: the embedded file, or a ClickHouse server or cluster. */
  async storeEngine(): Promise<StoreEngineConfig> {
    return storeEngineConfig((await this.config()).config, await workspaceId(this.paths));
  }

  versions(): Promise<ImportLedger[]> {
    return listVersions(this.paths);
  }

  async currentVersion(): Promise<number | null> {
    return (await readCurrent(this.paths))?.version ?? null;
  }

  /** Make an older (or newer) complete version current. Readers holding another version keep it. */
  async rollback(version: number): Promise<ImportLedger> {
    const ledger = (await this.versions()).find((v) => v.version === version);
    if (ledger === undefined) {
      const known = (await this.versions()).map((v) => v.version);
      throw new UserError('version_missing', `Version ${version} does not exist in this workspace.`, {
        hint: known.length === 0 ? 'Run `cxray import` first.' : `Known versions: ${known.join(', ')}.`,
      });
    }
    await switchCurrent(this.paths, version);
    return ledger;
  }

  /**
   * Open a store version read-only (default: the current one), wherever its
   * ledger says it is. DuckDB lets one process hold a file; readers open a
   * version file that imports never write again, so an import can run beside
   * them. On ClickHouse each version has its own databases, equally never
   * written again.
   */
  async openStore(version?: number, options: { folders?: readonly string[] } = {}): Promise<OpenStore> {
    const v = version ?? (await this.currentVersion());
    if (v === null) {
      throw new UserError('no_import', 'Nothing has been imported into this workspace yet.', { hint: 'Run `cxray import` first.' });
    }
    const ledger = (await this.versions()).find((l) => l.version === v);
    if (ledger?.store?.engine === 'clickhouse') {
      const { config } = await this.config();
      const engine = await openRemoteVersion(storeEngineConfig(config, await workspaceId(this.paths)), ledger.store);
      return { version: v, engine, close: () => engine.close() };
    }
    const file = versionStoreFile(this.paths, v);
    if (!existsSync(file)) throw new UserError('version_missing', `Version ${v} has no store file.`, { hint: 'Run `cxray versions`, then `cxray rollback VERSION`.' });
    // Analyses read the store and, to compare snapshots, earlier versions beside it; `folders` are the caller's
    // (the outputs an export was asked for, a reference's files); nothing else.
    const engine = await DuckDbEngine.open(file, { readOnly: true, memoryLimit: '2GB', confineTo: { directories: [this.paths.store, ...(options.folders ?? [])] } });
    return { version: v, engine, close: () => engine.close() };
  }

  /**
   * Run analyses (all when `names` is empty; dependencies first) on the
   * current import version, for the customers and period `filter` selects.
   * Results are stored under results/<version>/ and reused while import,
   * config, filter and code are unchanged. A profile of the whole base is
   * also kept as a dated snapshot (snapshots/, one per import version and
   * config) and says what changed since the previous one (or `against`).
   *
   * @example
   * const { results } = await ws.analyze(['profile'], { segment: 'segment = retail', from: '2025-01-01' });
   */
  async analyze(names: readonly string[] = [], filter: AnalysisFilter = {}, options: { fresh?: boolean; against?: string; signal?: AbortSignal } = {}): Promise<AnalyzeOutput> {
    const { config, hash } = await this.config();
    // A rule that does not parse is refused before the store is opened (on a cluster that is a connection and a round trip).
    if (filter.segment !== undefined) parseSegment(filter.segment);
    const store = await this.openStore();
    try {
      const ledger = (await this.versions()).find((v) => v.version === store.version);
      if (ledger === undefined) {
        throw new UserError('version_missing', `Version ${store.version} has no ledger.`, { hint: 'Run `cxray import` again.' });
      }
      return await runAnalyses(
        {
          workspace: this.paths.root,
          engine: store.engine,
          ledger,
          config,
          configHash: hash,
          // The changes analysis measures this workspace's stored changes (`cxray changes add`).
          analyses: ANALYSES.map((a) => (a.name === 'changes' ? changesAnalysisFor(() => this.changes()) : a)),
          resultsDir: join(this.paths.results, versionName(store.version)),
          snapshotsDir: this.paths.snapshots,
          linkVersion: async (version) => {
            const other = (await this.versions()).find((v) => v.version === version);
            return other === undefined ? null : linkVersion(store.engine, this.paths, other, ledger);
          },
        },
        { names, filter, ...options },
      );
    } finally {
      await store.close();
    }
  }

  /** The changes recorded with `cxray changes add` (store/changes.json), oldest first. */
  changes(): Promise<ChangeDefinition[]> {
    return readChanges(this.paths.changes);
  }

  /**
   * Records a change for the `changes` analysis to measure: a unique name,
   * the date it took effect, the customers it touched (a segment rule, as
   * `--segment` takes; checked against the current import's columns when
   * there is one) and optionally a comparison rule and its windows.
   *
   * @example
   * await ws.addChange({ name: 'North network upgrade', date: '2025-10-01', segment: "region = 'North'" });
   * const { results } = await ws.analyze(['changes']);
   */
  async addChange(change: ChangeInput): Promise<ChangeDefinition> {
    // A folder without cxray.yaml is not a workspace: say so (config_missing) rather than record into it.
    await this.config();
    const columns = (await this.currentVersion()) === null ? null : await this.factsColumns();
    return addChange(this.paths.changes, this.paths.results, change, columns);
  }

  /** Removes the change called `name` (case aside); returns it. */
  removeChange(name: string): Promise<ChangeDefinition> {
    return removeChange(this.paths.changes, this.paths.results, name);
  }

  /** The current version's customer_facts columns, to check a rule against. */
  private async factsColumns(): Promise<SegmentColumn[]> {
    const { config } = await this.config();
    const store = await this.openStore();
    try {
      return (await readFactsCatalogue(store.engine, config)).columns.map((c) => ({ name: c.name, type: c.type }));
    } finally {
      await store.close();
    }
  }

  /**
   * N more points of adoption of a behaviour among customers like those who
   * lack it: yearly money and the expected change in satisfaction and
   * retention, each with interval, sentence and assumption, from the
   * perfect-customer result (computed, or reused from the result store).
   *
   * @example
   * const { whatIf } = await ws.whatif({ behaviour: 'autopay', points: 10, segment: 'segment = retail' });
   */
  async whatif(request: { behaviour: string; points: number; segment?: string }, options: { signal?: AbortSignal } = {}): Promise<WhatIfAnswer> {
    checkPoints(request.points);
    const output = await this.analyze(['perfect-customer'], request.segment === undefined ? {} : { segment: request.segment }, options);
    const result = output.results.find((r) => r.name === 'perfect-customer');
    if (result === undefined) throw new Error('analyze returned no perfect-customer result');
    return { workspace: output.workspace, importVersion: output.importVersion, segment: request.segment ?? null, whatIf: whatIf(result, request.behaviour, request.points) };
  }

  /**
   * Score a prospects file (attributes only) against the ideal customer: a
   * model of the fit score on the attributes the ideal profile's rules use,
   * learned on half the customers and checked on the other half. Writes
   * `out` (.csv or .parquet: id, score, rule_id, rule_text,
   * contrib_<attribute>...), FILE.quality.json beside it (lift and
   * calibration on held-out customers), and FILE.quarantine.csv when records
   * could not be scored.
   *
   * @example
   * const answer = await ws.scoreProspects({ file: 'leads.csv', out: 'leads-scored.csv' });
   * console.log(answer.quality.lift);
   */
  async scoreProspects(request: ScoreProspectsRequest): Promise<ProspectScoresAnswer> {
    return this.withScoringInputs((inputs) => scoreProspects(inputs, request), [request.out, request.file]);
  }

  /**
   * One row per customer for a CRM (fit score, Perfect Customer Index,
   * lifetime value, P(alive), churn risk, segments), computed in the store,
   * and beside it the action list of valuable customers at risk, ranked by
   * value at stake with the reason in words.
   *
   * @example
   * const answer = await ws.exportScores({ out: 'scores.parquet', segment: 'segment = retail' });
   * console.log(answer.actions.customers, answer.actions.file);
   */
  async exportScores(request: ExportScoresRequest): Promise<ExportScoresAnswer> {
    return this.withScoringInputs((inputs) => exportScores(inputs, request), [request.out, ...(request.actions === undefined ? [] : [request.actions])]);
  }

  /**
   * The current version's store, ledger, config and result folder, for the
   * scoring commands; the store is closed after. `files`: those the command
   * was given (its input, its outputs), whose folders the store engine's SQL may use.
   */
  private async withScoringInputs<T>(run: (inputs: ScoringInputs) => Promise<T>, files: readonly string[]): Promise<T> {
    const { config, hash } = await this.config();
    const store = await this.openStore(undefined, { folders: files.map((f) => dirname(resolve(f))) });
    try {
      const ledger = (await this.versions()).find((v) => v.version === store.version);
      if (ledger === undefined) throw new UserError('version_missing', `Version ${store.version} has no ledger.`, { hint: 'Run `cxray import` again.' });
      return await run({ workspace: this.paths.root, engine: store.engine, ledger, config, configHash: hash, resultsDir: join(this.paths.results, versionName(store.version)) });
    } finally {
      await store.close();
    }
  }

  async status(): Promise<WorkspaceStatus> {
    const configured = existsSync(this.paths.config);
    const versions = await this.versions();
    const current = await this.currentVersion();
    const ledger = versions.find((v) => v.version === current) ?? null;
    const owner = await readLockOwner(this.paths.importLock);
    return {
      workspace: this.paths.root,
      configured,
      currentVersion: current,
      versions: versions.length,
      asOf: ledger?.asOf ?? null,
      tables: ledger?.tables ?? {},
      totals: ledger?.totals ?? null,
      importRunning: owner !== null && lockOwnerAlive(owner) ? { pid: owner.pid, since: owner.since } : null,
    };
  }

  /** Whether the folder looks like a workspace (for messages). */
  async exists(): Promise<boolean> {
    try {
      await readdir(this.paths.root);
      return true;
    } catch {
      return false;
    }
  }
}

export async function openWorkspace(dir: string): Promise<Workspace> {
  return new Workspace(dir);
}
