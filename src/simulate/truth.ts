import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { UserError } from '../errors.js';
import { QUARANTINE_REASONS, type QuarantineReason } from '../model/ledger.js';

/**
 * truth.json: what the simulator planted and what it realised on the files
 * it wrote. Documented field by field in docs/simulated-company.md. Money is
 * USD; NPS is on the -100..100 scale; shares are 0..1; `...Pp` fields are
 * percentage points.
 */
const isoDate = z.iso.date();
const count = z.number().int().nonnegative();
const share = z.number().min(0).max(1);
const byArea = z.record(z.string(), z.number());
const quarantineReason = z.enum(Object.keys(QUARANTINE_REASONS) as [QuarantineReason, ...QuarantineReason[]]);

const profile = z.object({ channel: z.string(), contractType: z.string(), segment: z.string() });

const groupValue = z.object({
  customers: count,
  share,
  /** Customers whose first 12 months are inside the history. */
  eligible12: count,
  meanNetValue12: z.number(),
  retention12: share,
  responses: count,
  nps: z.number(),
});

const behaviour = z.object({
  name: z.string(),
  event: z.string(),
  planted: z.object({
    adoption: share,
    mechanism: z.string(),
    /** Expected handling cost saved per customer-month, from the model's ticket rates over the realised customer-months. */
    savingPerCustomerMonth: z.number(),
    /** Shift of the latent recommendation for adopters (0 = no satisfaction link). */
    satisfactionShift: z.number(),
  }),
  realised: z.object({
    adopters: count,
    nonAdopters: count,
    adopterMonths: count,
    nonAdopterMonths: count,
    handlingCostPerMonthAdopters: z.number(),
    handlingCostPerMonthNonAdopters: z.number(),
    savingPerCustomerMonth: z.number(),
    /** Standard error of the realised saving (delta method, customers as clusters). */
    savingStandardError: z.number(),
    feeRevenuePerMonthAdopters: z.number(),
    feeRevenuePerMonthNonAdopters: z.number(),
    npsAdopters: z.number(),
    npsNonAdopters: z.number(),
  }),
});

const fee = z.object({
  chargeType: z.string(),
  planted: z.object({ concentrationRatio: z.number(), mechanism: z.string() }),
  realised: z.object({
    revenue: z.number(),
    revenueKnownClass: z.number(),
    detractorRevenue: z.number(),
    detractorRevenueShare: share,
    detractorCustomerShare: share,
    concentrationRatio: z.number(),
  }),
});

const cohortMix = z.object({ quarter: z.string(), idealShare: share, channelShares: z.record(z.string(), share) });

