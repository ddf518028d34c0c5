import type { Contract, Plan } from './acquisition.js';
import type { Rng } from './random.js';

/**
 * What Northwind charges: a monthly plan (annual contracts are billed monthly
 * at a discount) and the fee lines. Amounts are integer cents so every sum in
 * truth.json is exact.
 */
export const PLAN_PRICE_CENTS: Record<Plan, number> = { Basic: 2900, Standard: 4900, Premium: 7900 };
export const ANNUAL_DISCOUNT = 0.1;

export const CHARGE_TYPES = ['subscription', 'one_off', 'late_fee', 'paper_bill_fee', 'overage_fee', 'credit'] as const;
export type ChargeType = (typeof CHARGE_TYPES)[number];
export const FEE_TYPES = ['late_fee', 'paper_bill_fee', 'overage_fee'] as const;
export type FeeType = (typeof FEE_TYPES)[number];

export const FEES = {
  /** Every month for customers without paperless billing. */
  paperBillCents: 250,
  /** Customers without autopay pay late this often per month. */
  lateFeeProbability: 0.1,
  lateFeeCents: 1500,
  /** The unfair fee: a minority of customers run over their allowance most months. */
  overageProbabilityProne: 0.45,
  overageProbabilityOther: 0.004,
  overageCents: [1000, 1500, 2000, 2500],
} as const;

export const OTHER_CHARGES = {
  oneOffProbability: 0.02,
  oneOffCents: [1999, 2999, 4999, 8999, 14999],
  creditProbability: 0.01,
  creditCents: [500, 1000, 1500],
  /** Misaligned customers complain their way to service credits. */
  creditProbabilityMisaligned: 0.35,
  creditCentsMisaligned: [1000, 2000, 3000, 4000],
  /** Chance a subscription charge after the third month is half refunded. */
  laterPartialRefundProbability: 0.004,
} as const;

/** Chance of a full refund of one of the first two charges (the quarter-end push sells to people who regret it). */
export const EARLY_REFUND_PROBABILITY = { quarterEnd: 0.15, other: 0.04 } as const;

export interface ChargeDraft {
  atMs: number;
  amountCents: number;
  refundedCents: number;
  chargeType: ChargeType;
  product: string;
  description: string;
}

export function subscriptionPriceCents(plan: Plan, contract: Contract): number {
  const price = PLAN_PRICE_CENTS[plan];
  return contract === 'annual' ? Math.round(price * (1 - ANNUAL_DISCOUNT)) : price;
}

/** Stripe's processing fee (2.9% + 30¢): a cost of the company, not a customer fee. */
export function stripeFeeCents(amountCents: number): number {
  return Math.round(amountCents * 0.029) + 30;
}

const ACCESSORIES = [
  ['Accessory: charger', 'charger'],
  ['Accessory: phone case', 'phone_case'],
  ['Router upgrade', 'router'],
  ['SIM replacement', 'sim'],
] as const;

export function oneOffCharge(rng: Rng, atMs: number): ChargeDraft {
  const [description, product] = rng.pick(ACCESSORIES);
  return { atMs, amountCents: rng.pick(OTHER_CHARGES.oneOffCents), refundedCents: 0, chargeType: 'one_off', product, description };
}

export function feeCharge(rng: Rng, type: FeeType, atMs: number): ChargeDraft {
  switch (type) {
    case 'paper_bill_fee':
      return { atMs, amountCents: FEES.paperBillCents, refundedCents: 0, chargeType: type, product: 'paper_bill', description: 'Paper bill fee' };
    case 'late_fee':
      return { atMs, amountCents: FEES.lateFeeCents, refundedCents: 0, chargeType: type, product: 'late_payment', description: 'Late payment fee' };
    case 'overage_fee': {
      const amountCents = rng.pick(FEES.overageCents);
      return { atMs, amountCents, refundedCents: 0, chargeType: type, product: 'data_overage', description: `Data overage, ${amountCents / 500} GB` };
    }
  }
}

export function creditCharge(rng: Rng, atMs: number, misaligned: boolean): ChargeDraft {
  const amountCents = rng.pick(misaligned ? OTHER_CHARGES.creditCentsMisaligned : OTHER_CHARGES.creditCents);
  return { atMs, amountCents, refundedCents: 0, chargeType: 'credit', product: 'service_credit', description: 'Service credit - outage' };
}
