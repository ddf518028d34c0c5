import { z } from 'zod';
import { normalCritical } from '../../stats/index.js';
import { countValue, resultSchema, type Result } from '../result.js';

/** An estimate kept in a snapshot: value, standard error (from its interval) and n. */
const estimateSchema = z.strictObject({ estimate: z.number(), standardError: z.number().nonnegative(), n: z.number().int().nonnegative() });

/** The measures successive snapshots are compared on. */
export const snapshotMeasuresSchema = z.strictObject({
  customers: z.number().int().nonnegative(),
  /** Customers per attribute level (levels of 5 customers or more). */
  mix: z.array(z.strictObject({ attribute: z.string(), level: z.string(), count: z.number().int().nonnegative() })),
  top10Share: estimateSchema.nullable(),
  top20Share: estimateSchema.nullable(),
  gini: estimateSchema.nullable(),
  /** Mean tenure in days. */
  tenure: estimateSchema.nullable(),
  /** Shares of contacts by channel class. */
  channels: z.record(z.string(), estimateSchema),
});

export const snapshotSchema = z.strictObject({
  /** `v000003-20260630T120000Z`: import version and UTC time of writing. */
  id: z.string().regex(/^v\d{6}-\d{8}T\d{6}Z$/),
  importVersion: z.number().int().positive(),
  configHash: z.string(),
  createdAt: z.iso.datetime(),
  asOf: z.string(),
  measures: snapshotMeasuresSchema,
  /** What changed against the snapshot before it, as written then. */
  changes: z.array(z.string()),
  profile: resultSchema,
});

export type SnapshotEstimate = z.infer<typeof estimateSchema>;
export type SnapshotMeasures = z.infer<typeof snapshotMeasuresSchema>;
export type Snapshot = z.infer<typeof snapshotSchema>;

function estimateOf(result: Result, code: string): SnapshotEstimate | null {
  const f = result.findings.find((x) => x.code === code);
  if (f === undefined) return null;
  const z95 = normalCritical(f.interval.level);
  return { estimate: f.estimate, standardError: (f.interval.upper - f.interval.lower) / (2 * z95), n: countValue(f.n) };
}

/** The measures of a profile Result, read from its findings and tables (no new queries). */
export function measuresOf(profile: Result): SnapshotMeasures {
  const shares = profile.tables.find((t) => t.name === 'attribute_shares');
  const col = (name: string): number => shares?.columns.findIndex((c) => c.name === name) ?? -1;
  const mix = (shares?.rows ?? [])
    .filter((r) => typeof r[col('n')] === 'number' && !String(r[col('level')]).startsWith('other values') && r[col('level')] !== '(missing)')
    .map((r) => ({ attribute: String(r[col('attribute')]), level: String(r[col('level')]), count: r[col('n')] as number }));
  const channels: Record<string, SnapshotEstimate> = {};
  for (const f of profile.findings.filter((x) => x.code.startsWith('profile.channel_share.'))) {
    const e = estimateOf(profile, f.code);
    if (e !== null) channels[f.code.slice('profile.channel_share.'.length)] = e;
  }
  return {
    customers: estimateOf(profile, 'profile.customers')?.estimate ?? 0,
    mix,
    top10Share: estimateOf(profile, 'profile.top10_share'),
    top20Share: estimateOf(profile, 'profile.top20_share'),
    gini: estimateOf(profile, 'profile.gini'),
    tenure: estimateOf(profile, 'profile.tenure'),
    channels,
  };
}
