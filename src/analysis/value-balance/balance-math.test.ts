import { Matrix, inverse } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../stats/seeded-random.case.js';
import { deviation, fitLine, lineCovariance, type LineSums, type ResidualSums } from './balance-math.js';

// The value map's math from sums against the same quantities computed
// customer by customer: the weighted least-squares line by explicit matrices,
// each customer's influence on a segment's deviation summed directly, and a
// bootstrap over customers for the deviation's standard error (the delta
// method's claim: it carries the segment's spread and the line's own
// uncertainty).

interface Customer {
  m: number;
  y: number;
  x: number[];
  inSegment: boolean;
}

function company(seed: number, n: number, effect: number): Customer[] {
  const rng = new SeededRandom(seed);
  return Array.from({ length: n }, () => {
    const m = 1 + Math.floor(rng.uniform() * 30);
    const v = 100 * rng.uniform();
    const u = 3 * rng.uniform();
    const inSegment = rng.uniform() < 0.4;
    // Price per month 40 + 0.2 per point + 5 per event (+ the segment's effect), noise shrinking with months.
    const p = 40 + 0.2 * v + 5 * u + (inSegment ? effect : 0) + (12 * rng.normal()) / Math.sqrt(m);
    return { m, y: p * m, x: [1, v, u], inSegment };
  });
}

function sumsOf(customers: readonly Customer[]): LineSums {
  const p = 3;
  const a = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const b = new Array<number>(p).fill(0);
  const s = { paid: 0, paidSquares: 0, monthsSquares: 0, paidMonths: 0, paidSquaresPerMonth: 0 };
  for (const c of customers) {
    for (let j = 0; j < p; j += 1) {
      b[j] = (b[j] ?? 0) + c.y * (c.x[j] ?? 0);
      for (let k = 0; k < p; k += 1) (a[j] as number[])[k] = (a[j]?.[k] ?? 0) + c.m * (c.x[j] ?? 0) * (c.x[k] ?? 0);
    }
    s.paid += c.y;
    s.paidSquares += c.y * c.y;
    s.monthsSquares += c.m * c.m;
    s.paidMonths += c.y * c.m;
    s.paidSquaresPerMonth += (c.y * c.y) / c.m;
  }
  return { n: customers.length, a, b, ...s };
}

function residualsOf(customers: readonly Customer[], beta: readonly number[]): { segment: ResidualSums; meat: number[][] } {
  const p = beta.length;
  const segment: ResidualSums = { n: 0, months: 0, monthsSquares: 0, paid: 0, mx: [0, 0, 0], e: 0, ee: 0, me: 0, eex: [0, 0, 0], mex: [0, 0, 0] };
  const meat = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  for (const c of customers) {
    const e = c.y - c.m * c.x.reduce((s, x, j) => s + x * (beta[j] ?? 0), 0);
    for (let j = 0; j < p; j += 1) for (let k = 0; k < p; k += 1) (meat[j] as number[])[k] = (meat[j]?.[k] ?? 0) + e * e * (c.x[j] ?? 0) * (c.x[k] ?? 0);
    if (!c.inSegment) continue;
    segment.n += 1;
    segment.months += c.m;
    segment.monthsSquares += c.m * c.m;
    segment.paid += c.y;
    segment.e += e;
    segment.ee += e * e;
    segment.me += c.m * e;
    c.x.forEach((x, j) => {
      segment.mx[j] = (segment.mx[j] ?? 0) + c.m * x;
      segment.eex[j] = (segment.eex[j] ?? 0) + e * e * x;
      segment.mex[j] = (segment.mex[j] ?? 0) + c.m * e * x;
    });
  }
  return { segment, meat };
}

/** Weighted least squares by explicit matrices: β = (X'WX)⁻¹X'Wp, W the months, p the price per month. */
function directLine(customers: readonly Customer[]): number[] {
  const x = new Matrix(customers.map((c) => c.x));
  const wx = new Matrix(customers.map((c) => c.x.map((v) => v * c.m)));
  const p = Matrix.columnVector(customers.map((c) => c.y / c.m));
  return inverse(wx.transpose().mmul(x)).mmul(wx.transpose()).mmul(p).to1DArray();
}

/** The segment's deviation by its definition: its mean price minus the line's price at its weighted mean axes. */
function directDeviation(customers: readonly Customer[]): number {
  const beta = directLine(customers);
  const seg = customers.filter((c) => c.inSegment);
  const months = seg.reduce((s, c) => s + c.m, 0);
  const price = seg.reduce((s, c) => s + c.y, 0) / months;
  const means = [0, 1, 2].map((j) => seg.reduce((s, c) => s + c.m * (c.x[j] ?? 0), 0) / months);
  return price - means.reduce((s, x, j) => s + x * (beta[j] ?? 0), 0);
}

