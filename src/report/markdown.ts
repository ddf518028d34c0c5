import type { Block, ChartBlock, FindingItem, ReportDocument } from './document.js';
import type { DrawnChart } from './chart-svg.js';
import { escapeMarkdown as m } from './escape.js';

function findingLine(item: FindingItem, marker: string): string {
  const tag = item.severity === 'info' ? '' : `**${item.severity}** `;
  const source = item.source === null ? '' : `${m(item.source)}: `;
  return `${marker} ${tag}${m(item.text)}  \n   *${source}${m(item.detail)}*`;
}

/** Where a chart's SVG file is, relative to the Markdown file. */
export type ChartLink = (chart: ChartBlock) => string;

function blockMarkdown(block: Block, charts: ReadonlyMap<string, DrawnChart>, link: ChartLink): string {
  switch (block.kind) {
    case 'heading':
      return `### ${m(block.text)}`;
    case 'paragraph':
      return block.tone === 'plain' ? m(block.text) : `> ${m(block.text)}`;
    case 'list':
      return block.items.map((i) => `- ${block.tone === 'warning' ? '⚠ ' : ''}${m(i)}`).join('\n');
    case 'findings':
      return `${block.title === null ? '' : `**${m(block.title)}**\n\n`}${block.items.map((item, i) => findingLine(item, block.ordered ? `${i + 1}.` : '-')).join('\n')}`;
    case 'facts':
      return block.rows.map(([k, v]) => `- **${m(k)}:** ${m(v)}`).join('\n');
    case 'table': {
      const align = block.numeric.map((n) => (n ? '---:' : '---'));
      const rows = block.rows.length === 0 ? [`| ${['No rows.', ...block.headers.slice(1).map(() => '')].join(' | ')} |`] : block.rows.map((r) => `| ${r.map(m).join(' | ')} |`);
      return [`**${m(block.caption)}**`, '', `| ${block.headers.map(m).join(' | ')} |`, `| ${align.join(' | ')} |`, ...rows, ...(block.note === null ? [] : ['', `*${m(block.note)}*`])].join('\n');
    }
    case 'chart': {
      const drawn = charts.get(block.id);
      if (drawn?.kind === 'empty') return `> Chart “${m(block.title)}”: no rows to draw.`;
      if (drawn === undefined || drawn.svg === null) return `> Chart “${m(block.title)}” is not drawn: ${m(drawn?.problem ?? 'it was not rendered.')}`;
      return `![${m(block.title)}](${link(block)})`;
    }
  }
}

/**
 * The report as Markdown: the same document, charts as links to the SVG
 * files written beside it (`link` names them). Every piece of text is
 * escaped, so user data cannot become markup, links or HTML.
 */
export function renderMarkdown(document: ReportDocument, charts: ReadonlyMap<string, DrawnChart>, link: ChartLink): string {
  const parts = [`# ${m(document.title)}`, '', blockMarkdown({ kind: 'facts', rows: document.provenance }, charts, link), '', '## Contents', '', ...document.sections.map((s, i) => `${i + 1}. [${m(s.title)}](#${s.id})`), ''];
  for (const s of document.sections) {
    parts.push(`<a id="${s.id}"></a>`, '', `## ${m(s.title)}`, '');
    if (s.lead !== null) parts.push(`*${m(s.lead)}*`, '');
    for (const b of s.blocks) parts.push(blockMarkdown(b, charts, link), '');
  }
  return `${parts.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
