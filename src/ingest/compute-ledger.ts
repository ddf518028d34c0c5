import type { Engine } from '../engine/types.js';
import { CxrayError } from '../errors.js';
import type { CoercionReason, FileLedger, QuarantineReason } from '../model/ledger.js';
import type { StagedSource } from './stage-source.js';

/**
 * The row ledger of each file: every record read is inserted, a duplicate,
 * excluded by a rule, or quarantined. Checked here, so an import whose books
 * do not balance fails loudly instead of losing rows.
 */
export async function computeLedgers(engine: Engine, sources: StagedSource[], hasCustomersSource: boolean): Promise<FileLedger[]> {
  const d = engine.dialect;
  const q = (s: string): string => d.quoteIdent(s);
  const ledgers: FileLedger[] = [];
  for (const source of sources) {
    const statusRows = await engine.query<{ _file: string; status: string; reason: string | null; rule: string | null; n: bigint }>(
      `SELECT _file, status, reason, rule, count(*) AS n FROM ${q(source.outcomes)} GROUP BY ALL ORDER BY ALL`,
    );
    const coerced = new Map<string, Map<string, number>>();
    for (const staged of source.feeds) {
      if (staged.feed.coercions.length === 0) continue;
      const sums = staged.feed.coercions.map((_, k) => `sum(CASE WHEN f.${q(`_coerce${k}`)} THEN 1 ELSE 0 END) AS ${q(`c${k}`)}`).join(', ');
      const rows = await engine.query(
        `SELECT f._file, ${sums} FROM ${q(staged.table)} f JOIN ${q(source.outcomes)} o ON o._file = f._file AND o._unit = f._unit
         WHERE o.status = 'inserted' AND f._applies GROUP BY f._file`,
      );
      for (const row of rows) {
        const file = String(row['_file']);
        const byKey = coerced.get(file) ?? new Map<string, number>();
        staged.feed.coercions.forEach((c, k) => {
          const n = Number(row[`c${k}`] ?? 0);
          if (n > 0) byKey.set(`${c.column}\u0000${c.reason}`, (byKey.get(`${c.column}\u0000${c.reason}`) ?? 0) + n);
        });
        coerced.set(file, byKey);
      }
    }
    const identityRows = new Map<string, { withRefs: number; unmatched: number }>();
    const refFeeds = source.feeds.filter((f) => f.feed.references.length > 0);
    if (refFeeds.length > 0) {
      const refRecords = refFeeds
        .map((f) => `SELECT DISTINCT _file, _unit FROM ${q(f.table)} WHERE _applies AND (${f.feed.references.map((r) => `${q(r.column)} IS NOT NULL`).join(' OR ')})`)
        .join(' UNION ');
      const rows = await engine.query<{ _file: string; with_refs: bigint; unmatched: bigint }>(
        `SELECT r._file, count(*) AS with_refs, sum(CASE WHEN o.reason = 'unknown_customer' THEN 1 ELSE 0 END) AS unmatched
         FROM (${refRecords}) r JOIN ${q(source.outcomes)} o ON o._file = r._file AND o._unit = r._unit
         WHERE o.status IN ('inserted') OR o.reason = 'unknown_customer' GROUP BY r._file`,
      );
      for (const r of rows) identityRows.set(r._file, { withRefs: Number(r.with_refs), unmatched: Number(r.unmatched) });
    }

    for (const { file, raw } of source.files) {
      const rows = statusRows.filter((r) => r._file === file.display);
      const count = (status: string): number => rows.filter((r) => r.status === status).reduce((s, r) => s + Number(r.n), 0);
      const quarantinedByReason: Partial<Record<QuarantineReason, number>> = {};
      for (const r of rows.filter((x) => x.status === 'quarantined')) {
        const reason = r.reason as QuarantineReason;
        quarantinedByReason[reason] = (quarantinedByReason[reason] ?? 0) + Number(r.n);
      }
      const excludedByRule: Record<string, number> = {};
      for (const r of rows.filter((x) => x.status === 'excluded')) excludedByRule[r.rule ?? 'excluded'] = (excludedByRule[r.rule ?? 'excluded'] ?? 0) + Number(r.n);
      let footers = 0;
      for (const rej of raw.rejected) {
        if (rej.footer) footers += 1;
        else quarantinedByReason[rej.reason] = (quarantinedByReason[rej.reason] ?? 0) + 1;
      }
      if (footers > 0) excludedByRule['report footer'] = footers;
      const inserted = count('inserted');
      const duplicates = count('duplicate');
      const excluded = count('excluded') + footers;
      const quarantined = count('quarantined') + raw.rejected.length - footers;
      const loaded = inserted + duplicates + excluded;
      if (loaded + quarantined !== raw.read) {
        throw new CxrayError('ledger_unbalanced', `The row ledger of ${file.display} does not balance: read ${raw.read}, loaded ${loaded}, quarantined ${quarantined}.`, {
          hint: 'This is a bug in cxray; please report it with the file.',
        });
      }
      const identity = identityRows.get(file.display);
      const withRefs = identity?.withRefs ?? 0;
      const unmatched = identity?.unmatched ?? 0;
      ledgers.push({
        source: source.name,
        file: file.display,
        sha256: file.sha256,
        read: raw.read,
        loaded,
        quarantined,
        inserted,
        duplicates,
        excluded,
        excludedByRule,
        quarantinedByReason,
        coerced: [...(coerced.get(file.display) ?? new Map<string, number>()).entries()]
          .map(([key, n]) => {
            const [column, reason] = key.split('\u0000') as [string, CoercionReason];
            return { column, reason, count: n };
          })
          .sort((a, b) => a.column.localeCompare(b.column) || a.reason.localeCompare(b.reason)),
        identity: {
          matched: hasCustomersSource ? withRefs - unmatched : 0,
          derived: hasCustomersSource ? 0 : withRefs,
          unmatched,
        },
        reused: false,
      });
    }
  }
  return ledgers;
}
