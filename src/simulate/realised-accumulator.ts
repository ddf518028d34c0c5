import { CHANNELS } from './acquisition.js';
import type { FeeType } from './billing.js';
import { FEE_TYPES } from './billing.js';
import { DAY_MS, addMonths, quarterLabel } from './calendar.js';
import type { Comment } from './comments.js';
import type { CustomerLife } from './customer-life.js';
import type { SimCustomer } from './rows.js';
import { AREAS, npsClass, type NpsClass } from './satisfaction.js';
import { HANDLING_COST_PER_MINUTE, expectedMonthlyHandlingCost, type SupportTraits } from './support.js';

/**
 * Streaming sums of every realised quantity, fed one clean customer at a
 * time (bad rows, duplicates and previews never reach it). Definitions are
 * the ones an analysis would use on the files; docs/simulated-company.md
 * states them and the tests recompute them from the files.
 */
export const NET_VALUE_WINDOW_MONTHS = 12;
export const EARLY_REFUND_WINDOW_DAYS = 90;

export interface ResponseOutcome {
  recordedMs: number;
  nps: number;
  counterfactualNps: number;
  ratings: readonly number[];
  csat: number;
  comment: Comment | null;
  treated: boolean;
}

export interface CustomerOutcome {
  customer: SimCustomer;
  life: CustomerLife;
  /** Handling minutes as written per ticket (null while open). */
  ticketMinutes: readonly (number | null)[];
  responses: readonly ResponseOutcome[];
}

export class NpsTally {
  responses = 0;
  promoters = 0;
  detractors = 0;
  add(answer: number): void {
    this.responses += 1;
    const cls = npsClass(answer);
    if (cls === 'promoter') this.promoters += 1;
    else if (cls === 'detractor') this.detractors += 1;
  }
  get nps(): number {
    return this.responses === 0 ? 0 : (100 * (this.promoters - this.detractors)) / this.responses;
  }
  /** Variance of one response's net score (+1, 0, -1). */
  get variance(): number {
    if (this.responses === 0) return 0;
    const p = this.promoters / this.responses;
    const d = this.detractors / this.responses;
    return p + d - (p - d) ** 2;
  }
}

export class GroupTally {
  customers = 0;
  eligible12 = 0;
  netValue12 = 0;
  retained12 = 0;
  readonly nps = new NpsTally();
}

export class BehaviourTally {
  customers = 0;
  months = 0;
  handlingCost = 0;
  feeRevenue = 0;
  /** Per-customer second moments of (handling cost, months), for the ratio's standard error. */
  costSquares = 0;
  monthSquares = 0;
  costTimesMonths = 0;
  readonly nps = new NpsTally();

  /** Handling cost per customer-month. */
  get costPerMonth(): number {
    return this.months === 0 ? 0 : this.handlingCost / this.months;
  }

  /**
   * Variance of costPerMonth by the delta method for a ratio of sums over
   * customers (Cochran, Sampling Techniques, 1977, §6.4):
   * Var(R) ≈ Σ(c_i − R·m_i)² / (n·(n−1)·m̄²).
   */
  get costPerMonthVariance(): number {
    const n = this.customers;
    if (n < 2 || this.months === 0) return 0;
    const r = this.costPerMonth;
    const residual = this.costSquares - 2 * r * this.costTimesMonths + r * r * this.monthSquares;
    const meanMonths = this.months / n;
    return residual / (n * (n - 1) * meanMonths * meanMonths);
  }
}

export type BehaviourKey = 'autopay' | 'paperless' | 'selfService';
export const BEHAVIOUR_FEES: Record<BehaviourKey, FeeType | null> = { autopay: 'late_fee', paperless: 'paper_bill_fee', selfService: null };

export class RealisedAccumulator {
  readonly all = new GroupTally();
  readonly ideal = new GroupTally();
  readonly misaligned = new GroupTally();
  readonly behaviours: Record<BehaviourKey, { adopters: BehaviourTally; others: BehaviourTally; expectedSaving: number }> = {
    autopay: { adopters: new BehaviourTally(), others: new BehaviourTally(), expectedSaving: 0 },
    paperless: { adopters: new BehaviourTally(), others: new BehaviourTally(), expectedSaving: 0 },
    selfService: { adopters: new BehaviourTally(), others: new BehaviourTally(), expectedSaving: 0 },
  };
  totalBilledMonths = 0;
  readonly fees = Object.fromEntries(
    FEE_TYPES.map((type) => [type, { revenue: 0, byClass: { detractor: 0, passive: 0, promoter: 0 } as Record<NpsClass, number> }]),
  ) as Record<FeeType, { revenue: number; byClass: Record<NpsClass, number> }>;
  readonly customersByClass: Record<NpsClass, number> = { detractor: 0, passive: 0, promoter: 0 };
  readonly quarterEnd = { customers: [0, 0], refundEligible: [0, 0], refunded: [0, 0], churned: [0, 0], months: [0, 0] };
  readonly experiment = { customers: [0, 0], churned: [0, 0], months: [0, 0] };
  readonly cohorts = new Map<string, { customers: number; ideal: number; channels: number[] }>();
  readonly intervention = { segmentBefore: new NpsTally(), segmentAfter: new NpsTally(), othersBefore: new NpsTally(), othersAfter: new NpsTally(), treated: 0, shiftSum: 0 };
  readonly drivers = { n: 0, sums: new Float64Array(9), cross: new Float64Array(81), csatSum: 0 };
  readonly comments = { count: 0, byTheme: {} as Record<string, number>, byLanguage: {} as Record<string, number>, multiline: 0 };
  readonly referrals = { pairs: 0, same: 0, referrerSegments: [0, 0, 0, 0], referredSegments: [0, 0, 0, 0], referralChannelCustomers: 0 };
  readonly revenue: Float64Array;
  /** Per customer: sum of net NPS scores and response count (for the referrers' satisfaction). */
  readonly npsNet: Int16Array;
  readonly npsCount: Uint16Array;
  readonly isReferrer: Uint8Array;

