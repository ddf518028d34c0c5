/**
 * How concentrated value is: the share of revenue from the top 10% and 20%
 * of customers, and the Gini coefficient of revenue per customer
 * (G = 2·Σ i·x_(i) / (n·Σx) − (n+1)/n over ascending x, i from 1).
 * Sorts the array in place.
 */
export function valueConcentration(revenuePerCustomer: Float64Array): { top10Share: number; top20Share: number; gini: number } {
  const n = revenuePerCustomer.length;
  if (n === 0) return { top10Share: 0, top20Share: 0, gini: 0 };
  revenuePerCustomer.sort();
  let total = 0;
  let weighted = 0;
  for (let i = 0; i < n; i += 1) {
    const x = revenuePerCustomer[i] ?? 0;
    total += x;
    weighted += (i + 1) * x;
  }
  if (total <= 0) return { top10Share: 0, top20Share: 0, gini: 0 };
  const topShare = (fraction: number): number => {
    const k = Math.max(1, Math.round(n * fraction));
    let sum = 0;
    for (let i = n - k; i < n; i += 1) sum += revenuePerCustomer[i] ?? 0;
    return sum / total;
  };
  return { top10Share: topShare(0.1), top20Share: topShare(0.2), gini: (2 * weighted) / (n * total) - (n + 1) / n };
}
