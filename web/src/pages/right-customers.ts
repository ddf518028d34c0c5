import { findingOf, headlineCards } from '../findings-view.js';
import { loadResults, okResult, type PageContext } from '../page-context.js';
import { filterProblem, pageHeader } from '../page-frame.js';
import { resultSection } from '../result-section.js';

const NAMES = ['value', 'fit', 'ideal-profile', 'misaligned', 'mix', 'referrals', 'lifetime-value'] as const;

/** Right customers: value and fit, the ideal profile as rules, misaligned segments, the mix by cohort, who refers whom, lifetime value. */
export async function renderRightCustomers(ctx: PageContext): Promise<Node[]> {
  const loaded = await loadResults(ctx, NAMES);
  const header = pageHeader(ctx, 'Right customers', 'Which customers fit: what they are worth, the ideal profile, the segments that cost more than they bring, and who brings whom.');
  const empty = filterProblem(loaded);
  if (empty !== null) return [header, empty];
  const value = okResult(loaded.value);
  return [
    header,
    headlineCards([
      { label: 'Net value per customer-month', finding: findingOf(value, 'value.net_value_per_month') },
      { label: 'Customers who cost more than they bring', finding: findingOf(value, 'value.unprofitable_customers') },
      { label: 'Lifetime value, next 12 months', finding: findingOf(okResult(loaded['lifetime-value']), 'lifetime-value.mean_value') },
      { label: 'Top against bottom tenth of fit', finding: findingOf(okResult(loaded.fit), 'fit.calibration_spread') },
      { label: 'Ideal profile in new customers', finding: findingOf(okResult(loaded.mix), 'mix.ideal_drift') },
      { label: 'Referral multiplier', finding: findingOf(okResult(loaded.referrals), 'referrals.multiplier') },
    ]),
    resultSection(ctx, 'fit', loaded.fit, { title: 'Fit: distribution and what makes the score', open: ['fit_components'] }),
    resultSection(ctx, 'ideal-profile', loaded['ideal-profile'], { title: 'The ideal customer profile', open: ['ideal_rules'] }),
    resultSection(ctx, 'misaligned', loaded.misaligned, { title: 'Misaligned segments', open: ['misaligned_segments'] }),
    resultSection(ctx, 'mix', loaded.mix, { title: 'The mix of new customers, by cohort', open: ['mix_drift'] }),
    resultSection(ctx, 'referrals', loaded.referrals, { title: 'Referrals: who brings whom', open: ['referral_homophily'] }),
    resultSection(ctx, 'value', loaded.value, { title: 'Value per customer', open: ['value_by_segment'] }),
    resultSection(ctx, 'lifetime-value', loaded['lifetime-value'], { title: 'Lifetime value', open: ['value_by_segment'] }),
  ];
}
