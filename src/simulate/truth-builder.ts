import { CHANNELS, MISALIGNED_PROFILE, IDEAL_PROFILE, channelShares, expectedIdealShare } from './acquisition.js';
import type { ArrivalDay } from './arrivals.js';
import { QUARTER_END_DAYS, QUARTER_END_INTAKE_RATIO } from './arrivals.js';
import { EARLY_REFUND_PROBABILITY, FEE_TYPES, OTHER_CHARGES, type FeeType } from './billing.js';
import { addMonths, parseIsoDate, quarterLabel } from './calendar.js';
import { THEMES } from './comments.js';
import { ADOPTION } from './customer-factory.js';
import { CHURN } from './customer-life.js';
import { PII_COLUMNS, type FileKey } from './files.js';
import type { ResolvedOptions } from './options.js';
import type { PlantLog, PlantedOutput } from './planted-output.js';
import { BEHAVIOUR_FEES, NET_VALUE_WINDOW_MONTHS, type BehaviourKey, type GroupTally, type NpsTally, type RealisedAccumulator } from './realised-accumulator.js';
import { ACCEPTANCE_IF_UNHAPPY, SAME_SEGMENT_PROBABILITY } from './referrer-pool.js';
import { observedScaleWeights } from './observed-scale-weights.js';
import { driverWeights } from './relative-weights.js';
import { AREAS, PLANTED_R_SQUARED, SATISFACTION_SHIFTS, WEAK_AREA, plantedCorrelation, plantedWeights } from './satisfaction.js';
import { HANDLING_COST_PER_MINUTE, IDEAL_TICKET_MULTIPLIER, MISALIGNED_COMPLAINT_RATE } from './support.js';
import type { Truth } from './truth.js';
import { valueConcentration } from './value-concentration.js';

/** Planted targets the generating parameters were calibrated to reach. */
export const TARGETS = { idealShare: 0.08, fitLift: 1.6, overageConcentration: 1.5, fairFeeConcentration: 1.0 } as const;

const round = (value: number, digits = 6): number => {
  if (!Number.isFinite(value)) return 0;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};
const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);
const byArea = (values: readonly number[]): Record<string, number> => Object.fromEntries(AREAS.map((area, i) => [area.key, round(values[i] ?? 0)]));

function group(g: GroupTally, all: GroupTally) {
  return {
    customers: g.customers,
    share: round(ratio(g.customers, all.customers)),
    eligible12: g.eligible12,
    meanNetValue12: round(ratio(g.netValue12, g.eligible12), 4),
    retention12: round(ratio(g.retained12, g.eligible12)),
    responses: g.nps.responses,
    nps: round(g.nps.nps, 4),
  };
}

const BEHAVIOUR_INFO: Record<BehaviourKey, { name: string; event: string; mechanism: string }> = {
  autopay: { name: 'autopay', event: 'autopay_on', mechanism: 'no late fees; billing tickets 0.10 -> 0.02 per customer-month' },
  paperless: { name: 'paperless_billing', event: 'paperless_billing_on', mechanism: 'no paper_bill_fee; paper-bill tickets 0.05 -> 0 per customer-month' },
  selfService: { name: 'self_service', event: 'self_service_login', mechanism: 'account and how-to tickets (mostly phone) 0.14 -> 0.04 per customer-month' },
};

export interface TruthInputs {
  opts: ResolvedOptions;
  startDate: string;
  names: Record<FileKey, string>;
  acc: RealisedAccumulator;
  days: readonly ArrivalDay[];
  outputs: Record<FileKey, PlantedOutput>;
  log: PlantLog;
  interventionDate: string;
  prospects: { count: number; matchingIdealProfile: number };
}

