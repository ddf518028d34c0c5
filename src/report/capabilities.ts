import type { AnalysisName } from '../analysis/names.js';

/** The report's sections after the executive page: one per capability, with the analyses that answer it, in order. */
export const CAPABILITIES: readonly { id: string; title: string; question: string; analyses: readonly AnalysisName[] }[] = [
  { id: 'customers', title: 'Who the customers are', question: 'Who buys, who stays, who is worth most, how they reach the company.', analyses: ['profile'] },
  { id: 'perfect-customer', title: 'The perfect customer', question: 'The behaviours that save or earn money, and what drives satisfaction and retention.', analyses: ['perfect-customer', 'key-drivers'] },
  {
    id: 'right-customers',
    title: 'The right customers',
    question: 'Value per customer, fit, the ideal profile, misaligned segments, the mix over time and referrals.',
    analyses: ['value', 'lifetime-value', 'fit', 'ideal-profile', 'misaligned', 'mix', 'referrals'],
  },
  { id: 'fairness', title: 'Fairness', question: 'Revenue that comes from unhappy customers, quarter-end pushes, and value delivered against value captured.', analyses: ['bad-revenue', 'fee-aftermath', 'quarter-end', 'value-balance'] },
  { id: 'scorecard', title: 'The experience scorecard', question: 'Experience areas and touchpoints, strong, average or weak, and what customers write.', analyses: ['scorecard', 'comments'] },
  { id: 'changes', title: 'Changes measured', question: 'The measured effect of the changes the company made and of its experiments.', analyses: ['changes'] },
];

/** Every analysis the report asks for, in section order. */
export const REPORT_ANALYSES: readonly AnalysisName[] = CAPABILITIES.flatMap((c) => c.analyses);
