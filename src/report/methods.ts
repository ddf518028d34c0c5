import type { AnalysisName } from '../analysis/names.js';
import type { Result } from '../analysis/result.js';
import { words } from '../analysis/wording.js';
import type { Block } from './document.js';
import { TABLE_LIMITS } from './display-table.js';
import { RANKING_METHOD } from './rank-findings.js';

/** How this report itself was made: where its numbers come from, how the executive page ranks, what tables and charts show. */
export const REPORT_METHOD = [
  'Every number, sentence, table and chart in this report comes from the stored Results of the analyses (results/<version>/ in the workspace), computed for the import version, configuration and filter stated at the top; the report computes nothing itself.',
  RANKING_METHOD,
  `Tables show at most ${TABLE_LIMITS.rows} rows and ${TABLE_LIMITS.columns} columns, with a note where more exist; a dash is a cell suppressed because it describes fewer customers than the minimum cell count, or a value that does not exist.`,
  'Charts are drawn from the Results’ Vega-Lite specifications by Vega in Node, as SVG; nothing is fetched to draw them.',
];

function thresholdsLine(result: Result): string {
  const t = result.method.thresholds;
  const practical = Object.entries(t.practical).map(([unit, v]) => `${words.number(v, v < 1 ? 2 : 1)} ${unit.replaceAll('_', ' ')}`);
  return `False discovery rate ${words.percent(t.fdr, 0)}; smallest differences reported: ${practical.length === 0 ? 'none set' : practical.join(', ')}; cells under ${words.count(t.minimumCellCount)} suppressed; implementation revision ${result.method.revision}.`;
}

/** Methods: this report's own, then each analysis's description, assumptions and thresholds. */
export function methodsBlocks(results: readonly Result[], titles: ReadonlyMap<AnalysisName, string>): Block[] {
  const blocks: Block[] = [{ kind: 'heading', text: 'How this report was made', id: 'method-report' }, { kind: 'list', items: REPORT_METHOD, tone: 'plain' }];
  for (const r of results) {
    blocks.push({ kind: 'heading', text: titles.get(r.name) ?? r.name, id: `method-${r.name}` });
    if (r.status !== 'ok') {
      blocks.push({ kind: 'paragraph', text: 'Not run for this report (see What could not be analysed).', tone: 'note' });
      continue;
    }
    if (r.method.description.length > 0) blocks.push({ kind: 'paragraph', text: r.method.description, tone: 'plain' });
    if (r.method.assumptions.length > 0) blocks.push({ kind: 'list', items: r.method.assumptions, tone: 'plain' });
    blocks.push({ kind: 'paragraph', text: thresholdsLine(r), tone: 'note' });
  }
  return blocks;
}