function driversTruth(acc: RealisedAccumulator): Truth['drivers'] {
  const r = plantedCorrelation();
  const beta = plantedWeights();
  const rxy = r.map((row) => row.reduce((sum, value, j) => sum + value * (beta[j] ?? 0), 0));
  const planted = driverWeights(r, rxy);
  const observed = observedScaleWeights();
  const corr = acc.correlation();
  const realised = driverWeights(corr.slice(0, 8).map((row) => row.slice(0, 8)), corr.slice(0, 8).map((row) => row[8] ?? 0));
  const d = acc.drivers;
  return {
    areas: AREAS.map((area, i) => ({ key: area.key, column: `Q2_${i + 1}`, label: area.label })),
    outcome: 'Q1',
    weakArea: WEAK_AREA,
    planted: {
      standardizedWeights: byArea(beta),
      correlation: r.map((row) => row.map((v) => round(v))),
      rSquared: PLANTED_R_SQUARED,
      relativeWeights: byArea(planted.relativeWeights),
      relativeWeightShares: byArea(planted.relativeWeightShares),
      latentAreaOffsets: Object.fromEntries(AREAS.map((area) => [area.key, area.offset])),
      observedScale: { rSquared: round(observed.rSquared), relativeWeights: byArea(observed.relativeWeights), relativeWeightShares: byArea(observed.relativeWeightShares) },
    },
    realised: {
      responses: d.n,
      areaMeans: Object.fromEntries(Object.entries(acc.areaMeans()).map(([k, v]) => [k, round(v)])),
      correlation: corr.map((row) => row.map((v) => round(v))),
      standardizedWeights: byArea(realised.standardizedWeights),
      rSquared: round(realised.rSquared),
      relativeWeights: byArea(realised.relativeWeights),
      relativeWeightShares: byArea(realised.relativeWeightShares),
      npsMean: round(ratio(d.sums[8] ?? 0, d.n)),
      csatMean: round(ratio(d.csatSum, d.n)),
    },
  };
}

function feesTruth(acc: RealisedAccumulator): Truth['fees'] {
  const known = acc.customersByClass.detractor + acc.customersByClass.passive + acc.customersByClass.promoter;
  const detractorCustomerShare = ratio(acc.customersByClass.detractor, known);
  return FEE_TYPES.map((type: FeeType) => {
    const f = acc.fees[type];
    const knownRevenue = f.byClass.detractor + f.byClass.passive + f.byClass.promoter;
    const detractorRevenueShare = ratio(f.byClass.detractor, knownRevenue);
    return {
      chargeType: type,
      planted: {
        concentrationRatio: type === 'overage_fee' ? TARGETS.overageConcentration : TARGETS.fairFeeConcentration,
        mechanism: type === 'overage_fee'
          ? `customers prone to overage (${ADOPTION.overageProne * 100}%) pay it most months and are far less satisfied (latent shift ${SATISFACTION_SHIFTS.overageProne})`
          : 'charged independently of satisfaction',
      },
      realised: {
        revenue: round(f.revenue, 2),
        revenueKnownClass: round(knownRevenue, 2),
        detractorRevenue: round(f.byClass.detractor, 2),
        detractorRevenueShare: round(detractorRevenueShare),
        detractorCustomerShare: round(detractorCustomerShare),
        concentrationRatio: round(ratio(detractorRevenueShare, detractorCustomerShare)),
      },
    };
  });
}

function quarterMix(cohort: number, shift: number): { idealShare: number; channelShares: Record<string, number> } {
  const shares = channelShares(cohort, shift);
  return { idealShare: round(expectedIdealShare(cohort, shift)), channelShares: Object.fromEntries(CHANNELS.map((c, i) => [c, round(shares[i] ?? 0)])) };
}

