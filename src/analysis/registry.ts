import { nearest } from '../config/suggest.js';
import { UserError } from '../errors.js';
import { badRevenueAnalysis } from './bad-revenue/index.js';
import { changesAnalysis } from './changes/index.js';
import { commentsAnalysis } from './comments/index.js';
import { feeAftermathAnalysis } from './fee-aftermath/index.js';
import { fitAnalysis } from './fit/index.js';
import { idealProfileAnalysis } from './ideal-profile/index.js';
import { keyDriversAnalysis } from './key-drivers/index.js';
import { lifetimeValueAnalysis } from './lifetime-value/index.js';
import { misalignedAnalysis } from './misaligned/index.js';
import { mixAnalysis } from './mix/index.js';
import { ANALYSIS_NAMES, isAnalysisName, type AnalysisName } from './names.js';
import { perfectCustomerAnalysis } from './perfect-customer/index.js';
import { profileAnalysis } from './profile/index.js';
import { quarterEndAnalysis } from './quarter-end/index.js';
import { referralsAnalysis } from './referrals/index.js';
import { scorecardAnalysis } from './scorecard/index.js';
import type { Analysis } from './types.js';
import { valueAnalysis } from './value/index.js';
import { valueBalanceAnalysis } from './value-balance/index.js';

/** Every analysis, in the fixed order of ANALYSIS_NAMES. */
export const ANALYSES: readonly Analysis[] = [
  profileAnalysis,
  perfectCustomerAnalysis,
  keyDriversAnalysis,
  valueAnalysis,
  lifetimeValueAnalysis,
  fitAnalysis,
  idealProfileAnalysis,
  misalignedAnalysis,
  mixAnalysis,
  referralsAnalysis,
  badRevenueAnalysis,
  feeAftermathAnalysis,
  quarterEndAnalysis,
  valueBalanceAnalysis,
  scorecardAnalysis,
  commentsAnalysis,
  changesAnalysis,
];

const BY_NAME = new Map<AnalysisName, Analysis>(ANALYSES.map((a) => [a.name, a]));

export function analysisByName(name: AnalysisName): Analysis {
  const found = BY_NAME.get(name);
  if (found === undefined) throw new Error(`analysis ${name} is not registered`);
  return found;
}

/** Checks user-given names: an unknown one is a UserError naming the nearest. */
export function checkAnalysisNames(names: readonly string[]): AnalysisName[] {
  return names.map((name) => {
    if (isAnalysisName(name)) return name;
    const near = nearest(name, ANALYSIS_NAMES);
    throw new UserError('unknown_analysis', `There is no analysis called ${JSON.stringify(name)}.`, {
      hint: near === undefined ? `Run \`cxray analyze --list\` for the names.` : `Did you mean ${near}? (\`cxray analyze --list\` names them all.)`,
    });
  });
}

/**
 * The analyses to run for `requested` (all when empty), with every
 * dependency, each after the analyses it depends on; ties keep the fixed
 * order of ANALYSIS_NAMES.
 */
export function runOrder(requested: readonly AnalysisName[], analyses: readonly Analysis[] = ANALYSES): Analysis[] {
  const byName = new Map(analyses.map((a) => [a.name, a]));
  const wanted = new Set<AnalysisName>();
  const visit = (name: AnalysisName, path: AnalysisName[]): void => {
    if (path.includes(name)) throw new Error(`analysis dependency cycle: ${[...path, name].join(' -> ')}`);
    if (wanted.has(name)) return;
    const analysis = byName.get(name);
    if (analysis === undefined) throw new Error(`analysis ${name} is not registered`);
    for (const dep of analysis.dependsOn) visit(dep, [...path, name]);
    wanted.add(name);
  };
  for (const name of requested.length === 0 ? analyses.map((a) => a.name) : requested) visit(name, []);
  const order: Analysis[] = [];
  const done = new Set<AnalysisName>();
  while (order.length < wanted.size) {
    const next = analyses.find((a) => wanted.has(a.name) && !done.has(a.name) && a.dependsOn.every((d) => done.has(d)));
    if (next === undefined) throw new Error('analysis dependency cycle');
    order.push(next);
    done.add(next.name);
  }
  return order;
}
