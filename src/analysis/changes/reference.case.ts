import { readFileSync } from 'node:fs';
import type { PeriodMoments } from './did-math.js';

/** statsmodels' fit of one model (reference/compute.py). */
export interface ReferenceFit {
  params: number[];
  bse: number[];
  /** The tested coefficient's 95% interval (normal). */
  interval: [number, number];
  useT: boolean;
  nobs: number;
  groups: number;
}

export interface DidReference {
  windows: { beforeStart: string; placebo: string; change: string; afterEnd: string; asOf: string };
  nps: ReferenceFit;
  npsPlacebo: ReferenceFit;
  npsTwoGroup: ReferenceFit;
  rate: ReferenceFit;
  logRate: ReferenceFit;
  counts: { answers: number; answersInWindows: number; customersNorth: number; periodRows: number; events: number[] };
}

export interface ReferenceAnswer {
  customerId: string;
  region: string;
  /** `YYYY-MM-DD HH:MM:SS`, UTC. */
  at: string;
  score: number;
}

export interface ReferencePeriodRow {
  customerId: string;
  treated: number;
  period: number;
  months: number;
  events: number;
  money: number;
}

const HERE = new URL('./reference/', import.meta.url);

function csvRows(name: string): string[][] {
  return readFileSync(new URL(name, HERE), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','));
}

/** The fixture and statsmodels' numbers written by reference/compute.py. */
export function didReference(): { reference: DidReference; answers: ReferenceAnswer[]; periods: ReferencePeriodRow[] } {
  const reference = JSON.parse(readFileSync(new URL('did-reference.json', HERE), 'utf8')) as DidReference;
  const answers = csvRows('responses.csv').map(([customerId, region, at, score]) => ({ customerId: customerId ?? '', region: region ?? '', at: at ?? '', score: Number(score) }));
  const periods = csvRows('periods.csv').map(([customerId, treated, period, months, events, money]) => ({
    customerId: customerId ?? '',
    treated: Number(treated),
    period: Number(period),
    months: Number(months),
    events: Number(events),
    money: Number(money),
  }));
  return { reference, answers, periods };
}

/** A response's net score: 100 for a promoter (9-10), −100 for a detractor (0-6), 0 for a passive. */
export function netScore(score: number): number {
  return score >= 9 ? 100 : score <= 6 ? -100 : 0;
}

/**
 * Moments of per-customer totals computed here, in memory (the test's own
 * aggregation, independent of the SQL): `cells(row)` gives each observation's
 * customer, group, period, n and y.
 */
export function momentsInMemory<T>(
  rows: readonly T[],
  periods: number,
  cell: (row: T) => { customer: string; group: number; period: number; n: number; y: number } | null,
): { moments: [PeriodMoments, PeriodMoments]; customers: [number, number]; observations: number } {
  const byCustomer = new Map<string, { group: number; n: number[]; y: number[] }>();
  let observations = 0;
  for (const row of rows) {
    const c = cell(row);
    if (c === null) continue;
    observations += 1;
    const totals = byCustomer.get(c.customer) ?? { group: c.group, n: new Array<number>(periods).fill(0), y: new Array<number>(periods).fill(0) };
    totals.n[c.period] = (totals.n[c.period] ?? 0) + c.n;
    totals.y[c.period] = (totals.y[c.period] ?? 0) + c.y;
    byCustomer.set(c.customer, totals);
  }
  const empty = (): PeriodMoments => ({
    n: new Array<number>(periods).fill(0),
    y: new Array<number>(periods).fill(0),
    nn: Array.from({ length: periods }, () => new Array<number>(periods).fill(0)),
    ny: Array.from({ length: periods }, () => new Array<number>(periods).fill(0)),
    yy: Array.from({ length: periods }, () => new Array<number>(periods).fill(0)),
  });
  const moments: [PeriodMoments, PeriodMoments] = [empty(), empty()];
  const customers: [number, number] = [0, 0];
  for (const t of byCustomer.values()) {
    const m = moments[t.group === 1 ? 1 : 0];
    customers[t.group === 1 ? 1 : 0] += 1;
    for (let p = 0; p < periods; p += 1) {
      m.n[p] = (m.n[p] ?? 0) + (t.n[p] ?? 0);
      m.y[p] = (m.y[p] ?? 0) + (t.y[p] ?? 0);
      for (let q = 0; q < periods; q += 1) {
        (m.nn[p] as number[])[q] = (m.nn[p]?.[q] ?? 0) + (t.n[p] ?? 0) * (t.n[q] ?? 0);
        (m.ny[p] as number[])[q] = (m.ny[p]?.[q] ?? 0) + (t.n[p] ?? 0) * (t.y[q] ?? 0);
        (m.yy[p] as number[])[q] = (m.yy[p]?.[q] ?? 0) + (t.y[p] ?? 0) * (t.y[q] ?? 0);
      }
    }
  }
  return { moments, customers, observations };
}
