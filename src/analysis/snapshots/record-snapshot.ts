import type { Result } from '../result.js';
import type { PracticalThresholds } from '../thresholds.js';
import { compareSnapshots } from './compare.js';
import type { PairedSums } from './paired.js';
import { measuresOf, type Snapshot } from './snapshot.js';
import { findSnapshot, listSnapshots, snapshotId, writeSnapshot } from './snapshot-store.js';

export interface SnapshotOptions {
  dir: string;
  configHash: string;
  asOf: string;
  thresholds: PracticalThresholds;
  /** Compare with this snapshot (id, id prefix or date) instead of the one before. */
  against?: string;
  /** Pair the customers of the baseline's import version with this one's; null when its store is gone. */
  pair?: (baseline: Snapshot) => Promise<PairedSums | null>;
}

/**
 * Dates a profile: writes a snapshot for this import version and config
 * unless one exists, and adds to the profile what changed against the
 * previous snapshot (or `against`): findings and one summary sentence, or
 * "no material change".
 */
export async function recordSnapshot(profile: Result, options: SnapshotOptions): Promise<Result> {
  const snapshots = await listSnapshots(options.dir);
  const same = snapshots.find((s) => s.importVersion === profile.importVersion && s.configHash === options.configHash);
  const others = snapshots.filter((s) => s !== same && (same === undefined || s.createdAt < same.createdAt));
  const baseline = options.against !== undefined ? findSnapshot(snapshots, options.against) : others[others.length - 1];
  const measures = measuresOf(profile);
  const paired = baseline === undefined || options.pair === undefined ? null : await options.pair(baseline);
  const comparison = baseline === undefined ? null : compareSnapshots(baseline, measures, options.thresholds, paired);
  const dated: Result =
    comparison === null
      ? profile
      : {
          ...profile,
          summary: [comparison.sentence, ...profile.summary],
          findings: [...comparison.findings, ...profile.findings],
          method: { ...profile.method, assumptions: [...profile.method.assumptions, comparison.assumption] },
        };
  if (same === undefined) {
    const now = new Date();
    const snapshot: Snapshot = {
      id: snapshotId(profile.importVersion, now),
      importVersion: profile.importVersion,
      configHash: options.configHash,
      createdAt: now.toISOString(),
      asOf: options.asOf,
      measures,
      changes: comparison === null ? [] : [comparison.sentence, ...comparison.findings.map((f) => f.text)],
      profile: dated,
    };
    await writeSnapshot(options.dir, snapshot);
  }
  return dated;
}
