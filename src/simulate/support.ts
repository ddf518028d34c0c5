import type { Rng } from './random.js';

/**
 * Help-desk contacts: why customers get in touch, through which channel,
 * and how many agent-minutes it takes. Behaviours change the rates of the
 * reasons they touch (autopay: billing; paperless: paper-bill questions;
 * self-service: account and how-to calls), which is where their savings come
 * from; cost-to-serve is agent-minutes times HANDLING_COST_PER_MINUTE.
 */
export const HANDLING_COST_PER_MINUTE = 1.0;

export const VIAS = ['Phone call', 'Mail', 'Chat', 'Web form', 'Walk-in'] as const;
export type Via = (typeof VIAS)[number];
const MEAN_MINUTES: Record<Via, number> = { 'Phone call': 14, Mail: 9, Chat: 10, 'Web form': 7, 'Walk-in': 22 };
const MINUTES_SIGMA = 0.5;

export const TICKET_REASONS = ['billing', 'paper_bill', 'account', 'network', 'app', 'complaint', 'cancellation'] as const;
export type TicketReason = (typeof TICKET_REASONS)[number];

interface ReasonSpec {
  via: readonly number[];
  minutesMultiplier: number;
  type: string;
  subjects: readonly string[];
}

const REASONS: Record<TicketReason, ReasonSpec> = {
  billing: {
    via: [0.45, 0.15, 0.3, 0.1, 0],
    minutesMultiplier: 1,
    type: 'Question',
    subjects: ['Question about my bill', 'Late payment fee?', 'Why was I charged twice', 'Payment failed', 'Billing question, invoice'],
  },
  paper_bill: {
    via: [0.4, 0.5, 0, 0, 0.1],
    minutesMultiplier: 1,
    type: 'Question',
    subjects: ['Paper bill did not arrive', 'Question about my paper statement', 'Wrong address on my bill'],
  },
  account: {
    via: [0.6, 0.05, 0.2, 0.05, 0.1],
    minutesMultiplier: 1,
    type: 'Question',
    subjects: ['How do I change my plan', 'Reset my password', 'Update my address', 'How to add a line', 'Cannot find my usage'],
  },
  network: {
    via: [0.5, 0, 0.2, 0.3, 0],
    minutesMultiplier: 1,
    type: 'Incident',
    subjects: ['No signal at home', 'Outage in my area', 'Internet keeps dropping', 'Calls cutting out'],
  },
  app: {
    via: [0.1, 0.2, 0.4, 0.3, 0],
    minutesMultiplier: 1,
    type: 'Problem',
    subjects: ['App crashes on login', 'Website error when paying', 'App will not open'],
  },
  complaint: {
    via: [0.7, 0.15, 0, 0, 0.15],
    minutesMultiplier: 2.5,
    type: 'Incident',
    subjects: ['Complaint about service', 'Escalation: repeated issues', 'Formal complaint, contract terms', 'Still not fixed, "urgent"'],
  },
  cancellation: {
    via: [0.6, 0.2, 0.2, 0, 0],
    minutesMultiplier: 1.2,
    type: 'Task',
    subjects: ['Cancel my service', 'Please close my account', 'I want to cancel, how?'],
  },
};

export interface SupportTraits {
  autopay: boolean;
  paperless: boolean;
  selfService: boolean;
  ideal: boolean;
  misaligned: boolean;
}

/** Ideal customers need less help; misaligned ones file complaints. */
export const IDEAL_TICKET_MULTIPLIER = 0.5;
export const MISALIGNED_COMPLAINT_RATE = 1.1;
const BASE_COMPLAINT_RATE = 0.01;
/** Chance a churning customer opens a cancellation ticket. */
export const CANCELLATION_TICKET_PROBABILITY = 0.5;

/** Tickets per customer-month by reason (cancellation tickets are drawn at churn). */
export function monthlyTicketRates(t: SupportTraits): Record<Exclude<TicketReason, 'cancellation'>, number> {
  const m = t.ideal ? IDEAL_TICKET_MULTIPLIER : 1;
  return {
    billing: (t.autopay ? 0.02 : 0.1) * m,
    paper_bill: (t.paperless ? 0 : 0.05) * m,
    account: (t.selfService ? 0.04 : 0.14) * m,
    network: 0.06 * m,
    app: 0.05 * m,
    complaint: t.misaligned ? MISALIGNED_COMPLAINT_RATE : BASE_COMPLAINT_RATE,
  };
}

/** Expected agent-minutes of one ticket of a reason. */
export function expectedMinutes(reason: TicketReason): number {
  const spec = REASONS[reason];
  let minutes = 0;
  VIAS.forEach((via, i) => {
    minutes += (spec.via[i] ?? 0) * MEAN_MINUTES[via];
  });
  return minutes * spec.minutesMultiplier;
}

const expectedCosts = new Map<number, number>();

/** Expected handling cost per customer-month (money) for these traits. */
export function expectedMonthlyHandlingCost(t: SupportTraits): number {
  const key = (t.autopay ? 1 : 0) | (t.paperless ? 2 : 0) | (t.selfService ? 4 : 0) | (t.ideal ? 8 : 0) | (t.misaligned ? 16 : 0);
  const known = expectedCosts.get(key);
  if (known !== undefined) return known;
  const rates = monthlyTicketRates(t);
  let cost = 0;
  for (const [reason, rate] of Object.entries(rates)) cost += rate * expectedMinutes(reason as TicketReason);
  expectedCosts.set(key, cost * HANDLING_COST_PER_MINUTE);
  return cost * HANDLING_COST_PER_MINUTE;
}

export interface TicketDraft {
  atMs: number;
  reason: TicketReason;
  via: Via;
  minutes: number;
  subject: string;
  type: string;
  priority: string;
  satisfaction: string;
}

export function drawTicket(rng: Rng, reason: TicketReason, atMs: number): TicketDraft {
  const spec = REASONS[reason];
  const via = VIAS[rng.weighted(spec.via)] ?? 'Phone call';
  const minutes = Math.max(1, Math.round(rng.logNormal(MEAN_MINUTES[via] * spec.minutesMultiplier, MINUTES_SIGMA)));
  const angry = reason === 'complaint' || reason === 'network';
  const priority = rng.pick(angry ? ['Normal', 'High', 'High', 'Urgent'] : ['Low', 'Normal', 'Normal', 'Normal', 'High']);
  const u = rng.float();
  const satisfaction = reason === 'complaint'
    ? (u < 0.4 ? 'Bad' : u < 0.5 ? 'Good' : u < 0.7 ? 'Offered' : 'Unoffered')
    : (u < 0.1 ? 'Bad' : u < 0.35 ? 'Good' : u < 0.55 ? 'Offered' : 'Unoffered');
  return { atMs, reason, via, minutes, subject: rng.pick(spec.subjects), type: spec.type, priority, satisfaction };
}

/** Reason of the i-th ticket when several reasons have rates. */
export function pickReason(rng: Rng, rates: Record<string, number>): TicketReason {
  const entries = Object.entries(rates);
  const index = rng.weighted(entries.map(([, rate]) => rate));
  return (entries[index]?.[0] ?? 'account') as TicketReason;
}