describe('the value map from sums', () => {
  const customers = company(11, 600, 6);
  const line = fitLine(sumsOf(customers), ['intercept', 'satisfaction', 'usage']);
  const { segment, meat } = residualsOf(customers, line.coefficients);
  const d = deviation(line, segment, meat);

  it('fits the weighted least-squares line of price per month on the axes, months as weights', () => {
    const direct = directLine(customers);
    line.coefficients.forEach((b, j) => expect(b).toBeCloseTo(direct[j] ?? Number.NaN, 8));
    expect(line.meanPrice).toBeCloseTo(customers.reduce((s, c) => s + c.y, 0) / customers.reduce((s, c) => s + c.m, 0), 10);
    // The planted slopes (0.2 a point, 5 an event) within a few standard errors.
    const covariance = lineCovariance(line, meat);
    expect(Math.abs((line.coefficients[1] ?? 0) - 0.2)).toBeLessThan(4 * Math.sqrt(covariance[1]?.[1] ?? 0));
    expect(Math.abs((line.coefficients[2] ?? 0) - 5)).toBeLessThan(4 * Math.sqrt(covariance[2]?.[2] ?? 0));
  });

  it("gives the segment's deviation by its definition, and the planted 6 a month less its share of the line", () => {
    expect(d?.estimate).toBeCloseTo(directDeviation(customers), 8);
    // The line absorbs part of the segment's 6 (the intercept moves up by about 40% of it): about 6 × 0.6.
    expect(d?.estimate).toBeGreaterThan(2.5);
    expect(d?.estimate).toBeLessThan(5);
    expect(d?.meanPrice).toBeCloseTo(segment.paid / segment.months, 10);
  });

  it('has the variance of the summed influences, customer by customer', () => {
    if (d === null) throw new Error('no deviation');
    const h = line.inverse.map((row) => row.reduce((s, a, k) => s + a * (segment.mx[k] ?? 0), 0));
    let total = 0;
    for (const c of customers) {
      const e = c.y - c.m * c.x.reduce((s, x, j) => s + x * (line.coefficients[j] ?? 0), 0);
      const psi = ((c.inSegment ? e - d.estimate * c.m : 0) - h.reduce((s, hj, j) => s + hj * (c.x[j] ?? 0), 0) * e) / segment.months;
      total += psi * psi;
    }
    expect(d.standardError).toBeCloseTo(Math.sqrt((total * segment.n) / (segment.n - 1)), 10);
  });

  function bootstrapSd(list: readonly Customer[], seed: number): number {
    const rng = new SeededRandom(seed);
    const draws: number[] = [];
    for (let r = 0; r < 1000; r += 1) draws.push(directDeviation(list.map(() => list[Math.floor(rng.uniform() * list.length)] as Customer)));
    const mean = draws.reduce((s, x) => s + x, 0) / draws.length;
    return Math.sqrt(draws.reduce((s, x) => s + (x - mean) ** 2, 0) / (draws.length - 1));
  }

  it('has the standard error a bootstrap over customers gives, within 10%, with the segment planted and without', () => {
    if (d === null) throw new Error('no deviation');
    const planted = bootstrapSd(customers, 12);
    expect(d.standardError / planted).toBeGreaterThan(0.9);
    expect(d.standardError / planted).toBeLessThan(1.1);
    const nulls = company(13, 600, 0);
    const nullLine = fitLine(sumsOf(nulls), ['intercept', 'satisfaction', 'usage']);
    const r = residualsOf(nulls, nullLine.coefficients);
    const n = deviation(nullLine, r.segment, r.meat);
    if (n === null) throw new Error('no deviation');
    const sd = bootstrapSd(nulls, 14);
    expect(n.standardError / sd).toBeGreaterThan(0.9);
    expect(n.standardError / sd).toBeLessThan(1.1);
    // Not vacuous: the segment is 40% of the fit, so the line moves with it and the error of its own spread alone is about 1/√0.6 too large.
    const s = r.segment;
    const own = Math.sqrt(((s.ee - 2 * n.estimate * s.me + n.estimate ** 2 * s.monthsSquares) * s.n) / ((s.n - 1) * s.months ** 2));
    expect(own / sd).toBeGreaterThan(1.15);
  });

  it('gives the whole fit a deviation of zero with no spread, and tests nothing there', () => {
    const everyone = customers.map((c) => ({ ...c, inSegment: true }));
    const all = residualsOf(everyone, line.coefficients);
    const whole = deviation(line, all.segment, all.meat);
    expect(Math.abs(whole?.estimate ?? 1)).toBeLessThan(1e-9);
    expect(whole?.standardError).toBe(0);
    expect(whole?.pValue).toBe(1);
  });
});
