import type { ImportLedger } from '../model/ledger.js';
import type { WorkspaceStatus } from '../workspace/workspace.js';

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const n = (value: number): string => value.toLocaleString('en-US');

/** The workspace and its row ledger (/status; / too while the dashboard is not built, with `notice` saying how to build it). */
export function renderStatusPage(status: WorkspaceStatus, ledger: ImportLedger | null, notice?: string): string {
  const rows =
    ledger?.files
      .map(
        (f) =>
          `<tr><td>${escapeHtml(f.source)}</td><td>${escapeHtml(f.file)}</td><td>${n(f.read)}</td><td>${n(f.inserted)}</td><td>${n(f.duplicates)}</td><td>${n(f.excluded)}</td><td>${n(f.quarantined)}</td></tr>`,
      )
      .join('') ?? '';
  const tables = Object.entries(status.tables)
    .map(([t, c]) => `<li>${escapeHtml(t)}: ${n(c)} rows</li>`)
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>cxray: ${escapeHtml(status.workspace)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:1.5rem;max-width:70rem;color:#1b1f24}table{border-collapse:collapse;width:100%;overflow-x:auto;display:block}
td,th{padding:.3rem .6rem;border-bottom:1px solid #ddd;text-align:right}td:nth-child(-n+2),th:nth-child(-n+2){text-align:left}h1{font-size:1.4rem}</style></head>
<body><h1>cxray workspace</h1><p>${escapeHtml(status.workspace)}</p>${notice === undefined ? '' : `<p><strong>${escapeHtml(notice)}</strong></p>`}
${status.currentVersion === null ? '<p>Nothing imported yet. Run <code>cxray import</code>.</p>' : `<p>Import version ${status.currentVersion}, data as of ${escapeHtml(status.asOf ?? '?')}.</p>`}
${ledger === null ? '' : `<h2>Row ledger</h2><table><thead><tr><th>source</th><th>file</th><th>read</th><th>inserted</th><th>duplicates</th><th>excluded</th><th>quarantined</th></tr></thead><tbody>${rows}</tbody></table>
<p>Total: ${n(ledger.totals.read)} read = ${n(ledger.totals.loaded)} loaded + ${n(ledger.totals.quarantined)} quarantined.</p><h2>Tables</h2><ul>${tables}</ul>`}
<p>JSON: <a href="/api/status">/api/status</a>, <a href="/api/versions">/api/versions</a>; every endpoint: <a href="/openapi.json">/openapi.json</a>.</p></body></html>`;
}
