import { countValue, type Finding, type Result } from '../analysis/result.js';
import { words } from '../analysis/wording.js';
import type { Block, ChartBlock, FindingItem } from './document.js';
import { displayTable } from './display-table.js';
import { formatEstimate, formatMoneyAtStake } from './format-value.js';

/** The finding's fields in words: estimate with interval, n, money at stake. */
export function findingDetail(finding: Finding): string {
  const parts = [formatEstimate(finding.estimate, finding.interval, finding.unit), `n = ${words.count(countValue(finding.n))}`];
  if (finding.moneyAtStake !== undefined) parts.push(`${formatMoneyAtStake(finding.moneyAtStake)} at stake`);
  return parts.join('; ');
}

export function findingItem(finding: Finding, source: string | null = null): FindingItem {
  return { text: finding.text, severity: finding.severity, detail: findingDetail(finding), source };
}

/** A skipped or failed analysis in one line. */
export function notRunLine(result: Result): string {
  const why = (result.reason ?? 'no reason was given').replace(/\s+/g, ' ').trim();
  return `${result.status === 'failed' ? 'Failed' : 'Not analysed'}: ${why}`;
}

export interface BlockContext {
  /** Where the stored Result is, for the note under a truncated table. */
  source: string;
  /** Gives each chart its document-wide id. */
  nextChartId: () => string;
}

/**
 * One analysis as blocks: its summary, the findings the summary does not
 * already say (each with estimate, interval, n and money at stake), its
 * warnings, charts and tables. A result that did not run says why, in one line.
 */
export function analysisBlocks(result: Result, title: string, ctx: BlockContext): Block[] {
  const blocks: Block[] = [{ kind: 'heading', text: title, id: `analysis-${result.name}` }];
  if (result.status !== 'ok') {
    blocks.push({ kind: 'paragraph', text: notRunLine(result), tone: 'note' });
    return blocks;
  }
  if (result.summary.length > 0) blocks.push({ kind: 'list', items: result.summary, tone: 'plain' });
  const said = new Set(result.summary);
  const findings = result.findings.filter((f) => !said.has(f.text));
  if (findings.length > 0) blocks.push({ kind: 'findings', title: result.summary.length > 0 ? 'Further findings' : 'Findings', ordered: false, items: findings.map((f) => findingItem(f)) });
  if (result.warnings.length > 0) blocks.push({ kind: 'list', items: result.warnings, tone: 'warning' });
  for (const spec of result.charts) {
    const chart: ChartBlock = { kind: 'chart', id: ctx.nextChartId(), analysis: result.name, title: spec.title ?? `${title}: chart`, spec };
    blocks.push(chart);
  }
  for (const table of result.tables) blocks.push(displayTable(table, ctx.source));
  return blocks;
}
