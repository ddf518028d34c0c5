import type { MeasureKind } from './change-measures.js';
import { clusteredContrast, combinePeriods, differenceInDifferences, type ContrastEstimate } from './did-math.js';
import { HAND_AS_OF, type HandCustomer } from './hand-made.case.js';
import { MIN_CELL_CUSTOMERS, MIN_CELL_EVENTS } from './measure-effect.js';
import { momentsInMemory, netScore } from './reference.case.js';

/**
 * The changes analysis's numbers recomputed here, in memory, from the
 * hand-made customers themselves (not from the store): the months each
 * customer spent in each window, their churn, money, adoption and answers,
 * then the same contrast. The tests hold the SQL to these.
 */

const DAY = 86_400_000;
const MONTH_MS = 30.4375 * DAY;
export const AS_OF_END = Date.parse(`${HAND_AS_OF}T00:00:00Z`) + DAY;

/** A `YYYY-MM-DD` or `YYYY-MM-DD HH:MM:SS` (UTC) as epoch ms. */
export const ms = (text: string): number => Date.parse(text.length === 10 ? `${text}T00:00:00Z` : `${text.replace(' ', 'T')}Z`);

export type Spans = [number, number][];

/** The default windows of a change dated `date` (6 months either side, cut to [from, to) and as_of), the placebo half-way through the before window. */
export function defaultSpans(date: string, from?: string, to?: string): Spans {
  const d = ms(date);
  const before = new Date(d);
  before.setUTCMonth(before.getUTCMonth() - 6);
  const after = new Date(d);
  after.setUTCMonth(after.getUTCMonth() + 6);
  const start = Math.max(before.getTime(), from === undefined ? -Infinity : ms(from));
  const placebo = start + Math.floor((d - start) / DAY / 2) * DAY;
  const upper = Math.min(AS_OF_END, to === undefined ? Infinity : ms(to) + DAY);
  return [
    [start, placebo],
    [placebo, d],
    [d, after.getTime()],
  ].map(([s, e]) => [s as number, Math.min(e as number, upper)] as [number, number]);
}

function months(c: HandCustomer, [s, e]: [number, number]): number {
  const start = ms(c.signup);
  const end = c.churnedAt === undefined ? AS_OF_END : ms(c.churnedAt);
  return e <= s ? 0 : Math.max(0, Math.min(end, e) - Math.max(start, s)) / MONTH_MS;
}

const SIGN = { purchase: 1, fee: 1, refund: -1, credit: -1 } as const;

/** Each (customer, period)'s n and y for one measure (autopay is the one behaviour). */
export function observations(customers: readonly HandCustomer[], kind: MeasureKind, spans: Spans, group: (c: HandCustomer) => number | null): { customer: string; group: number; period: number; n: number; y: number }[] {
  const out: { customer: string; group: number; period: number; n: number; y: number }[] = [];
  for (const c of customers) {
    const g = group(c);
    if (g === null) continue;
    spans.forEach((span, period) => {
      const [s, e] = span;
      if (kind === 'nps' || kind === 'csat') {
        for (const a of c.answers) {
          const t = ms(a.at);
          if (a.instrument === kind && t >= s && t < e) out.push({ customer: c.id, group: g, period, n: 1, y: kind === 'nps' ? netScore(a.score) : a.score });
        }
        return;
      }
      const m = months(c, span);
      if (m <= 0) return;
      if (kind === 'churn') {
        const churn = c.churnedAt === undefined ? null : ms(c.churnedAt);
        out.push({ customer: c.id, group: g, period, n: m, y: churn !== null && churn > s && churn <= e ? 1 : 0 });
      } else if (kind === 'revenue') {
        const money = c.payments.filter((p) => ms(p.at) >= s && ms(p.at) < e).reduce((sum, p) => sum + SIGN[p.kind] * p.amount, 0);
        out.push({ customer: c.id, group: g, period, n: m, y: money });
      } else {
        out.push({ customer: c.id, group: g, period, n: 1, y: c.autopayAt !== undefined && ms(c.autopayAt) < e ? 1 : 0 });
      }
    });
  }
  return out;
}

/** The difference-in-differences and its pre-trend, from the in-memory observations (`withComparison` false: before/after of group 1). */
export function expectedChange(customers: readonly HandCustomer[], kind: MeasureKind, spans: Spans, group: (c: HandCustomer) => number | null, withComparison = true): { effect: ContrastEstimate; preTrend: ContrastEstimate | null } {
  const scale = kind === 'churn' ? 'log_ratio' : 'difference';
  const rows = observations(customers, kind, spans, group);
  const pair = (keep: number[], periods: number[][]): ContrastEstimate => {
    const answers = kind === 'nps' || kind === 'csat';
    const kept = rows.filter((r) => keep.includes(r.period)).map((r) => ({ ...r, period: periods.findIndex((ps) => ps.includes(r.period)) }));
    // Each answer is an observation; a customer measured in both halves of a window is one customer-period of it.
    const merged = new Map<string, { customer: string; group: number; period: number; n: number; y: number }>();
    kept.forEach((r, i) => {
      const k = answers ? String(i) : `${r.customer}|${r.period}`;
      const at = merged.get(k);
      merged.set(k, at === undefined ? r : { ...at, n: at.n + r.n, y: at.y + r.y });
    });
    // The analysis's rule: every cell needs MIN_CELL_CUSTOMERS customers (and churn MIN_CELL_EVENTS churns), else no contrast.
    for (const g of withComparison ? [0, 1] : [1]) {
      for (const p of [0, 1]) {
        const cell = [...merged.values()].filter((r) => r.group === g && r.period === p);
        if (new Set(cell.map((r) => r.customer)).size < MIN_CELL_CUSTOMERS) throw new RangeError('thin cell');
        if (scale === 'log_ratio' && cell.reduce((s, r) => s + r.y, 0) < MIN_CELL_EVENTS) throw new RangeError('too few churns');
      }
    }
    const m = momentsInMemory([...merged.values()], 2, (r) => r);
    const options = { scale, clusters: m.customers[0] + m.customers[1], observations: m.observations } as const;
    if (!withComparison) return clusteredContrast([{ moments: combinePeriods(m.moments[1], [[1, 0], [0, 1]]), signs: [-1, 1] }], options);
    return differenceInDifferences(m.moments[1], m.moments[0], options);
  };
  const effect = pair([0, 1, 2], [[0, 1], [2]]);
  let preTrend: ContrastEstimate | null = null;
  try {
    preTrend = pair([0, 1], [[0], [1]]);
  } catch {
    preTrend = null;
  }
  return { effect, preTrend };
}
