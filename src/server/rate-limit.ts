/**
 * Requests per second a client may make, as a token bucket per key: the
 * bucket holds up to `burst` requests, refills at `ratePerSecond`, and a
 * request takes one. A page of the dashboard fires a burst of calls then
 * goes quiet, which a bucket allows where a fixed window per second would
 * refuse the burst or let twice the rate through at a window's edge.
 *
 * Written here rather than taken from a library: nothing of the kind is
 * installed, the rules of this project keep dependencies to the few it has,
 * and one process with one map needs none of what the libraries add
 * (shared stores, Redis, middleware for other frameworks).
 */
export interface RateLimit {
  /** Requests per second per key, sustained. */
  ratePerSecond: number;
  /** Requests a key may make at once after a quiet spell (the bucket's size). */
  burst: number;
}

/**
 * `cxray serve`'s default: 200 a second, bursts of 800 (four seconds'
 * worth). A person with the dashboard asks far less (a page load is 2 files
 * and up to ~20 API calls; the what-if slider a few a second); the load
 * test at CI size (10 connections sharing one token, scripts/load.ts) makes
 * about 120 a second, bound by the customer and segment queries, and stays
 * under it; a runaway script or a flood from one address is cut to this
 * rate, with Retry-After, instead of queueing work for everyone.
 */
export const DEFAULT_RATE_LIMIT: RateLimit = { ratePerSecond: 200, burst: 800 };

/** The burst when only the rate is given: four seconds' worth. */
export function defaultBurst(ratePerSecond: number): number {
  return Math.max(1, Math.ceil(ratePerSecond * 4));
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  /** When `tokens` was last brought up to date, in ms of the clock. */
  at: number;
}

/** Keys remembered at most: beyond it, buckets that have refilled (the same as no bucket) are dropped, then the least recently used. */
export const MAX_RATE_KEYS = 10_000;

/**
 * The token buckets of one server, in memory.
 *
 * @example
 * const limiter = new RateLimiter({ ratePerSecond: 50, burst: 200 });
 * const decision = limiter.take('token:ab12');
 * if (!decision.allowed) reply429(decision.retryAfterSeconds);
 */
export class RateLimiter {
  // A Map keeps insertion order: a key is moved to the end on each use, so the first keys are the least recently used.
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limit: RateLimit,
    /** Milliseconds, increasing; injectable so that tests move time instead of sleeping. */
    private readonly now: () => number = () => performance.now(),
    private readonly maxKeys = MAX_RATE_KEYS,
  ) {
    if (!(limit.ratePerSecond > 0) || !(limit.burst >= 1)) throw new RangeError(`A rate limit needs a rate above 0 and a burst of at least 1, not ${limit.ratePerSecond}/s burst ${limit.burst}.`);
  }

  /** Takes one request from the key's bucket, or says how long until one is free. */
  take(key: string): RateDecision {
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      if (this.buckets.size >= this.maxKeys) this.forget(now);
      bucket = { tokens: this.limit.burst, at: now };
    } else {
      this.buckets.delete(key);
      this.refill(bucket, now);
    }
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.limit.ratePerSecond)) };
  }

  /** Keys with a bucket now (for tests). */
  size(): number {
    return this.buckets.size;
  }

  private refill(bucket: Bucket, now: number): void {
    const elapsed = Math.max(0, now - bucket.at) / 1000;
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + elapsed * this.limit.ratePerSecond);
    bucket.at = now;
  }

  private forget(now: number): void {
    for (const [key, bucket] of this.buckets) {
      this.refill(bucket, now);
      if (bucket.tokens >= this.limit.burst) this.buckets.delete(key);
    }
    for (const key of this.buckets.keys()) {
      if (this.buckets.size < this.maxKeys) break;
      this.buckets.delete(key);
    }
  }
}
