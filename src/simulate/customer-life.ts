import type { Contract, Plan, Segment } from './acquisition.js';
import {
  EARLY_REFUND_PROBABILITY,
  FEES,
  OTHER_CHARGES,
  creditCharge,
  feeCharge,
  oneOffCharge,
  subscriptionPriceCents,
  type ChargeDraft,
} from './billing.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS, addMonths } from './calendar.js';
import type { Rng } from './random.js';
import {
  CANCELLATION_TICKET_PROBABILITY,
  drawTicket,
  monthlyTicketRates,
  pickReason,
  type SupportTraits,
  type TicketDraft,
} from './support.js';

/**
 * One customer's life, month by month from signup: a plan charge on each
 * monthly anniversary while active, fee lines, refunds and credits, help-desk
 * tickets, survey invitations answered, web events, and churn (a monthly
 * hazard). Everything stops at churn or at the end of the history.
 */
export interface LifeTraits extends SupportTraits {
  segment: Segment;
  contract: Contract;
  plan: Plan;
  quarterEnd: boolean;
  treatment: boolean;
  overageProne: boolean;
}

export const CHURN = {
  monthlyHazard: { monthly: 0.042, annual: 0.013 },
  idealRatio: 0.5,
  misalignedRatio: 1.5,
  enterpriseRatio: 0.8,
  /** Planted: customers sold in the quarter-end push churn faster. */
  quarterEndRatio: 1.8,
  /** Planted: the A/B test's treatment (proactive retention outreach). */
  treatmentRatio: 0.8,
} as const;

/** Survey responses per active customer-month. */
export const SURVEY_RESPONSE_RATE = 0.07;
export const EVENT_RATES = { appLogin: 0.3, pageView: 0.35, selfServiceLogin: 0.45 } as const;

export type EventName = 'paperless_billing_on' | 'autopay_on' | 'self_service_login' | 'app_login' | 'referral_sent' | 'page_view';

export interface EventDraft {
  atMs: number;
  name: EventName;
}

export interface CustomerLife {
  /** Subscription charges written (= customer-months billed). */
  billedMonths: number;
  /** Active time in months (the last month may be partial). */
  exposureMonths: number;
  churnMs: number | null;
  cancellationReason: string;
  charges: ChargeDraft[];
  tickets: TicketDraft[];
  surveyTimes: number[];
  events: EventDraft[];
}

export function monthlyChurnHazard(t: LifeTraits): number {
  let hazard = CHURN.monthlyHazard[t.contract];
  if (t.ideal) hazard *= CHURN.idealRatio;
  if (t.misaligned) hazard *= CHURN.misalignedRatio;
  if (t.segment === 'enterprise') hazard *= CHURN.enterpriseRatio;
  if (t.quarterEnd) hazard *= CHURN.quarterEndRatio;
  if (t.treatment) hazard *= CHURN.treatmentRatio;
  return Math.min(hazard, 0.9);
}

const CANCELLATION_REASONS = ['too_expensive', 'switched_service', 'unused', 'customer_service', 'low_quality', 'other'];
const CANCELLATION_WEIGHTS = [0.35, 0.25, 0.15, 0.1, 0.05, 0.1];
const CANCELLATION_WEIGHTS_MISALIGNED = [0.15, 0.1, 0.05, 0.4, 0.25, 0.05];

/** A whole-second time uniform in [from, to). */
function timeIn(rng: Rng, from: number, to: number): number {
  return from + Math.floor((rng.float() * (to - from)) / SECOND_MS) * SECOND_MS;
}

