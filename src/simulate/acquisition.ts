import type { Rng } from './random.js';

/**
 * Who arrives, and through which door: the attributes a company knows at
 * acquisition time. The mix drifts with the cohort (`cohort` = share of the
 * history elapsed, 0 at the start, 1 at as_of): referrals fall, paid search
 * rises, and the ideal profile's share of new customers falls with them.
 */
export const CHANNELS = ['referral', 'paid search', 'organic', 'partner', 'outbound'] as const;
export const SEGMENTS = ['retail', 'smb', 'enterprise', 'public'] as const;
export const CONTRACTS = ['monthly', 'annual'] as const;
export const PLANS = ['Basic', 'Standard', 'Premium'] as const;
export const REGIONS = ['North', 'South', 'East', 'West'] as const;
export const EXPERIMENT_GROUPS = ['control', 'treatment'] as const;

export type Channel = (typeof CHANNELS)[number];
export type Segment = (typeof SEGMENTS)[number];
export type Contract = (typeof CONTRACTS)[number];
export type Plan = (typeof PLANS)[number];
export type Region = (typeof REGIONS)[number];
export type ExperimentGroup = (typeof EXPERIMENT_GROUPS)[number];

export interface Acquisition {
  channel: Channel;
  segment: Segment;
  contract: Contract;
  plan: Plan;
  region: Region;
  age: number;
  experiment: ExperimentGroup;
}

/** The ideal customer profile, as readable rules over acquisition-time attributes. */
export const IDEAL_PROFILE = { channel: 'referral', contract: 'annual', segment: 'retail' } as const;
/** The misaligned profile: costs more than it brings and is never satisfied. */
export const MISALIGNED_PROFILE = { channel: 'outbound', contract: 'monthly', segment: 'public' } as const;

export const isIdeal = (a: Pick<Acquisition, 'channel' | 'contract' | 'segment'>): boolean =>
  a.channel === IDEAL_PROFILE.channel && a.contract === IDEAL_PROFILE.contract && a.segment === IDEAL_PROFILE.segment;
export const isMisaligned = (a: Pick<Acquisition, 'channel' | 'contract' | 'segment'>): boolean =>
  a.channel === MISALIGNED_PROFILE.channel && a.contract === MISALIGNED_PROFILE.contract && a.segment === MISALIGNED_PROFILE.segment;

/** Channel shares of new customers at the start and at the end of the history (order of CHANNELS). */
export const CHANNEL_MIX_START = [0.31, 0.12, 0.28, 0.15, 0.14] as const;
export const CHANNEL_MIX_END = [0.17, 0.32, 0.24, 0.14, 0.13] as const;

/** Segment shares given the channel (order of SEGMENTS). */
const SEGMENT_BY_CHANNEL: Record<Channel, readonly number[]> = {
  referral: [0.56, 0.27, 0.09, 0.08],
  'paid search': [0.5, 0.3, 0.08, 0.12],
  organic: [0.48, 0.3, 0.1, 0.12],
  partner: [0.35, 0.35, 0.18, 0.12],
  outbound: [0.2, 0.22, 0.16, 0.42],
};

/** P(annual contract): referred retail customers sign annual contracts most, less so in later cohorts. */
export const ANNUAL_REFERRED_RETAIL_START = 0.7;
export const ANNUAL_REFERRED_RETAIL_END = 0.54;
const ANNUAL_PUBLIC_OUTBOUND = 0.2;
const ANNUAL_ENTERPRISE = 0.6;
const ANNUAL_OTHER = 0.35;

const REGION_WEIGHTS = [0.3, 0.25, 0.25, 0.2];
const PLAN_WEIGHTS_IDEAL = [0.04, 0.26, 0.7];
const PLAN_WEIGHTS_MISALIGNED = [0.65, 0.3, 0.05];
const PLAN_WEIGHTS_ENTERPRISE = [0.2, 0.4, 0.4];
const PLAN_WEIGHTS_OTHER = [0.45, 0.4, 0.15];

const lerp = (from: number, to: number, t: number): number => from + (to - from) * t;

/**
 * Channel shares for a cohort. `acquisitionMixShift` moves that many
 * percentage points (as a fraction) of new customers from referral to paid
 * search: the "what changed" company.
 */
export function channelShares(cohort: number, acquisitionMixShift = 0): number[] {
  const shares = CHANNEL_MIX_START.map((start, i) => lerp(start, CHANNEL_MIX_END[i] ?? start, cohort));
  const moved = Math.max(-(shares[1] ?? 0), Math.min(shares[0] ?? 0, acquisitionMixShift));
  shares[0] = (shares[0] ?? 0) - moved;
  shares[1] = (shares[1] ?? 0) + moved;
  return shares;
}

export function annualProbability(channel: Channel, segment: Segment, cohort: number): number {
  if (channel === 'referral' && segment === 'retail') return lerp(ANNUAL_REFERRED_RETAIL_START, ANNUAL_REFERRED_RETAIL_END, cohort);
  if (channel === 'outbound' && segment === 'public') return ANNUAL_PUBLIC_OUTBOUND;
  if (segment === 'enterprise') return ANNUAL_ENTERPRISE;
  return ANNUAL_OTHER;
}

export function segmentShares(channel: Channel): readonly number[] {
  return SEGMENT_BY_CHANNEL[channel];
}

/** Expected share of new customers matching the ideal profile in a cohort (the planted drift). */
export function expectedIdealShare(cohort: number, acquisitionMixShift = 0): number {
  const referral = channelShares(cohort, acquisitionMixShift)[0] ?? 0;
  return referral * (SEGMENT_BY_CHANNEL.referral[0] ?? 0) * annualProbability('referral', 'retail', cohort);
}

function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`index ${index} out of range`);
  return item;
}

export function drawAcquisition(rng: Rng, cohort: number, acquisitionMixShift = 0): Acquisition {
  const channel = at(CHANNELS, rng.weighted(channelShares(cohort, acquisitionMixShift)));
  const segment = at(SEGMENTS, rng.weighted(SEGMENT_BY_CHANNEL[channel]));
  const contract: Contract = rng.chance(annualProbability(channel, segment, cohort)) ? 'annual' : 'monthly';
  const profile = { channel, segment, contract };
  const planWeights = isIdeal(profile)
    ? PLAN_WEIGHTS_IDEAL
    : isMisaligned(profile)
      ? PLAN_WEIGHTS_MISALIGNED
      : segment === 'enterprise'
        ? PLAN_WEIGHTS_ENTERPRISE
        : PLAN_WEIGHTS_OTHER;
  const plan = at(PLANS, rng.weighted(planWeights));
  const region = at(REGIONS, rng.weighted(REGION_WEIGHTS));
  const age = Math.max(18, Math.min(85, Math.round(41 + 13 * rng.normal())));
  const experiment: ExperimentGroup = rng.chance(0.5) ? 'treatment' : 'control';
  return { channel, segment, contract, plan, region, age, experiment };
}
