import type { AnalyzeOutput } from './run-analyses.js';
import type { Result } from './result.js';

/** A Result as plain text for a terminal: its summary, then its findings, then warnings. Views render; they never compute. */
export function renderResultText(result: Result, title: string): string {
  const head = `== ${result.name}: ${title} ==`;
  if (result.status !== 'ok') return `${head}\n${result.status}: ${result.reason ?? ''}`;
  const lines = [head, '', ...result.summary];
  if (result.findings.length > 0) {
    lines.push('', 'Findings:');
    for (const f of result.findings) lines.push(`  - ${f.severity === 'info' ? '' : `[${f.severity}] `}${f.text}`);
  }
  if (result.warnings.length > 0) {
    lines.push('', 'Warnings:');
    for (const w of result.warnings) lines.push(`  - ${w}`);
  }
  return lines.join('\n');
}

export function renderAnalyzeText(output: AnalyzeOutput, titles: ReadonlyMap<string, string>): string {
  const filter = output.results[0]?.provenance.filter;
  const scope = filter === undefined ? [] : [filter.segment === undefined ? '' : `segment ${filter.segment}`, filter.from === undefined ? '' : `from ${filter.from}`, filter.to === undefined ? '' : `to ${filter.to}`].filter((s) => s !== '');
  const header = `Workspace ${output.workspace}, import version ${output.importVersion}${scope.length > 0 ? ` (${scope.join(', ')})` : ''}.`;
  return [header, ...output.results.map((r) => renderResultText(r, titles.get(r.name) ?? r.name))].join('\n\n');
}