function driftTruth(inputs: TruthInputs): Truth['acquisitionDrift'] {
  const { acc, opts } = inputs;
  const startMs = parseIsoDate(inputs.startDate);
  const endMs = parseIsoDate(opts.asOf) + 86_400_000;
  const planted: Truth['acquisitionDrift']['planted']['byQuarter'] = [];
  // Calendar quarters, clipped to the history, evaluated at their middle.
  const first = new Date(startMs);
  let quarterStart = Date.UTC(first.getUTCFullYear(), first.getUTCMonth() - (first.getUTCMonth() % 3), 1);
  while (quarterStart < endMs) {
    const next = addMonths(quarterStart, 3);
    const from = Math.max(startMs, quarterStart);
    const to = Math.min(endMs, next);
    planted.push({ quarter: quarterLabel(from), ...quarterMix(((from + to) / 2 - startMs) / (endMs - startMs), opts.shift.acquisitionMix) });
    quarterStart = next;
  }
  const realised = [...acc.cohorts.entries()].map(([quarter, c]) => ({
    quarter,
    customers: c.customers,
    idealShare: round(ratio(c.ideal, c.customers)),
    channelShares: Object.fromEntries(CHANNELS.map((name, i) => [name, round(ratio(c.channels[i] ?? 0, c.customers))])),
  }));
  const yearShare = (rows: typeof realised): number =>
    ratio(rows.reduce((s, r) => s + r.idealShare * r.customers, 0), rows.reduce((s, r) => s + r.customers, 0));
  return {
    planted: { byQuarter: planted },
    realised: { byQuarter: realised, firstYearIdealShare: round(yearShare(realised.slice(0, 4))), lastYearIdealShare: round(yearShare(realised.slice(-4))) },
  };
}

function interventionTruth(inputs: TruthInputs): Truth['intervention'] {
  const iv = inputs.acc.intervention;
  const cells = [iv.segmentBefore, iv.segmentAfter, iv.othersBefore, iv.othersAfter];
  const variance = cells.reduce((sum, t: NpsTally) => sum + ratio(t.variance, t.responses), 0);
  return {
    name: 'North network upgrade',
    date: inputs.interventionDate,
    segment: { column: 'Region', value: 'North' },
    effectNpsPoints: 3,
    realised: {
      treatedResponses: iv.treated,
      counterfactualShiftPoints: round(ratio(100 * iv.shiftSum, iv.treated), 4),
      npsSegmentBefore: round(iv.segmentBefore.nps, 4),
      npsSegmentAfter: round(iv.segmentAfter.nps, 4),
      npsOthersBefore: round(iv.othersBefore.nps, 4),
      npsOthersAfter: round(iv.othersAfter.nps, 4),
      cells: { segmentBefore: iv.segmentBefore.responses, segmentAfter: iv.segmentAfter.responses, othersBefore: iv.othersBefore.responses, othersAfter: iv.othersAfter.responses },
      differenceInDifferences: round(iv.segmentAfter.nps - iv.segmentBefore.nps - (iv.othersAfter.nps - iv.othersBefore.nps), 4),
      standardError: round(100 * Math.sqrt(variance), 4),
    },
  };
}

