import type { Acquisition } from './acquisition.js';
import type { ChargeDraft } from './billing.js';
import { stripeFeeCents } from './billing.js';
import { DAY_MS, formatCompactDate, formatDate, formatDateMinute, formatDateTime } from './calendar.js';
import type { Comment } from './comments.js';
import type { CustomerLife, EventDraft } from './customer-life.js';
import type { Person } from './people.js';
import type { Rng } from './random.js';
import type { SurveyAnswers } from './satisfaction.js';
import type { TicketDraft } from './support.js';

/**
 * One customer as the generator knows it, and the functions that turn its
 * records into the fields of each export (unquoted text, in header order).
 */
export interface SimCustomer extends Acquisition {
  index: number;
  recordId: string;
  stripeId: string;
  requesterId: string;
  pseudoId: string;
  person: Person;
  owner: string;
  signupMs: number;
  ideal: boolean;
  misaligned: boolean;
  quarterEnd: boolean;
  autopay: boolean;
  paperless: boolean;
  selfService: boolean;
  overageProne: boolean;
  /** Latent satisfaction shift u (see satisfaction.ts). */
  shift: number;
  platform: string;
  trafficSource: string;
}

export const money = (cents: number): string => {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const rest = abs % 100;
  return `${sign}${Math.floor(abs / 100)}.${rest < 10 ? '0' : ''}${rest}`;
};

export function contactFields(c: SimCustomer): string[] {
  return [
    c.recordId, c.person.firstName, c.person.lastName, c.person.email, c.person.phone, formatDateMinute(c.signupMs),
    'customer', c.owner, c.segment, c.channel, String(c.age), c.region, c.contract, c.plan, c.experiment,
  ];
}

export function paymentFields(c: SimCustomer, charge: ChargeDraft, id: string, email: string): string[] {
  return [
    id, formatDateTime(charge.atMs), money(charge.amountCents), money(charge.refundedCents), 'usd', 'true',
    money(stripeFeeCents(charge.amountCents)), 'Paid', charge.description, c.stripeId, email, charge.chargeType, charge.product,
  ];
}

export function subscriptionFields(c: SimCustomer, life: CustomerLife, id: string): string[] {
  const churned = life.churnMs !== null;
  const canceled = churned ? formatDateMinute(life.churnMs ?? 0) : '';
  const created = formatDateMinute(c.signupMs);
  return [id, c.stripeId, c.person.email, c.plan, churned ? 'canceled' : 'active', life.cancellationReason, created, created, canceled, canceled];
}

export interface WrittenTicket {
  id: string;
  status: string;
  /** Handling minutes as written (null for tickets still open at as_of). */
  minutes: number | null;
}

/** Tickets opened in the last days before as_of are still open, with no resolution time yet. */
export function ticketStatus(rng: Rng, ticket: TicketDraft, endMs: number): { status: string; minutes: number | null } {
  if (ticket.atMs + ticket.minutes * 60_000 >= endMs || (ticket.atMs > endMs - 3 * DAY_MS && rng.chance(0.6))) {
    return { status: rng.chance(0.5) ? 'Open' : 'Pending', minutes: null };
  }
  return { status: rng.chance(0.3) ? 'Solved' : 'Closed', minutes: ticket.minutes };
}

export function ticketFields(c: SimCustomer, ticket: TicketDraft, written: WrittenTicket): string[] {
  const solved = written.minutes === null ? '' : formatDateTime(ticket.atMs + written.minutes * 60_000);
  return [
    '1', written.id, `${c.person.firstName} ${c.person.lastName}`, c.requesterId, c.recordId, c.person.email, ticket.subject,
    written.status, ticket.priority, ticket.via, ticket.type, formatDateTime(ticket.atMs), solved,
    written.minutes === null ? '' : String(written.minutes), ticket.satisfaction, `${ticket.reason} ${ticket.via === 'Phone call' ? 'voice' : ticket.via.toLowerCase().replace(' ', '_')}`,
  ];
}

export interface WrittenResponse {
  id: string;
  startMs: number;
  durationSeconds: number;
  ip: string;
  latitude: string;
  longitude: string;
  answers: SurveyAnswers;
  comment: Comment | null;
}

export function surveyFields(c: SimCustomer, r: WrittenResponse): string[] {
  const end = formatDateTime(r.startMs + r.durationSeconds * 1000);
  return [
    formatDateTime(r.startMs), end, 'IP Address', r.ip, '100', String(r.durationSeconds), 'True', end, r.id,
    c.person.lastName, c.person.firstName, c.person.email, c.recordId, r.latitude, r.longitude, 'email', r.comment?.userLanguage ?? 'EN',
    String(r.answers.nps), ...r.answers.ratings.map(String), String(r.answers.csat), r.comment?.text ?? '',
  ];
}

export function eventFields(c: SimCustomer, event: EventDraft, microseconds: number): string[] {
  const timestamp = BigInt(Math.floor(event.atMs / 1000)) * 1_000_000n + BigInt(microseconds);
  return [formatCompactDate(event.atMs), timestamp.toString(), event.name, c.recordId, c.pseudoId, c.platform, c.trafficSource];
}

export function referralFields(referrerId: string, referred: SimCustomer): string[] {
  return [referrerId, referred.recordId, formatDate(referred.signupMs)];
}

export function prospectFields(serial: number, a: Acquisition): string[] {
  return [`PR-${String(serial).padStart(6, '0')}`, a.segment, a.channel, String(a.age), a.region, a.contract, a.plan];
}
