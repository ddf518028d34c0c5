import type { ImportLedger } from '../model/ledger.js';
import { QUARANTINE_REASONS } from '../model/ledger.js';

/** A plain text table: columns padded, numbers right-aligned. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? c.toLocaleString('en-US') : c)))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => String(r[i] ?? '').length)));
  const numeric = headers.map((_, i) => rows.every((r) => typeof r[i] === 'number'));
  const line = (r: (string | number)[]): string =>
    r.map((c, i) => (numeric[i] ? String(c).padStart(widths[i] ?? 0) : String(c).padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(cells[0] ?? []), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export function formatLedger(ledger: ImportLedger, title: string): string {
  const parts: string[] = [title, ''];
  parts.push(
    table(
      ['source', 'file', 'read', 'inserted', 'duplicates', 'excluded', 'quarantined'],
      ledger.files.map((f) => [f.source, f.file, f.read, f.inserted, f.duplicates, f.excluded, f.quarantined]),
    ),
  );
  const t = ledger.totals;
  parts.push('', `Total: ${t.read.toLocaleString('en-US')} rows read = ${t.loaded.toLocaleString('en-US')} loaded (${t.inserted.toLocaleString('en-US')} inserted, ${t.duplicates.toLocaleString('en-US')} exact duplicates dropped, ${t.excluded.toLocaleString('en-US')} excluded by rule) + ${t.quarantined.toLocaleString('en-US')} quarantined.`);
  const reasons = ledger.files.flatMap((f) => Object.entries(f.quarantinedByReason).map(([reason, n]) => [f.file, reason, n ?? 0] as const));
  if (reasons.length > 0) {
    parts.push('', 'Quarantined rows by reason (see quarantine/<source>.csv):');
    parts.push(table(['file', 'reason', 'rows', 'meaning'], reasons.map(([file, reason, n]) => [file, reason, n, QUARANTINE_REASONS[reason as keyof typeof QUARANTINE_REASONS] ?? ''])));
  }
  const excluded = ledger.files.flatMap((f) => Object.entries(f.excludedByRule).map(([rule, n]) => [f.file, rule, n] as const));
  if (excluded.length > 0) {
    parts.push('', 'Excluded by rule:');
    parts.push(table(['file', 'rule', 'rows'], excluded.map(([f, r, n]) => [f, r, n])));
  }
  const coerced = ledger.files.flatMap((f) => f.coerced.map((c) => [f.file, c.column, c.reason, c.count] as const));
  if (coerced.length > 0) {
    parts.push('', 'Values coerced on the way in (rows still loaded):');
    parts.push(table(['file', 'column', 'reason', 'rows'], coerced.map(([f, c, r, n]) => [f, c, r, n])));
  }
  const identity = ledger.files.filter((f) => f.identity.matched + f.identity.derived + f.identity.unmatched > 0);
  if (identity.length > 0) {
    parts.push('', 'Customer matching:');
    parts.push(table(['file', 'matched', 'derived', 'unmatched'], identity.map((f) => [f.file, f.identity.matched, f.identity.derived, f.identity.unmatched])));
  }
  parts.push('', 'Tables: ' + Object.entries(ledger.tables).map(([name, n]) => `${name} ${n.toLocaleString('en-US')}`).join(', '));
  return parts.join('\n');
}
