import { chiSquareSf } from '../distributions/chi-square.js';

/*
 * The signal check is data, not prose: each issue has a stable code a report
 * can key on, a kind, a sentence a manager can read, and the numbers behind it.
 * `no_signal` issues mean the purchase history does not help predict the
 * future; `boundary` issues mean a parameter ran to the edge of its range (the
 * model has collapsed into a simpler one); `unreliable` issues concern the fit
 * itself; `assumption` issues flag a model assumption the data contradict.
 */
export type SignalKind = 'no_signal' | 'boundary' | 'unreliable' | 'assumption';

export type SignalCode =
  | 'no_better_than_common_rate'
  | 'history_uninformative'
  | 'no_better_than_mean_in_holdout'
  | 'no_dropout'
  | 'no_rate_heterogeneity'
  | 'no_spend_heterogeneity'
  | 'spend_mean_infinite'
  | 'spend_depends_on_frequency'
  | 'constant_churn'
  | 'too_few_repeat_buyers'
  | 'not_converged'
  | 'standard_errors_unavailable';

export interface SignalIssue {
  code: SignalCode;
  kind: SignalKind;
  sentence: string;
  evidence: Record<string, number>;
}

export interface SignalCheck {
  /** False when any `no_signal` issue fired. */
  hasSignal: boolean;
  issues: SignalIssue[];
}

export function signalCheck(issues: readonly (SignalIssue | null)[]): SignalCheck {
  const present = issues.filter((issue): issue is SignalIssue => issue !== null);
  return { hasSignal: !present.some((issue) => issue.kind === 'no_signal'), issues: present };
}

/** Significance level below which the likelihood-ratio test counts as evidence of signal. */
export const SIGNAL_ALPHA = 0.05;

/*
 * Above this gamma shape the purchase rates' coefficient of variation, 1/√r, is
 * under 10%: for prediction, one common rate. The fits stop before r runs off to
 * infinity (r ≈ 150-10⁶ on common-rate data, wherever the gradient test passes),
 * so the threshold must sit well below that.
 */
const NO_HETEROGENEITY_SHAPE = 100;

/**
 * What BG/NBD and Pareto/NBD share at the edge of their purchase-rate
 * parameters (Gamma(r, α) rates): one rate for all, and with no dropout
 * either, a history that predicts nothing.
 */
export function purchaseRateIssues(params: { r: number; alpha: number }, noDropout: boolean): SignalIssue[] {
  if (params.r <= NO_HETEROGENEITY_SHAPE) return [];
  const issues: SignalIssue[] = [
    {
      code: 'no_rate_heterogeneity',
      kind: 'boundary',
      sentence: 'The model finds every customer buying at nearly the same rate (their spread is under 10% of the mean rate).',
      evidence: { r: params.r, rateCoefficientOfVariation: 1 / Math.sqrt(params.r), meanRate: params.r / params.alpha },
    },
  ];
  if (noDropout) {
    issues.push({
      code: 'history_uninformative',
      kind: 'no_signal',
      sentence: 'With one purchase rate for all and no dropout, the model predicts the same future for every customer whatever their history.',
      evidence: { meanRate: params.r / params.alpha },
    });
  }
  return issues;
}

/**
 * Likelihood-ratio test of a BG/NBD or Pareto/NBD fit against its own boundary
 * "everyone buys at one Poisson rate and nobody drops out" (r, α → ∞ with
 * r/α = λ, and no dropout), under which a customer's history says nothing
 * about their future. That model's log-likelihood (the same density of the
 * purchase times, λˣe^(−λT)) is maximized at λ = Σx / ΣT. The null sits on the
 * boundary of the parameter space, so the χ² reference with 3 degrees of
 * freedom (4 parameters against 1) is conservative: it errs towards "no signal".
 */
export function commonRateTest(rows: readonly { x: number; T: number; count: number }[], logLikelihood: number): SignalIssue | null {
  let purchases = 0;
  let exposure = 0;
  for (const { x, T, count } of rows) {
    purchases += count * x;
    exposure += count * T;
  }
  const rate = purchases / exposure;
  const nullLogLikelihood = purchases > 0 ? purchases * Math.log(rate) - rate * exposure : 0;
  const statistic = Math.max(0, 2 * (logLikelihood - nullLogLikelihood));
  const pValue = chiSquareSf(statistic, 3);
  if (pValue <= SIGNAL_ALPHA) return null;
  return {
    code: 'no_better_than_common_rate',
    kind: 'no_signal',
    sentence:
      'The purchase histories fit no better than a single purchase rate shared by every customer with no dropout, so a customer’s past purchases do not help predict their future ones.',
    evidence: { statistic, pValue, commonRate: rate, nullLogLikelihood },
  };
}

/** Issues about the optimizer and the curvature at its end point. */
export function fitReliabilityIssues(converged: boolean, gradientNorm: number, iterations: number, covarianceAvailable: boolean): SignalIssue[] {
  const issues: SignalIssue[] = [];
  if (!converged) {
    issues.push({
      code: 'not_converged',
      kind: 'unreliable',
      sentence: 'The fit stopped before the likelihood reached its maximum; treat the estimates as approximate.',
      evidence: { gradientNorm, iterations },
    });
  }
  if (!covarianceAvailable) {
    issues.push({
      code: 'standard_errors_unavailable',
      kind: 'unreliable',
      sentence: 'The likelihood is flat in some direction at the estimate, so the parameters have no usable standard errors.',
      evidence: {},
    });
  }
  return issues;
}
