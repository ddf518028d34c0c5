import { UserError } from '../errors.js';

/** One predictor that the others already explain completely. */
export interface CollinearColumn {
  column: string;
  /** The earlier predictors it is a linear combination of; empty when it is always zero. */
  dependsOn: string[];
}

function describe(entry: CollinearColumn): string {
  if (entry.dependsOn.length === 0) return `'${entry.column}' is always zero`;
  return `'${entry.column}' is a linear combination of ${entry.dependsOn.map((name) => `'${name}'`).join(', ')}`;
}

/**
 * A model's predictors carry the same information twice (X'X is singular), so
 * their separate effects cannot be estimated. The user fixes it by dropping or
 * merging one of the named columns.
 */
export class CollinearPredictorsError extends UserError {
  readonly collinear: CollinearColumn[];

  constructor(collinear: CollinearColumn[]) {
    super('collinear_predictors', `The model's predictors are collinear: ${collinear.map(describe).join('; ')}.`, {
      hint: 'Remove one of the named columns from the model (or combine them into one): the data cannot separate their effects.',
    });
    this.collinear = collinear;
  }
}