export const truthSchema = z.object({
  schemaVersion: z.literal(1),
  company: z.string(),
  currency: z.literal('USD'),
  seed: z.number().int().nonnegative(),
  customers: count,
  asOf: isoDate,
  startDate: isoDate,
  months: z.number().int().positive(),
  shift: z.object({ acquisitionMix: z.number() }),
  files: z.record(z.string(), z.string()),
  rows: z.record(z.string(), z.object({ dataRows: count, clean: count, bad: count, exactDuplicates: count, excluded: count })),
  assumptions: z.object({
    handlingCostPerAgentMinute: z.number(),
    netValueWindowMonths: z.number().int(),
    netValue: z.string(),
    revenue: z.string(),
    customerNpsClass: z.string(),
    customerMonth: z.string(),
    stripeFee: z.string(),
  }),
  idealSegment: z.object({
    definition: profile,
    planted: z.object({ share: z.number(), fitLift: z.number(), satisfactionShift: z.number(), churnHazardRatio: z.number(), ticketRateRatio: z.number() }),
    realised: z.object({ ideal: groupValue, all: groupValue, fitLift: z.number() }),
  }),
  misalignedSegment: z.object({
    definition: profile,
    planted: z.object({ satisfactionShift: z.number(), churnHazardRatio: z.number(), complaintTicketsPerMonth: z.number(), creditProbabilityPerMonth: z.number() }),
    realised: z.object({ misaligned: groupValue, all: groupValue }),
  }),
  drivers: z.object({
    areas: z.array(z.object({ key: z.string(), column: z.string(), label: z.string() })),
    outcome: z.literal('Q1'),
    weakArea: z.string(),
    planted: z.object({
      standardizedWeights: byArea,
      correlation: z.array(z.array(z.number())),
      rSquared: z.number(),
      relativeWeights: byArea,
      relativeWeightShares: byArea,
      latentAreaOffsets: byArea,
      /**
       * The same model's weights on the scales the survey records (ratings 1-5
       * and NPS 0-10, rounded and clamped), which weaken correlations unevenly:
       * what an estimator on the answers can recover (observed-scale-weights.ts).
       */
      observedScale: z.object({ rSquared: z.number(), relativeWeights: byArea, relativeWeightShares: byArea }),
    }),
    realised: z.object({
      responses: count,
      areaMeans: byArea,
      correlation: z.array(z.array(z.number())),
      standardizedWeights: byArea,
      rSquared: z.number(),
      relativeWeights: byArea,
      relativeWeightShares: byArea,
      npsMean: z.number(),
      csatMean: z.number(),
    }),
  }),
  behaviours: z.array(behaviour),
  referring: z.object({
    event: z.literal('referral_sent'),
    planted: z.object({ moreSatisfied: z.boolean(), acceptanceIfUnhappy: share }),
    realised: z.object({ referrers: count, npsReferrers: z.number(), npsOthers: z.number() }),
  }),
  fees: z.array(fee),
  quarterEndPush: z.object({
    windowDays: z.number().int(),
    planted: z.object({ intakeRatio: z.number(), earlyRefundRateQuarterEnd: share, earlyRefundRateOther: share, refundExcessPp: z.number(), churnHazardRatio: z.number() }),
    realised: z.object({
      quarterEndCustomers: count,
      otherCustomers: count,
      quarterEndDays: count,
      otherDays: count,
      intakeRatio: z.number(),
      refundRateQuarterEnd: share,
      refundRateOther: share,
      refundExcessPp: z.number(),
      churnRateQuarterEnd: z.number(),
      churnRateOther: z.number(),
      churnHazardRatio: z.number(),
    }),
  }),
  referrals: z.object({
    planted: z.object({ sameSegmentProbability: share }),
    realised: z.object({ pairs: count, sameSegmentShare: share, chanceShare: share, referralChannelCustomers: count }),
  }),
  acquisitionDrift: z.object({
    planted: z.object({ byQuarter: z.array(cohortMix) }),
    realised: z.object({ byQuarter: z.array(cohortMix.extend({ customers: count })), firstYearIdealShare: share, lastYearIdealShare: share }),
  }),
  intervention: z.object({
    name: z.string(),
    date: isoDate,
    segment: z.object({ column: z.string(), value: z.string() }),
    effectNpsPoints: z.number(),
    realised: z.object({
      treatedResponses: count,
      counterfactualShiftPoints: z.number(),
      npsSegmentBefore: z.number(),
      npsSegmentAfter: z.number(),
      npsOthersBefore: z.number(),
      npsOthersAfter: z.number(),
      cells: z.object({ segmentBefore: count, segmentAfter: count, othersBefore: count, othersAfter: count }),
      differenceInDifferences: z.number(),
      standardError: z.number(),
    }),
  }),
  experiment: z.object({
    name: z.string(),
    column: z.string(),
    control: z.string(),
    treatment: z.string(),
    metric: z.string(),
    planted: z.object({ churnHazardRatio: z.number() }),
    realised: z.object({ control: count, treatment: count, churnRateControl: z.number(), churnRateTreatment: z.number(), churnHazardRatio: z.number() }),
  }),
  comments: z.object({
    file: z.string(),
    themes: z.array(z.object({ key: z.string(), label: z.string(), area: z.string(), sentiment: z.enum(['positive', 'negative']) })),
    realised: z.object({ comments: count, byTheme: z.record(z.string(), count), byLanguage: z.record(z.string(), count), multiline: count }),
  }),
  valueConcentration: z.object({ customers: count, top10Share: share, top20Share: share, gini: z.number() }),
  prospects: z.object({ count, matchingIdealProfile: count }),
  pii: z.array(z.object({ file: z.string(), column: z.string() })),
  badRows: z.array(z.object({ file: z.string(), line: z.number().int().positive(), reason: quarantineReason })),
  exactDuplicates: z.array(z.object({ file: z.string(), line: z.number().int().positive() })),
  excluded: z.array(z.object({ file: z.string(), line: z.number().int().positive(), rule: z.string() })),
});

export type Truth = z.infer<typeof truthSchema>;

/** Reads and validates a truth.json written by `simulateCompany`. */
export async function readTruth(path: string): Promise<Truth> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new UserError('truth_missing', `Cannot read ${path}.`, { hint: 'Run `cxray simulate --out DIR` first; truth.json is written last.', file: path, cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new UserError('truth_invalid', `${path} is not valid JSON.`, { hint: 'Regenerate it with `cxray simulate`.', file: path, cause });
  }
  const parsed = truthSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError('truth_invalid', `${path} does not match the truth schema: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(), {
      hint: 'It was written by another version of cxray; regenerate it with `cxray simulate`.',
      file: path,
    });
  }
  return parsed.data;
}
