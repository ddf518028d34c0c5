import type { HostileResult } from './check-hostile-file.js';
import { HOSTILE_KINDS, type HostileKind } from './hostile-files.js';

export interface KindSummary {
  files: number;
  /** UserErrors by `stage:code` (e.g. `init:input_empty`). */
  userErrors: Record<string, number>;
  imports: number;
  quarantinedRows: number;
  failures: number;
}

export interface HostileFailure {
  seed: number;
  index: number;
  kind: HostileKind;
  parts: HostileKind[];
  stage: string;
  problem: string;
}

/** What a hostile-file run did, as written to the JSON summary and bench/RELIABILITY.md. */
export interface HostileSummary {
  seed: number;
  files: number;
  durationMs: number;
  outcomes: { userErrors: number; imports: number; failures: number };
  byKind: Partial<Record<HostileKind, KindSummary>>;
  rows: { read: number; inserted: number; quarantined: number; duplicates: number; excluded: number };
  formulaCells: { verbatim: number; notStored: number };
  /** Windows-1252 text planted in text columns: found as written, or in columns not stored as text. */
  encodedText: { verbatim: number; notStored: number };
  plantedChecked: number;
  slowest: { index: number; kind: HostileKind; durationMs: number }[];
  /** Replay one with `npx tsx scripts/hostile-files.ts --seed S --only INDEX --keep`. */
  failures: HostileFailure[];
}

export function summariseHostile(results: readonly HostileResult[], run: { seed: number; durationMs: number }): HostileSummary {
  const summary: HostileSummary = {
    seed: run.seed,
    files: results.length,
    durationMs: run.durationMs,
    outcomes: { userErrors: 0, imports: 0, failures: 0 },
    byKind: {},
    rows: { read: 0, inserted: 0, quarantined: 0, duplicates: 0, excluded: 0 },
    formulaCells: { verbatim: 0, notStored: 0 },
    encodedText: { verbatim: 0, notStored: 0 },
    plantedChecked: 0,
    slowest: [...results]
      .sort((a, b) => b.durationMs - a.durationMs)
      .slice(0, 5)
      .map((r) => ({ index: r.index, kind: r.kind, durationMs: r.durationMs })),
    failures: [],
  };
  for (const kind of HOSTILE_KINDS) {
    if (results.some((r) => r.kind === kind)) summary.byKind[kind] = { files: 0, userErrors: {}, imports: 0, quarantinedRows: 0, failures: 0 };
  }
  for (const r of results) {
    const k = summary.byKind[r.kind] as KindSummary;
    k.files += 1;
    const o = r.outcome;
    if (o.status === 'user_error') {
      summary.outcomes.userErrors += 1;
      const key = `${o.stage}:${o.code}`;
      k.userErrors[key] = (k.userErrors[key] ?? 0) + 1;
    } else if (o.status === 'imported') {
      summary.outcomes.imports += 1;
      k.imports += 1;
      k.quarantinedRows += o.quarantined;
      summary.rows.read += o.read;
      summary.rows.inserted += o.inserted;
      summary.rows.quarantined += o.quarantined;
      summary.rows.duplicates += o.duplicates;
      summary.rows.excluded += o.excluded;
      summary.formulaCells.verbatim += o.formulaVerbatim;
      summary.formulaCells.notStored += o.formulaNotStored;
      summary.plantedChecked += o.plantedChecked;
      summary.encodedText.verbatim += o.textVerbatim;
      summary.encodedText.notStored += o.textNotStored;
    } else {
      summary.outcomes.failures += 1;
      k.failures += 1;
      summary.failures.push({ seed: r.seed, index: r.index, kind: r.kind, parts: r.parts, stage: o.stage, problem: o.problem });
    }
  }
  return summary;
}
