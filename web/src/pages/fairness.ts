import { findingOf, headlineCards } from '../findings-view.js';
import { loadResults, okResult, type PageContext } from '../page-context.js';
import { filterProblem, pageHeader } from '../page-frame.js';
import { resultSection } from '../result-section.js';

const NAMES = ['bad-revenue', 'fee-aftermath', 'quarter-end', 'value-balance'] as const;

/** Fairness: revenue that comes from unhappy customers, what follows a fee, quarter-end pushes, and value delivered against value captured. */
export async function renderFairness(ctx: PageContext): Promise<Node[]> {
  const loaded = await loadResults(ctx, NAMES);
  const header = pageHeader(ctx, 'Fairness', 'Where revenue comes disproportionately from unhappy customers, what happens after a fee, what quarter-end pushes cost, and who pays more than the value they get.');
  const empty = filterProblem(loaded);
  if (empty !== null) return [header, empty];
  const balance = okResult(loaded['value-balance']);
  return [
    header,
    headlineCards([
      { label: 'Revenue from detractors', finding: findingOf(okResult(loaded['bad-revenue']), 'bad-revenue.overall_share') },
      { label: 'Quarter-end intake', finding: findingOf(okResult(loaded['quarter-end']), 'quarter-end.intake') },
      { label: 'Quarter-end churn hazard', finding: findingOf(okResult(loaded['quarter-end']), 'quarter-end.churn_hazard') },
      { label: 'Price per customer-month on the value map', finding: findingOf(balance, 'value_balance.mean_price') },
    ]),
    resultSection(ctx, 'bad-revenue', loaded['bad-revenue'], { title: 'Revenue from dissatisfied customers', open: ['bad_revenue_detractors'] }),
    resultSection(ctx, 'fee-aftermath', loaded['fee-aftermath'], { title: 'After a first fee', open: ['fee_aftermath'] }),
    resultSection(ctx, 'quarter-end', loaded['quarter-end'], { title: 'Quarter-end pushes', open: ['quarter_end_outcomes'] }),
    resultSection(ctx, 'value-balance', loaded['value-balance'], { title: 'Value delivered against value captured', open: ['value_balance_segments'] }),
  ];
}
