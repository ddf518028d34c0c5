import { describePeriod } from '../period.js';
import type { MethodText } from '../result-builder.js';
import type { AnalysisContext } from '../types.js';
import { words } from '../wording.js';
import { MAX_MIXING_LEVELS } from './attribute-mixing.js';
import { EARLY_VALUE_WINDOWS, MINIMUM_VALUE_PAIRS } from './value-assortativity.js';

/** What the referrals analysis computed and assumed, for the Result's method. */
export function method(ctx: AnalysisContext, used: { covariates: readonly string[]; withValue: boolean; valueDays: number | null }): MethodText {
  const fdr = words.percent(ctx.thresholds.fdr, 0);
  const label = (name: string): string => ctx.facts.attributes.find((a) => a.name === name)?.source ?? name.replaceAll('_', ' ');
  return {
    description:
      'The referral graph: each referred customer paired with its referrer (customer_facts.referred_by, from the referrals table or a referred-by column fed into it); ' +
      'referrals made per customer are customer_facts.referrals_made (distinct customers each referred). ' +
      'Share of customers who refer (Wilson interval) and referrals per customer (t interval), overall and by segment (cxray.yaml segments and categorical attributes known at acquisition; levels under the minimum size pooled, not ranked); ' +
      `each segment's share against the other customers (Newcombe interval, pooled z test), screened together by Benjamini-Hochberg at ${fdr} and the percentage-point threshold. ` +
      'Homophily per attribute known at acquisition: the share of pairs whose referrer and referred customer share the value, against the share expected by chance, Σ over values of the referrers\' share times the referred customers\' share (both over pairs, the independence baseline); ' +
      "Newman's assortativity coefficient r = (same − chance) / (1 − chance) (Newman 2003, Mixing patterns in networks). " +
      'Intervals by the delta method clustered by referrer (a sandwich over referrers, so one referrer bringing several customers counts once); a two-sided score test of same = chance per attribute (the same clustered variance, taken under independence), ' +
      `the attributes screened together by Benjamini-Hochberg at ${fdr} and the percentage-point threshold; attributes with more than ${MAX_MIXING_LEVELS} values among referred customers, or one value on either side (a segment rule fixing the referrers' value), are not tested. ` +
      `Homophily in value: the rank (Spearman) and linear (Pearson) correlation between a referrer's net value over its own first days and each referred customer's over theirs (${EARLY_VALUE_WINDOWS.join(' days, else ')} days, whichever first gives ${MINIMUM_VALUE_PAIRS} pairs with both windows complete by as_of), ` +
      'standard errors by the delta method clustered by referrer, intervals on Fisher\'s z scale. ' +
      'Who brings whom: pairs by referrer value × referred value, with each referrer value\'s row shares. ' +
      'Referred against other customers: net value per customer-month (each group\'s ratio of totals; the difference as the coefficient of a least-squares fit of net value per month weighted by months, HC1 errors), satisfaction (NPS or CSAT of the latest answer; difference and least-squares coefficient) and churn in the fixed retention window (difference of shares, Newcombe; adjusted odds ratio by logistic regression), raw and adjusted for the attributes known at acquisition other than the channel (being referred is a channel) and tenure; referrers against the others on satisfaction the same way. ' +
      'Downstream value: per referrer, its own net value to date and that of the customers it brought; per referrer with a t interval, and the referral multiplier (own + brought) / own as a ratio of totals over referrers (linearised error, t interval), overall and by the referrer\'s segment.',
    assumptions: [
      'A pair is in scope when its referrer is: the segment rule chooses who refers, and the customers they brought may lie outside it.',
      ctx.period === null
        ? `Referrals, value and satisfaction are as of as_of (${ctx.asOf}).`
        : `With the period ${describePeriod(ctx.period)}: a pair counts when its referred customer signed up in the period, and referred and other customers are compared among those who signed up in it; referrals made per customer count every referral by as_of, and money and satisfaction are to date.`,
      'A customer referred by several customers is paired with one referrer (the smallest id).',
      `Stated rate: when referrers and referred customers are drawn independently, homophily is claimed on some attribute in at most ${fdr} of analyses (the false discovery rate; under independence any claim is false).`,
      used.withValue
        ? `Value brought is net value to date: customers brought recently have had less time to bring it${used.valueDays === null ? '' : `, which is why value homophily compares first ${used.valueDays} days`}.`
        : 'No transactions (or no net value): value comparisons and the multiplier are not computed.',
      used.covariates.length === 0
        ? 'No covariate was available for the adjusted comparisons: adjusted and raw are the same fits on the same customers.'
        : `Adjusted comparisons hold ${words.list(used.covariates.map(label))} fixed; they are associations among comparable customers, not the effect of a referral programme.`,
    ],
  };
}
