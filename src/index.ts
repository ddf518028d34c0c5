/**
 * cxray as a library: everything a face (CLI, API, dashboard) can do, a
 * script can do.
 *
 * @example
 * import { openWorkspace } from 'cxray';
 * const ws = await openWorkspace('./acme');
 * const { ledger } = await ws.import();
 * console.log(`${ledger.totals.quarantined} rows quarantined`);
 */
export { openWorkspace, Workspace, type WorkspaceStatus, type OpenStore, type WhatIfAnswer } from './workspace/workspace.js';
export type { ProspectScoresAnswer } from './analysis/prospects/score-prospects.js';
export type { ExportScoresAnswer } from './analysis/scores/export-scores.js';
export type { ImportResult, ImportProgress } from './ingest/import.js';
export type { ImportLedger, FileLedger, QuarantineReason, QuarantinedRow } from './model/ledger.js';
export { QUARANTINE_REASONS, COERCION_REASONS } from './model/ledger.js';
export { CANONICAL_TABLES, type CanonicalTableName } from './model/tables.js';
export { configSchema, type CxrayConfig } from './config/schema.js';
export { loadConfig, parseConfig } from './config/load.js';
export { CxrayError, UserError } from './errors.js';
export type { Engine, SqlDialect } from './engine/index.js';
export type { AnalyzeOutput, AnalyzeRequest } from './analysis/run-analyses.js';
export type { Analysis, AnalysisContext, AnalysisFilter } from './analysis/types.js';
export type { Result, Finding, ResultTable, Chart, Provenance, Method, ResultFilter, ResultStatus, Severity } from './analysis/result.js';
export { resultSchema, RESULT_SCHEMA_VERSION } from './analysis/result.js';
export { ANALYSIS_NAMES, type AnalysisName } from './analysis/names.js';
export { writeReport, writeReports, type ReportOptions, type ReportProgress, type WrittenReport, type ReportFormat } from './report/index.js';
export { startServer, type ServeOptions, type RunningServer } from './server/serve.js';
export { initWorkspace, type InitOptions, type InitResult } from './init/init-workspace.js';
export { eraseCustomers, eraseReportOf, EraseLeftoversError, EraseIncompleteError, type EraseOptions, type EraseProgress } from './workspace/erase.js';