export function buildTruth(inputs: TruthInputs): Truth {
  const { acc, opts, names, outputs, log } = inputs;
  const qe = acc.quarterEnd;
  const qeDays = inputs.days.filter((d) => d.quarterEnd).length;
  const otherDays = inputs.days.length - qeDays;
  const refundRate = (i: number): number => ratio(qe.refunded[i] ?? 0, qe.refundEligible[i] ?? 0);
  const churnRate = (t: { churned: number[]; months: number[] }, i: number): number => ratio(t.churned[i] ?? 0, t.months[i] ?? 0);
  const ref = acc.referrals;
  const chance = ref.referrerSegments.reduce((s, count, i) => s + ratio(count, ref.pairs) * ratio(ref.referredSegments[i] ?? 0, ref.pairs), 0);
  const referring = { yes: { net: 0, n: 0 }, no: { net: 0, n: 0 } };
  let referrers = 0;
  for (let i = 0; i < acc.npsCount.length; i += 1) {
    const bucket = acc.isReferrer[i] === 1 ? referring.yes : referring.no;
    if (acc.isReferrer[i] === 1) referrers += 1;
    bucket.net += acc.npsNet[i] ?? 0;
    bucket.n += acc.npsCount[i] ?? 0;
  }
  const concentration = valueConcentration(acc.revenue);
  const fileKeys = Object.keys(outputs) as FileKey[];

  return {
    schemaVersion: 1,
    company: 'Northwind Telecom',
    currency: 'USD',
    seed: opts.seed,
    customers: opts.customers,
    asOf: opts.asOf,
    startDate: inputs.startDate,
    months: opts.months,
    shift: { acquisitionMix: opts.shift.acquisitionMix },
    files: { ...names, truth: 'truth.json' },
    rows: Object.fromEntries(fileKeys.map((key) => {
      const o = outputs[key];
      return [key, { dataRows: o.writer.dataRows, clean: o.clean, bad: o.bad, exactDuplicates: o.duplicates, excluded: o.excluded }];
    })),
    assumptions: {
      handlingCostPerAgentMinute: HANDLING_COST_PER_MINUTE,
      netValueWindowMonths: NET_VALUE_WINDOW_MONTHS,
      netValue: 'over [signup, signup + 12 months): charges (subscription, one_off, fees) - Amount Refunded - credit charges - handling cost of tickets created in the window (Full resolution time in minutes x handlingCostPerAgentMinute); only customers whose window ends by as_of',
      revenue: 'per customer over the whole history: non-credit charges - Amount Refunded',
      customerNpsClass: 'from the customer\'s latest survey response (RecordedDate): 0-6 detractor, 7-8 passive, 9-10 promoter',
      customerMonth: 'one subscription charge (charge_type subscription) = one billed customer-month',
      stripeFee: 'the Fee column is Stripe\'s processing fee, a company cost; it is not in net value',
    },
    idealSegment: {
      definition: { channel: IDEAL_PROFILE.channel, contractType: IDEAL_PROFILE.contract, segment: IDEAL_PROFILE.segment },
      planted: { share: TARGETS.idealShare, fitLift: TARGETS.fitLift, satisfactionShift: SATISFACTION_SHIFTS.ideal, churnHazardRatio: CHURN.idealRatio, ticketRateRatio: IDEAL_TICKET_MULTIPLIER },
      realised: { ideal: group(acc.ideal, acc.all), all: group(acc.all, acc.all), fitLift: round(ratio(ratio(acc.ideal.netValue12, acc.ideal.eligible12), ratio(acc.all.netValue12, acc.all.eligible12))) },
    },
    misalignedSegment: {
      definition: { channel: MISALIGNED_PROFILE.channel, contractType: MISALIGNED_PROFILE.contract, segment: MISALIGNED_PROFILE.segment },
      planted: { satisfactionShift: SATISFACTION_SHIFTS.misaligned, churnHazardRatio: CHURN.misalignedRatio, complaintTicketsPerMonth: MISALIGNED_COMPLAINT_RATE, creditProbabilityPerMonth: OTHER_CHARGES.creditProbabilityMisaligned },
      realised: { misaligned: group(acc.misaligned, acc.all), all: group(acc.all, acc.all) },
    },
    drivers: driversTruth(acc),
    behaviours: (Object.keys(acc.behaviours) as BehaviourKey[]).map((key) => {
      const b = acc.behaviours[key];
      const perMonth = (v: number, months: number): number => ratio(v, months);
      const costA = b.adopters.costPerMonth;
      const costN = b.others.costPerMonth;
      return {
        name: BEHAVIOUR_INFO[key].name,
        event: BEHAVIOUR_INFO[key].event,
        planted: {
          adoption: ADOPTION[key],
          mechanism: BEHAVIOUR_INFO[key].mechanism + (BEHAVIOUR_FEES[key] === null ? '' : `; avoids ${BEHAVIOUR_FEES[key]}`),
          savingPerCustomerMonth: round(ratio(b.expectedSaving, acc.totalBilledMonths), 4),
          satisfactionShift: SATISFACTION_SHIFTS[key],
        },
        realised: {
          adopters: b.adopters.customers,
          nonAdopters: b.others.customers,
          adopterMonths: b.adopters.months,
          nonAdopterMonths: b.others.months,
          handlingCostPerMonthAdopters: round(costA, 4),
          handlingCostPerMonthNonAdopters: round(costN, 4),
          savingPerCustomerMonth: round(costN - costA, 4),
          savingStandardError: round(Math.sqrt(b.adopters.costPerMonthVariance + b.others.costPerMonthVariance), 4),
          feeRevenuePerMonthAdopters: round(perMonth(b.adopters.feeRevenue, b.adopters.months), 4),
          feeRevenuePerMonthNonAdopters: round(perMonth(b.others.feeRevenue, b.others.months), 4),
          npsAdopters: round(b.adopters.nps.nps, 4),
          npsNonAdopters: round(b.others.nps.nps, 4),
        },
      };
    }),
    referring: {
      event: 'referral_sent',
      planted: { moreSatisfied: true, acceptanceIfUnhappy: ACCEPTANCE_IF_UNHAPPY },
      realised: { referrers, npsReferrers: round(ratio(100 * referring.yes.net, referring.yes.n), 4), npsOthers: round(ratio(100 * referring.no.net, referring.no.n), 4) },
    },
    fees: feesTruth(acc),
    quarterEndPush: {
      windowDays: QUARTER_END_DAYS,
      planted: {
        intakeRatio: QUARTER_END_INTAKE_RATIO,
        earlyRefundRateQuarterEnd: EARLY_REFUND_PROBABILITY.quarterEnd,
        earlyRefundRateOther: EARLY_REFUND_PROBABILITY.other,
        refundExcessPp: round(100 * (EARLY_REFUND_PROBABILITY.quarterEnd - EARLY_REFUND_PROBABILITY.other), 4),
        churnHazardRatio: CHURN.quarterEndRatio,
      },
      realised: {
        quarterEndCustomers: qe.customers[0] ?? 0,
        otherCustomers: qe.customers[1] ?? 0,
        quarterEndDays: qeDays,
        otherDays,
        intakeRatio: round(ratio(ratio(qe.customers[0] ?? 0, qeDays), ratio(qe.customers[1] ?? 0, otherDays))),
        refundRateQuarterEnd: round(refundRate(0)),
        refundRateOther: round(refundRate(1)),
        refundExcessPp: round(100 * (refundRate(0) - refundRate(1)), 4),
        churnRateQuarterEnd: round(churnRate(qe, 0)),
        churnRateOther: round(churnRate(qe, 1)),
        churnHazardRatio: round(ratio(churnRate(qe, 0), churnRate(qe, 1))),
      },
    },
    referrals: {
      planted: { sameSegmentProbability: SAME_SEGMENT_PROBABILITY },
      realised: { pairs: ref.pairs, sameSegmentShare: round(ratio(ref.same, ref.pairs)), chanceShare: round(chance), referralChannelCustomers: ref.referralChannelCustomers },
    },
    acquisitionDrift: driftTruth(inputs),
    intervention: interventionTruth(inputs),
    experiment: {
      name: 'Proactive retention outreach',
      column: 'Experiment Group',
      control: 'control',
      treatment: 'treatment',
      metric: 'monthly churn hazard: churned customers per billed customer-month',
      planted: { churnHazardRatio: CHURN.treatmentRatio },
      realised: {
        control: acc.experiment.customers[0] ?? 0,
        treatment: acc.experiment.customers[1] ?? 0,
        churnRateControl: round(churnRate(acc.experiment, 0)),
        churnRateTreatment: round(churnRate(acc.experiment, 1)),
        churnHazardRatio: round(ratio(churnRate(acc.experiment, 1), churnRate(acc.experiment, 0))),
      },
    },
    comments: {
      file: names.comments,
      themes: THEMES.map((t) => ({ key: t.key, label: t.label, area: t.area, sentiment: t.sentiment })),
      realised: { comments: acc.comments.count, byTheme: acc.comments.byTheme, byLanguage: acc.comments.byLanguage, multiline: acc.comments.multiline },
    },
    valueConcentration: { customers: acc.revenue.length, top10Share: round(concentration.top10Share), top20Share: round(concentration.top20Share), gini: round(concentration.gini) },
    prospects: inputs.prospects,
    pii: fileKeys.flatMap((key) => (PII_COLUMNS[key] ?? []).map((column) => ({ file: names[key], column }))),
    badRows: log.badRows,
    exactDuplicates: log.exactDuplicates,
    excluded: log.excluded,
  };
}
