import type { ChartBlock, ReportDocument } from './document.js';
import { drawChart, type DrawnChart } from './chart-svg.js';

/** Every chart block of a document, in order. */
export function chartBlocks(document: ReportDocument): ChartBlock[] {
  return document.sections.flatMap((s) => s.blocks.filter((b): b is ChartBlock => b.kind === 'chart'));
}

/** Draws every chart of the document once (each format reuses them), reporting progress per chart. */
export async function drawCharts(document: ReportDocument, onChart: (done: number, total: number) => void = () => undefined): Promise<Map<string, DrawnChart>> {
  const blocks = chartBlocks(document);
  const drawn = new Map<string, DrawnChart>();
  for (const [i, block] of blocks.entries()) {
    drawn.set(block.id, await drawChart(block.spec, `${block.id}-`));
    onChart(i + 1, blocks.length);
  }
  return drawn;
}