  constructor(
    customers: number,
    private readonly endMs: number,
    private readonly interventionMs: number,
    private readonly interventionRegion: string,
  ) {
    this.revenue = new Float64Array(customers);
    this.npsNet = new Int16Array(customers);
    this.npsCount = new Uint16Array(customers);
    this.isReferrer = new Uint8Array(customers);
  }

  addCustomer(o: CustomerOutcome): void {
    const { customer: c, life } = o;
    const groups = [this.all, ...(c.ideal ? [this.ideal] : []), ...(c.misaligned ? [this.misaligned] : [])];
    const windowEnd = addMonths(c.signupMs, NET_VALUE_WINDOW_MONTHS);
    const eligible = windowEnd <= this.endMs;
    let net12 = 0;
    let revenue = 0;
    let handlingCost = 0;
    const feeRevenue: Record<FeeType, number> = { late_fee: 0, paper_bill_fee: 0, overage_fee: 0 };
    let earlyRefund = false;
    for (const charge of life.charges) {
      const sign = charge.chargeType === 'credit' ? -1 : 1;
      const value = sign * charge.amountCents - charge.refundedCents;
      if (charge.atMs < windowEnd) net12 += value;
      if (charge.chargeType !== 'credit') revenue += charge.amountCents - charge.refundedCents;
      if (charge.chargeType === 'late_fee' || charge.chargeType === 'paper_bill_fee' || charge.chargeType === 'overage_fee') feeRevenue[charge.chargeType] += charge.amountCents;
      if (charge.refundedCents > 0 && charge.atMs < c.signupMs + EARLY_REFUND_WINDOW_DAYS * DAY_MS) earlyRefund = true;
    }
    net12 /= 100;
    life.tickets.forEach((ticket, i) => {
      const cost = (o.ticketMinutes[i] ?? 0) * HANDLING_COST_PER_MINUTE;
      handlingCost += cost;
      if (ticket.atMs < windowEnd) net12 -= cost;
    });
    this.revenue[c.index] = revenue / 100;
    const retained = life.churnMs === null || life.churnMs >= windowEnd;

    let latest: ResponseOutcome | undefined;
    for (const r of o.responses) {
      if (latest === undefined || r.recordedMs > latest.recordedMs) latest = r;
      this.addResponse(c, r);
    }
    for (const group of groups) {
      group.customers += 1;
      if (eligible) {
        group.eligible12 += 1;
        group.netValue12 += net12;
        if (retained) group.retained12 += 1;
      }
      for (const r of o.responses) group.nps.add(r.nps);
    }

    this.totalBilledMonths += life.billedMonths;
    const traits: SupportTraits = { autopay: c.autopay, paperless: c.paperless, selfService: c.selfService, ideal: c.ideal, misaligned: c.misaligned };
    for (const key of Object.keys(this.behaviours) as BehaviourKey[]) {
      const entry = this.behaviours[key];
      const tally = c[key] ? entry.adopters : entry.others;
      tally.customers += 1;
      tally.months += life.billedMonths;
      tally.handlingCost += handlingCost;
      tally.costSquares += handlingCost * handlingCost;
      tally.monthSquares += life.billedMonths * life.billedMonths;
      tally.costTimesMonths += handlingCost * life.billedMonths;
      const fee = BEHAVIOUR_FEES[key];
      if (fee !== null) tally.feeRevenue += feeRevenue[fee] / 100;
      for (const r of o.responses) tally.nps.add(r.nps);
      const withIt = expectedMonthlyHandlingCost({ ...traits, [key]: true });
      const without = expectedMonthlyHandlingCost({ ...traits, [key]: false });
      entry.expectedSaving += life.exposureMonths * (without - withIt);
    }

    const latestClass = latest === undefined ? null : npsClass(latest.nps);
    for (const type of FEE_TYPES) {
      this.fees[type].revenue += feeRevenue[type] / 100;
      if (latestClass !== null) this.fees[type].byClass[latestClass] += feeRevenue[type] / 100;
    }
    if (latestClass !== null) this.customersByClass[latestClass] += 1;

    const qe = c.quarterEnd ? 0 : 1;
    this.quarterEnd.customers[qe] = (this.quarterEnd.customers[qe] ?? 0) + 1;
    if (c.signupMs + EARLY_REFUND_WINDOW_DAYS * DAY_MS <= this.endMs) {
      this.quarterEnd.refundEligible[qe] = (this.quarterEnd.refundEligible[qe] ?? 0) + 1;
      if (earlyRefund) this.quarterEnd.refunded[qe] = (this.quarterEnd.refunded[qe] ?? 0) + 1;
    }
    const churned = life.churnMs === null ? 0 : 1;
    this.quarterEnd.churned[qe] = (this.quarterEnd.churned[qe] ?? 0) + churned;
    this.quarterEnd.months[qe] = (this.quarterEnd.months[qe] ?? 0) + life.billedMonths;
    const arm = c.experiment === 'treatment' ? 1 : 0;
    this.experiment.customers[arm] = (this.experiment.customers[arm] ?? 0) + 1;
    this.experiment.churned[arm] = (this.experiment.churned[arm] ?? 0) + churned;
    this.experiment.months[arm] = (this.experiment.months[arm] ?? 0) + life.billedMonths;

    const quarter = quarterLabel(c.signupMs);
    let cohort = this.cohorts.get(quarter);
    if (cohort === undefined) {
      cohort = { customers: 0, ideal: 0, channels: CHANNELS.map(() => 0) };
      this.cohorts.set(quarter, cohort);
    }
    cohort.customers += 1;
    if (c.ideal) cohort.ideal += 1;
    const channelIndex = CHANNELS.indexOf(c.channel);
    cohort.channels[channelIndex] = (cohort.channels[channelIndex] ?? 0) + 1;
    if (c.channel === 'referral') this.referrals.referralChannelCustomers += 1;
  }

