import { basename } from 'node:path';
import type { AnalysisName } from '../analysis/names.js';
import { ANALYSES } from '../analysis/registry.js';
import { resultFile } from '../analysis/result-store.js';
import type { Result, ResultFilter } from '../analysis/result.js';
import type { Snapshot } from '../analysis/snapshots/snapshot.js';
import type { ImportLedger } from '../model/ledger.js';
import { analysisBlocks } from './analysis-blocks.js';
import { CAPABILITIES, REPORT_ANALYSES } from './capabilities.js';
import { dataQualityBlocks } from './data-quality.js';
import type { ReportDocument, ReportSection } from './document.js';
import { executiveBlocks } from './executive.js';
import { methodsBlocks } from './methods.js';
import type { RankedFinding } from './rank-findings.js';

/** Everything a report is made from: stored Results, the import ledger and the profile's snapshot. */
export interface ReportInputs {
  workspace: string;
  results: readonly Result[];
  ledger: ImportLedger;
  snapshot: Snapshot | null;
  configHash: string;
  filter: ResultFilter;
  writtenAt: Date;
  cxrayVersion: string;
  /** The folder of this version's stored Results, relative to the workspace (`results/v000001`). */
  resultsFolder: string;
}

export const ANALYSIS_TITLES: ReadonlyMap<AnalysisName, string> = new Map(ANALYSES.map((a) => [a.name, a.title]));

function scopeWords(filter: ResultFilter): { customers: string; period: string } {
  return {
    customers: filter.segment === undefined ? 'all customers' : `the segment ${filter.segment}`,
    period: filter.from === undefined && filter.to === undefined ? 'the whole history' : `${filter.from ?? 'the start'} to ${filter.to ?? 'the end'}`,
  };
}

/**
 * The report as a document: the executive page, one section per capability,
 * data quality and methods, with where it came from (import version and
 * date, config hash, snapshot, when it was written).
 */
export function buildReportDocument(inputs: ReportInputs): { document: ReportDocument; ranked: RankedFinding[] } {
  const { results, ledger, snapshot, filter } = inputs;
  const titles = ANALYSIS_TITLES;
  const filtered = filter.segment !== undefined || filter.from !== undefined || filter.to !== undefined;
  const scope = scopeWords(filter);
  let charts = 0;
  const nextChartId = (): string => `chart-${String(++charts).padStart(2, '0')}`;
  const executive = executiveBlocks({ results, titles, snapshot, filtered });
  const sections: ReportSection[] = [
    {
      id: 'executive',
      title: 'Executive summary',
      lead: `${ledger.asOf === '' ? '' : `As of ${ledger.asOf}: `}${scope.customers}, ${scope.period}, from import version ${ledger.version}.`,
      blocks: executive.blocks,
    },
  ];
  for (const capability of CAPABILITIES) {
    const blocks = capability.analyses.flatMap((name) => {
      const result = results.find((r) => r.name === name);
      return result === undefined ? [] : analysisBlocks(result, titles.get(name) ?? name, { source: resultFile(inputs.resultsFolder, name, filter), nextChartId });
    });
    if (blocks.length > 0) sections.push({ id: capability.id, title: capability.title, lead: capability.question, blocks });
  }
  // An analysis no capability lists yet still gets its place rather than vanishing.
  const others = results.filter((r) => !REPORT_ANALYSES.includes(r.name));
  if (others.length > 0) {
    const blocks = others.flatMap((r) => analysisBlocks(r, titles.get(r.name) ?? r.name, { source: resultFile(inputs.resultsFolder, r.name, filter), nextChartId }));
    sections.push({ id: 'other-analyses', title: 'Other analyses', lead: null, blocks });
  }
  sections.push({ id: 'data-quality', title: 'Data quality', lead: 'What was read, what was kept out and why, and what could not be analysed.', blocks: dataQualityBlocks(ledger, results, titles) });
  sections.push({ id: 'methods', title: 'Methods', lead: 'What each analysis computed and what it assumes.', blocks: methodsBlocks(results, titles) });
  const document: ReportDocument = {
    title: `Customer report: ${basename(inputs.workspace)}`,
    provenance: [
      ['Customers', scope.customers],
      ['Period', scope.period],
      ['Import version', `${ledger.version}, imported ${ledger.createdAt}`],
      ['Data as of', ledger.asOf],
      ['Configuration (sha256)', inputs.configHash],
      ['Profile snapshot', snapshot === null ? 'none' : `${snapshot.id} (written ${snapshot.createdAt})`],
      ['Report written', inputs.writtenAt.toISOString()],
      ['cxray', inputs.cxrayVersion],
    ],
    sections,
  };
  return { document, ranked: executive.ranked };
}
