/** One customer whose class is known: dissatisfied or not, what they paid in a line, and their weight. */
export interface KnownCustomer {
  d: 0 | 1;
  y: number;
  w: number;
}

/**
 * The concentration ratio, Fieller's 95% interval and the excess with its
 * standard error, computed customer by customer from their influence values
 * (the definitions in concentration.ts) with none of its expanded sums: an
 * independent check of that algebra and of the SQL sums behind it.
 */
export function directConcentration(customers: readonly KnownCustomer[], z = 1.959963984540054): { ratio: number; lower: number; upper: number; excess: number; excessStandardError: number } {
  const n = customers.length;
  const A = customers.reduce((s, c) => s + c.d * c.y, 0);
  const B = customers.reduce((s, c) => s + c.y, 0);
  const C = customers.reduce((s, c) => s + c.d * c.w, 0);
  const N = customers.reduce((s, c) => s + c.w, 0);
  const p = C / N;
  const b = B / N;
  const D = B * p;
  const a = customers.map((c) => c.d * c.y);
  const delta = customers.map((c) => p * c.y + b * c.d * c.w - p * b * c.w);
  const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / n;
  const covariance = (xs: number[], ys: number[]): number => {
    const mx = mean(xs);
    const my = mean(ys);
    return (n / (n - 1)) * xs.reduce((s, x, i) => s + (x - mx) * ((ys[i] ?? 0) - my), 0);
  };
  const [aa, ad, dd] = [covariance(a, a), covariance(a, delta), covariance(delta, delta)];
  // Solve (A − rD)² = z²(aa − 2r·ad + r²·dd) for r.
  const qa = D * D - z * z * dd;
  const qb = -2 * (A * D - z * z * ad);
  const qc = A * A - z * z * aa;
  const root = Math.sqrt(qb * qb - 4 * qa * qc);
  return { ratio: A / D, lower: (-qb - root) / (2 * qa), upper: (-qb + root) / (2 * qa), excess: A - D, excessStandardError: Math.sqrt(aa - 2 * ad + dd) };
}
