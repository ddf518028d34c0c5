/**
 * The report's stylesheet, inlined: system fonts only (nothing to fetch),
 * readable from 375 px up (wide tables scroll inside their box, charts
 * shrink), and print rules for the PDF: A4, the executive page and each
 * section on a page of their own, figures and table rows kept whole.
 */
export const REPORT_CSS = `
:root { color-scheme: light; --ink: #1d2330; --muted: #5b6475; --line: #d9dde5; --accent: #2f5d9e; --high: #b3261e; --medium: #b86e00; --low: #5b6475; --note-bg: #f4f6fa; --warn-bg: #fff5e6; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; font-size: 15px; line-height: 1.5; color: var(--ink); background: #fff; font-variant-ligatures: none; }
header.report-head, main, nav.toc { max-width: 60rem; margin: 0 auto; padding: 0 1rem; }
header.report-head { padding-top: 1.5rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 0.75rem; }
h2 { font-size: 1.35rem; margin: 2.5rem 0 0.25rem; padding-bottom: 0.25rem; border-bottom: 2px solid var(--accent); }
h3 { font-size: 1.1rem; margin: 1.75rem 0 0.5rem; }
p, li, dd, dt, figcaption { overflow-wrap: anywhere; }
td, th { overflow-wrap: break-word; }
p.list-title { font-weight: bold; font-size: 0.85rem; margin: 0.75rem 0 0.25rem; }
p.lead { color: var(--muted); margin-top: 0.25rem; }
p.note { color: var(--muted); background: var(--note-bg); padding: 0.4rem 0.6rem; border-radius: 4px; }
p.warning, ul.warning { background: var(--warn-bg); padding: 0.4rem 0.6rem 0.4rem 1.6rem; border-radius: 4px; }
p.warning { padding-left: 0.6rem; }
dl.provenance { display: grid; grid-template-columns: max-content 1fr; gap: 0.15rem 1rem; font-size: 0.85rem; color: var(--muted); margin: 0 0 1rem; }
dl.provenance dt { font-weight: bold; }
dl.provenance dd { margin: 0; font-family: "DejaVu Sans Mono", monospace; font-size: 0.8rem; }
nav.toc ol { margin: 0; padding-left: 1.25rem; columns: 2 14rem; font-size: 0.9rem; }
nav.toc a { color: var(--accent); }
ol.findings, ul.findings { padding-left: 1.4rem; }
ol.findings > li, ul.findings > li { margin-bottom: 0.6rem; }
ol.executive > li { font-size: 1.05rem; }
.detail { display: block; font-size: 0.8rem; color: var(--muted); }
.severity { display: inline-block; font-size: 0.7rem; font-weight: bold; text-transform: uppercase; letter-spacing: 0.03em; padding: 0 0.3rem; border-radius: 3px; border: 1px solid currentColor; margin-right: 0.35rem; vertical-align: 0.1em; }
.severity.high { color: var(--high); } .severity.medium { color: var(--medium); } .severity.low { color: var(--low); }
figure.chart { margin: 1rem 0; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
figure.chart figcaption { font-size: 0.8rem; color: var(--muted); }
.table-box { overflow-x: auto; margin: 0.75rem 0; }
table { border-collapse: collapse; font-size: 0.8rem; min-width: 50%; }
caption { text-align: left; font-weight: bold; padding-bottom: 0.25rem; }
th, td { border-bottom: 1px solid var(--line); padding: 0.2rem 0.45rem; vertical-align: top; text-align: left; }
th { background: var(--note-bg); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
p.table-note { font-size: 0.75rem; color: var(--muted); margin: 0.2rem 0 0; }
footer.report-foot { max-width: 60rem; margin: 3rem auto 2rem; padding: 0 1rem; font-size: 0.75rem; color: var(--muted); }
@media (max-width: 480px) { body { font-size: 14px; } dl.provenance { grid-template-columns: 1fr; } dl.provenance dd { margin-bottom: 0.3rem; } nav.toc ol { columns: 1; } }
@page { size: A4; margin: 14mm 12mm 16mm; }
@media print {
  body { font-size: 10.5pt; }
  header.report-head, main, nav.toc, footer.report-foot { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  section.report-section { break-before: page; }
  section#executive { break-before: auto; break-after: page; }
  h2, h3 { break-after: avoid; }
  figure.chart, tr, li { break-inside: avoid; }
  .table-box { overflow: visible; }
  table { font-size: 7.5pt; }
}
`;