  private addResponse(c: SimCustomer, r: ResponseOutcome): void {
    const values = [...r.ratings, r.nps];
    const d = this.drivers;
    d.n += 1;
    d.csatSum += r.csat;
    for (let i = 0; i < 9; i += 1) {
      const vi = values[i] ?? 0;
      d.sums[i] = (d.sums[i] ?? 0) + vi;
      for (let j = i; j < 9; j += 1) d.cross[i * 9 + j] = (d.cross[i * 9 + j] ?? 0) + vi * (values[j] ?? 0);
    }
    const after = r.recordedMs >= this.interventionMs;
    const inSegment = c.region === this.interventionRegion;
    const iv = this.intervention;
    (inSegment ? (after ? iv.segmentAfter : iv.segmentBefore) : after ? iv.othersAfter : iv.othersBefore).add(r.nps);
    if (r.treated) {
      iv.treated += 1;
      iv.shiftSum += netScore(r.nps) - netScore(r.counterfactualNps);
    }
    this.npsNet[c.index] = (this.npsNet[c.index] ?? 0) + netScore(r.nps);
    this.npsCount[c.index] = (this.npsCount[c.index] ?? 0) + 1;
    if (r.comment !== null) {
      const k = this.comments;
      k.count += 1;
      k.byTheme[r.comment.theme] = (k.byTheme[r.comment.theme] ?? 0) + 1;
      k.byLanguage[r.comment.language] = (k.byLanguage[r.comment.language] ?? 0) + 1;
      if (r.comment.text.includes('\n')) k.multiline += 1;
    }
  }

  addReferral(referrerIndex: number, referrerSegment: number, referredSegment: number): void {
    const r = this.referrals;
    r.pairs += 1;
    if (referrerSegment === referredSegment) r.same += 1;
    r.referrerSegments[referrerSegment] = (r.referrerSegments[referrerSegment] ?? 0) + 1;
    r.referredSegments[referredSegment] = (r.referredSegments[referredSegment] ?? 0) + 1;
    this.isReferrer[referrerIndex] = 1;
  }

  /** Pearson correlations of Q2_1..Q2_8 and Q1 over clean responses. */
  correlation(): number[][] {
    const { n, sums, cross } = this.drivers;
    const cov = (i: number, j: number): number => {
      const [a, b] = i <= j ? [i, j] : [j, i];
      return (cross[a * 9 + b] ?? 0) / n - ((sums[i] ?? 0) / n) * ((sums[j] ?? 0) / n);
    };
    return Array.from({ length: 9 }, (_, i) => Array.from({ length: 9 }, (_, j) => cov(i, j) / Math.sqrt(cov(i, i) * cov(j, j))));
  }

  areaMeans(): Record<string, number> {
    return Object.fromEntries(AREAS.map((area, i) => [area.key, (this.drivers.sums[i] ?? 0) / Math.max(1, this.drivers.n)]));
  }
}

export function netScore(answer: number): number {
  return answer >= 9 ? 1 : answer <= 6 ? -1 : 0;
}