export function simulateLife(rng: Rng, signupMs: number, endMs: number, traits: LifeTraits): CustomerLife {
  const life: CustomerLife = { billedMonths: 0, exposureMonths: 0, churnMs: null, cancellationReason: '', charges: [], tickets: [], surveyTimes: [], events: [] };
  const hazard = monthlyChurnHazard(traits);
  const price = subscriptionPriceCents(traits.plan, traits.contract);
  const earlyRefund = rng.chance(traits.quarterEnd ? EARLY_REFUND_PROBABILITY.quarterEnd : EARLY_REFUND_PROBABILITY.other);
  const earlyRefundMonth = rng.chance(0.7) ? 0 : 1;
  const rates = monthlyTicketRates(traits);
  const totalTicketRate = Object.values(rates).reduce((sum, rate) => sum + rate, 0);
  const overageProbability = traits.overageProne ? FEES.overageProbabilityProne : FEES.overageProbabilityOther;
  const creditProbability = traits.misaligned ? OTHER_CHARGES.creditProbabilityMisaligned : OTHER_CHARGES.creditProbability;

  for (let k = 0; ; k += 1) {
    const start = addMonths(signupMs, k);
    if (start >= endMs) break;
    const next = addMonths(signupMs, k + 1);
    const churnAt = rng.chance(hazard) ? start + HOUR_MS + Math.floor((rng.float() * (next - start - HOUR_MS)) / MINUTE_MS) * MINUTE_MS : null;
    const stop = Math.min(next, endMs, churnAt ?? Number.POSITIVE_INFINITY);
    const fraction = (stop - start) / (next - start);
    life.billedMonths += 1;
    life.exposureMonths += fraction;

    const invoiceAt = start + rng.int(0, 59) * SECOND_MS;
    const refunded = earlyRefund && k === earlyRefundMonth
      ? price
      : k >= 3 && rng.chance(OTHER_CHARGES.laterPartialRefundProbability) ? Math.round(price / 2) : 0;
    life.charges.push({
      atMs: invoiceAt,
      amountCents: price,
      refundedCents: refunded,
      chargeType: 'subscription',
      product: traits.plan,
      description: k === 0 ? 'Subscription creation' : 'Subscription update',
    });
    const within = (at: number): boolean => at < stop;
    if (!traits.paperless && within(invoiceAt + MINUTE_MS)) life.charges.push(feeCharge(rng, 'paper_bill_fee', invoiceAt + MINUTE_MS));
    if (!traits.autopay && rng.chance(FEES.lateFeeProbability)) {
      const at = start + rng.int(12, 20) * DAY_MS + rng.int(0, 86_399) * SECOND_MS;
      if (within(at)) life.charges.push(feeCharge(rng, 'late_fee', at));
    }
    if (rng.chance(overageProbability)) {
      const at = start + rng.int(24, 27) * DAY_MS + rng.int(0, 86_399) * SECOND_MS;
      if (within(at)) life.charges.push(feeCharge(rng, 'overage_fee', at));
    }
    if (rng.chance(OTHER_CHARGES.oneOffProbability)) life.charges.push(oneOffCharge(rng, timeIn(rng, start, stop)));
    if (rng.chance(creditProbability)) life.charges.push(creditCharge(rng, timeIn(rng, start, stop), traits.misaligned));

    const tickets = rng.poisson(totalTicketRate * fraction);
    for (let i = 0; i < tickets; i += 1) life.tickets.push(drawTicket(rng, pickReason(rng, rates), timeIn(rng, start, stop)));
    if (rng.chance(SURVEY_RESPONSE_RATE * fraction)) life.surveyTimes.push(timeIn(rng, start, stop));
    const appLogins = rng.poisson(EVENT_RATES.appLogin * fraction);
    for (let i = 0; i < appLogins; i += 1) life.events.push({ atMs: timeIn(rng, start, stop), name: 'app_login' });
    const pageViews = rng.poisson(EVENT_RATES.pageView * fraction);
    for (let i = 0; i < pageViews; i += 1) life.events.push({ atMs: timeIn(rng, start, stop), name: 'page_view' });
    if (traits.selfService) {
      const logins = rng.poisson(EVENT_RATES.selfServiceLogin * fraction);
      for (let i = 0; i < logins; i += 1) life.events.push({ atMs: timeIn(rng, start, stop), name: 'self_service_login' });
    }

    if (churnAt !== null && churnAt < endMs) {
      life.churnMs = churnAt;
      const weights = traits.misaligned ? CANCELLATION_WEIGHTS_MISALIGNED : CANCELLATION_WEIGHTS;
      life.cancellationReason = CANCELLATION_REASONS[rng.weighted(weights)] ?? 'other';
      if (rng.chance(CANCELLATION_TICKET_PROBABILITY)) {
        life.tickets.push(drawTicket(rng, 'cancellation', timeIn(rng, Math.max(start, churnAt - 2 * DAY_MS), churnAt)));
      }
      break;
    }
  }

  // Adoption is seen in the first days (before the first period ends), so an
  // adopter's whole life counts as adopted.
  const firstStop = Math.min(addMonths(signupMs, 1), endMs, life.churnMs ?? Number.POSITIVE_INFINITY);
  const adoptionWindowEnd = signupMs + Math.max(SECOND_MS, Math.min(3 * DAY_MS, (firstStop - signupMs) / 2));
  if (traits.autopay) life.events.push({ atMs: timeIn(rng, signupMs, adoptionWindowEnd), name: 'autopay_on' });
  if (traits.paperless) life.events.push({ atMs: timeIn(rng, signupMs, adoptionWindowEnd), name: 'paperless_billing_on' });
  if (traits.selfService) life.events.push({ atMs: timeIn(rng, signupMs, adoptionWindowEnd), name: 'self_service_login' });
  life.events.sort((a, b) => a.atMs - b.atMs);
  life.tickets.sort((a, b) => a.atMs - b.atMs);
  life.charges.sort((a, b) => a.atMs - b.atMs);
  return life;
}
