import type { Rng } from './random.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function base62(value: number, width: number): string {
  let out = '';
  let rest = Math.floor(value);
  while (rest > 0) {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out.padStart(width, '0');
}

/**
 * Ids shaped like each tool's own: a counter part makes every id unique (so
 * no accidental duplicate keys exist besides the planted ones) and a random
 * tail makes them look like the real thing.
 */
export class IdFactory {
  private charges = 0;
  private subscriptions = 0;
  private responses = 0;
  private tickets = 0;

  constructor(private readonly rng: Rng) {}

  /** HubSpot Record IDs: numbers with gaps. Ids ≡ 1 (mod 3) are customers; 2 and 0 (mod 3) are never used by a clean row. */
  static recordId(index: number): string {
    return String(10_000_001 + 3 * index);
  }

  /** A Record ID no clean contact has, for rows of unknown customers. */
  static unknownRecordId(serial: number): string {
    return String(10_000_002 + 3 * serial);
  }

  /** A Record ID for planted bad contact rows (never used anywhere else). */
  static quarantinedRecordId(serial: number): string {
    return String(10_000_003 + 3 * serial);
  }

  /** Zendesk's own user id for a requester (not the CRM id). */
  static requesterId(index: number): string {
    return String(364_000_000_000 + 17 * index);
  }

  stripeCustomerId(index: number): string {
    return `cus_${base62(index, 5)}${this.rng.alnum(9)}`;
  }

  chargeId(): string {
    this.charges += 1;
    return `ch_3${base62(this.charges, 7)}${this.rng.alnum(16)}`;
  }

  subscriptionId(): string {
    this.subscriptions += 1;
    return `sub_1${base62(this.subscriptions, 7)}${this.rng.alnum(16)}`;
  }

  responseId(): string {
    this.responses += 1;
    return `R_${base62(this.responses, 5)}${this.rng.alnum(10)}`;
  }

  ticketId(): string {
    this.tickets += 1;
    return String(10_000 + this.tickets);
  }

  /**
   * GA4 `user_pseudo_id`: a number and the first-visit time in seconds. A
   * pure function of the customer, so a referrer's later events carry the
   * same id without keeping a string per customer in memory.
   */
  static pseudoId(index: number, firstVisitMs: number): string {
    let h = Math.imul(index + 0x632be5ab, 0x9e3779b1);
    h ^= h >>> 15;
    h = Math.imul(h, 0x85ebca77);
    h ^= h >>> 13;
    return `${(h >>> 1) + 100_000_000}.${Math.floor(firstVisitMs / 1000)}`;
  }
}
