import type { AnalysisName } from '../analysis/names.js';
import type { Result } from '../analysis/result.js';
import { words } from '../analysis/wording.js';
import { COERCION_REASONS, QUARANTINE_REASONS, type ImportLedger } from '../model/ledger.js';
import { notRunLine } from './analysis-blocks.js';
import type { Block, DisplayTable } from './document.js';

function countTable(caption: string, headers: string[], rows: (string | number)[][], note: string | null = null): DisplayTable {
  return {
    kind: 'table',
    caption,
    headers,
    numeric: headers.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number')),
    rows: rows.map((r) => r.map((c) => (typeof c === 'number' ? words.count(c) : c))),
    note,
  };
}

/** Survey coverage in words: who answered, and how respondents differ (profile), or why it is not known. */
function surveyCoverage(ledger: ImportLedger, profile: Result | undefined): Block[] {
  const responses = ledger.tables['survey_responses'] ?? 0;
  if (responses === 0) return [{ kind: 'paragraph', text: 'No survey responses were imported: satisfaction, key drivers, the scorecard and comments cannot be measured.', tone: 'warning' }];
  const lines = [`${words.count(responses)} survey responses were imported.`];
  if (profile?.status === 'ok') {
    const rate = profile.findings.find((f) => f.code === 'profile.response_rate');
    if (rate !== undefined) lines.push(rate.text);
    lines.push(...profile.summary.filter((s) => s.startsWith('Respondents ')));
  } else {
    lines.push(profile === undefined ? 'Who answered is not described: the profile analysis did not run.' : `Who answered is not described. ${notRunLine(profile)}`);
  }
  return [{ kind: 'list', items: lines, tone: 'plain' }];
}

/**
 * Data quality: the import ledger (rows read = loaded + quarantined, per
 * file), quarantined rows by reason, values coerced on the way in, rows
 * excluded by rule, customer matching, rows per table, survey coverage, and
 * what could not be analysed and why.
 */
export function dataQualityBlocks(ledger: ImportLedger, results: readonly Result[], titles: ReadonlyMap<AnalysisName, string>): Block[] {
  const t = ledger.totals;
  const blocks: Block[] = [
    {
      kind: 'paragraph',
      tone: 'plain',
      text: `Import version ${ledger.version} read ${words.count(t.read)} rows: ${words.count(t.loaded)} loaded (${words.count(t.inserted)} stored, ${words.count(t.duplicates)} exact duplicates dropped, ${words.count(t.excluded)} excluded by a rule) and ${words.count(t.quarantined)} quarantined (${t.read === 0 ? '0%' : words.percent(t.quarantined / t.read, 2)}). Every quarantined row is listed with its file, line and reason in quarantine/<source>.csv.`,
    },
    countTable('rows per file', ['source', 'file', 'read', 'loaded', 'stored', 'duplicates', 'excluded', 'quarantined'], ledger.files.map((f) => [f.source, f.file, f.read, f.loaded, f.inserted, f.duplicates, f.excluded, f.quarantined])),
  ];
  const reasons = ledger.files.flatMap((f) => Object.entries(f.quarantinedByReason).map(([reason, n]) => [f.file, reason, QUARANTINE_REASONS[reason as keyof typeof QUARANTINE_REASONS] ?? '', n ?? 0]));
  blocks.push(reasons.length === 0 ? { kind: 'paragraph', text: 'No row was quarantined.', tone: 'plain' } : countTable('quarantined rows by reason', ['file', 'reason', 'meaning', 'rows'], reasons));
  const coerced = ledger.files.flatMap((f) => f.coerced.map((c) => [f.file, c.column, COERCION_REASONS[c.reason] ?? c.reason, c.count]));
  blocks.push(coerced.length === 0 ? { kind: 'paragraph', text: 'No value was changed on the way in.', tone: 'plain' } : countTable('values coerced on the way in (rows still loaded)', ['file', 'column', 'what was done', 'rows'], coerced));
  const excluded = ledger.files.flatMap((f) => Object.entries(f.excludedByRule).map(([rule, n]) => [f.file, rule, n]));
  if (excluded.length > 0) blocks.push(countTable('rows excluded by a declared rule', ['file', 'rule', 'rows'], excluded));
  const identity = ledger.files.filter((f) => f.identity.matched + f.identity.derived + f.identity.unmatched > 0);
  if (identity.length > 0) blocks.push(countTable('customer matching', ['file', 'matched', 'derived', 'not matched'], identity.map((f) => [f.file, f.identity.matched, f.identity.derived, f.identity.unmatched])));
  blocks.push(countTable('rows per table', ['table', 'rows'], Object.entries(ledger.tables).map(([name, n]) => [name, n])));
  blocks.push({ kind: 'heading', text: 'Survey coverage', id: 'quality-survey' });
  blocks.push(...surveyCoverage(ledger, results.find((r) => r.name === 'profile')));
  blocks.push({ kind: 'heading', text: 'What could not be analysed', id: 'quality-not-analysed' });
  const notRun = results.filter((r) => r.status !== 'ok');
  blocks.push(
    notRun.length === 0
      ? { kind: 'paragraph', text: 'Every analysis ran.', tone: 'plain' }
      : { kind: 'list', items: notRun.map((r) => `${titles.get(r.name) ?? r.name} (${r.name}): ${notRunLine(r)}`), tone: 'plain' },
  );
  const warnings = [...new Set(results.flatMap((r) => r.warnings))];
  if (warnings.length > 0) {
    blocks.push({ kind: 'heading', text: 'Warnings from the analyses', id: 'quality-warnings' });
    blocks.push({ kind: 'list', items: warnings, tone: 'warning' });
  }
  return blocks;
}
