import { beforeAll, describe, expect, it } from 'vitest';
import type { Truth } from '../../simulate/truth.js';
import type { Result } from '../result.js';
import { resultRows } from '../result-rows.case.js';
import { importStandardCompany } from '../value/company-workspace.case.js';

// bad-revenue on the standard simulated company (20,000 customers, seed 1).
// Planted (truth.json fees): overage_fee falls on customers prone to overage,
// who are far less satisfied (planted concentration 1.5); late_fee and
// paper_bill_fee are charged independently of satisfaction (1.0), though
// autopay and paperless billing avoid them. Realised (the same definition:
// fee revenue by the customer's latest NPS class over the detractors' share
// of customers whose class is known): overage about 1.51, the others about
// 0.97. The analysis must flag overage with the realised ratio inside its
// interval, and no fair fee. Tolerance 0.005 on the ratios: the definitions
// are the truth's; only a quarantined payment row could separate them.

let truth: Truth;
let result: Result;

beforeAll(async () => {
  const company = await importStandardCompany('bad-revenue-company');
  truth = company.truth;
  const { results } = await company.ws.analyze(['bad-revenue'], {}, { fresh: true });
  result = results.find((r) => r.name === 'bad-revenue') as Result;
}, 300_000);

describe('bad-revenue on the standard simulated company', () => {
  it('flags the overage fee, with the realised ratio inside its interval, and no fair fee', () => {
    expect([result.status, result.reason]).toEqual(['ok', undefined]);
    const rows = resultRows(result, 'bad_revenue_detractors');
    const report: string[] = [];
    for (const fee of truth.fees) {
      const row = rows.find((r) => r['key'] === `fee:${fee.chargeType}`);
      expect(row, fee.chargeType).toBeDefined();
      const [ratio, lower, upper] = [row?.['ratio'], row?.['lower'], row?.['upper']].map(Number) as [number, number, number];
      report.push(`${fee.chargeType}: ${ratio.toFixed(3)} [${lower.toFixed(3)}, ${upper.toFixed(3)}] ${String(row?.['status'])}; realised ${fee.realised.concentrationRatio}, planted ${fee.planted.concentrationRatio}`);
      expect(Math.abs(ratio - fee.realised.concentrationRatio), fee.chargeType).toBeLessThan(0.005);
      expect(Math.abs((row?.['revenue'] as number) - fee.realised.revenue) / fee.realised.revenue, fee.chargeType).toBeLessThan(0.005);
      expect(lower, fee.chargeType).toBeLessThan(fee.realised.concentrationRatio);
      expect(upper, fee.chargeType).toBeGreaterThan(fee.realised.concentrationRatio);
      expect(row?.['status'], fee.chargeType).toBe(fee.planted.concentrationRatio > 1 ? 'alert' : 'not clearly above its share');
    }
    process.stderr.write(`bad-revenue on the standard company:\n  ${report.join('\n  ')}\n`);
    // Nothing else alerts: the products (subscription, one-off purchases) are not concentrated either.
    expect(rows.filter((r) => r['status'] === 'alert').map((r) => r['key'])).toEqual(['fee:overage_fee']);
  });

  it('says so in a sentence a manager can repeat, with the money above the detractors’ share', () => {
    const finding = result.findings.find((f) => f.code === 'bad-revenue.line' && f.severity === 'high');
    expect(finding?.text).toMatch(/^Overage fee: 49\.\d% of its \$2\d\d,\d{3} from customers whose class is known comes from detractors, who are 32\.\d% of those customers \(1\.5\dx, 95% CI 1\.\d\dx to 1\.\d\dx\): it earns clearly more than its share from detractors, \$\d\d,\d{3} above their share/);
    const overage = truth.fees.find((f) => f.chargeType === 'overage_fee');
    const excess = (overage?.realised.detractorRevenue ?? 0) - (overage?.realised.revenueKnownClass ?? 0) * (overage?.realised.detractorCustomerShare ?? 0);
    expect(Math.abs((finding?.moneyAtStake?.amount ?? 0) - excess)).toBeLessThan(0.005 * excess);
    expect(result.summary[0]).toMatch(/^One revenue line earns clearly more than its share from detractors/);
    // Context: about a third of revenue from detractors, well above the 10% rule of thumb, which is not the alert.
    const share = result.findings.find((f) => f.code === 'bad-revenue.overall_share');
    expect(share?.severity).toBe('info');
    expect(share?.estimate).toBeGreaterThan(0.1);
    expect(result.charts[0]?.data.values.length).toBe(5);
  });
});
