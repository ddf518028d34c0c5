import type { Block, FindingItem, ReportDocument } from './document.js';
import { inlineSvg, type DrawnChart } from './chart-svg.js';
import { escapeHtml as e } from './escape.js';
import { REPORT_CSS } from './html-style.js';

/**
 * Nothing may be fetched: the page's own policy forbids every request
 * (scripts, images, fonts, frames, connections); only the inline stylesheet
 * is allowed.
 */
const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; font-src 'none'; script-src 'none'; connect-src 'none'; frame-src 'none'; form-action 'none'; base-uri 'none'";

function findingHtml(item: FindingItem): string {
  const tag = item.severity === 'info' ? '' : `<span class="severity ${item.severity}">${e(item.severity)}</span>`;
  const source = item.source === null ? '' : `${e(item.source)}: `;
  return `<li>${tag}${e(item.text)}<span class="detail">${source}${e(item.detail)}</span></li>`;
}

function blockHtml(block: Block, charts: ReadonlyMap<string, DrawnChart>): string {
  switch (block.kind) {
    case 'heading':
      return `<h3 id="${e(block.id)}">${e(block.text)}</h3>`;
    case 'paragraph':
      return `<p${block.tone === 'plain' ? '' : ` class="${block.tone}"`}>${e(block.text)}</p>`;
    case 'list':
      return `<ul${block.tone === 'warning' ? ' class="warning"' : ''}>${block.items.map((i) => `<li>${e(i)}</li>`).join('')}</ul>`;
    case 'findings': {
      const tag = block.ordered ? 'ol' : 'ul';
      const title = block.title === null ? '' : `<p class="list-title">${e(block.title)}</p>`;
      return `${title}<${tag} class="findings${block.ordered ? ' executive' : ''}">${block.items.map(findingHtml).join('')}</${tag}>`;
    }
    case 'facts':
      return `<dl class="provenance">${block.rows.map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v)}</dd>`).join('')}</dl>`;
    case 'table': {
      const cls = (i: number): string => (block.numeric[i] === true ? ' class="num"' : '');
      const head = `<tr>${block.headers.map((h, i) => `<th scope="col"${cls(i)}>${e(h)}</th>`).join('')}</tr>`;
      const body = block.rows.length === 0 ? `<tr><td colspan="${block.headers.length}">No rows.</td></tr>` : block.rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${e(c)}</td>`).join('')}</tr>`).join('');
      return `<div class="table-box"><table><caption>${e(block.caption)}</caption><thead>${head}</thead><tbody>${body}</tbody></table>${block.note === null ? '' : `<p class="table-note">${e(block.note)}</p>`}</div>`;
    }
    case 'chart': {
      const drawn = charts.get(block.id);
      if (drawn?.kind === 'empty') return `<p class="note">Chart “${e(block.title)}”: no rows to draw.</p>`;
      if (drawn === undefined || drawn.svg === null) return `<p class="note">Chart “${e(block.title)}” is not drawn: ${e(drawn?.problem ?? 'it was not rendered.')}</p>`;
      return `<figure class="chart" id="${e(block.id)}" role="img" aria-label="${e(block.title)}">${inlineSvg(drawn.svg)}</figure>`;
    }
  }
}

/**
 * The report as one self-contained HTML file: the stylesheet inline, every
 * chart inline as SVG, no script, and a content security policy that
 * forbids any request, so opening it fetches nothing.
 */
export function renderHtml(document: ReportDocument, charts: ReadonlyMap<string, DrawnChart>): string {
  const toc = document.sections.map((s) => `<li><a href="#${e(s.id)}">${e(s.title)}</a></li>`).join('');
  const sections = document.sections
    .map(
      (s) =>
        `<section class="report-section" id="${e(s.id)}"><h2>${e(s.title)}</h2>${s.lead === null ? '' : `<p class="lead">${e(s.lead)}</p>`}${s.blocks.map((b) => blockHtml(b, charts)).join('\n')}</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="referrer" content="no-referrer">
<title>${e(document.title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header class="report-head"><h1>${e(document.title)}</h1>${blockHtml({ kind: 'facts', rows: document.provenance }, charts)}</header>
<nav class="toc" aria-label="Contents"><ol>${toc}</ol></nav>
<main>
${sections}
</main>
<footer class="report-foot">Written by cxray from stored analysis results; every number comes with its interval and n.</footer>
</body>
</html>
`;
}
