import { expect } from 'vitest';
import { BAD_REVENUE_ANALYSIS, badRevenueOutcome, checkBadRevenueOutcomes, type BadRevenueOutcome } from './bad-revenue-seeds.js';
import { behaviourOutcome, checkBehaviourOutcomes, type BehaviourOutcome } from './behaviour-seeds.js';
import { CHANGES_ANALYSIS, changesOutcome, checkChangesOutcomes, type ChangesOutcome } from './changes-seeds.js';
import { checkProfileSeed } from './profile-seeds.js';
import { checkQuarterEndOutcomes, QUARTER_END_ANALYSIS, quarterEndOutcome, type QuarterEndOutcome } from './quarter-end-seeds.js';
import { checkRightCustomersOutcomes, RIGHT_CUSTOMERS_ANALYSES, rightCustomersOutcome, type RightCustomersOutcome } from './right-customers-seeds.js';
import { checkScorecardOutcomes, SCORECARD_ANALYSIS, scorecardOutcome, type ScorecardOutcome } from './scorecard-seeds.js';
import { importSeedCompany, recordedOutcomes, recordOutcome, removeSeedCompany, SEEDS } from './seed-company.js';

/**
 * One seed of every multi-seed validation: the company simulated and
 * imported once, the analyses run once (issues 4 to 8 in one analyze
 * call), each issue's per-seed outcome recorded; then the profile's checks,
 * which re-import (last, since they change the workspace).
 */
export async function checkSeed(seed: number): Promise<void> {
  const company = await importSeedCompany(seed);
  try {
    const { results } = await company.ws.analyze(['profile', 'perfect-customer', 'key-drivers', ...RIGHT_CUSTOMERS_ANALYSES, BAD_REVENUE_ANALYSIS, QUARTER_END_ANALYSIS, SCORECARD_ANALYSIS, CHANGES_ANALYSIS]);
    const byName = new Map(results.map((r) => [r.name, r]));
    const [pc, kd] = [byName.get('perfect-customer'), byName.get('key-drivers')];
    expect([pc?.status, kd?.status], `seed ${seed}: ${pc?.reason ?? ''} ${kd?.reason ?? ''}`).toEqual(['ok', 'ok']);
    recordOutcome('behaviour', seed, behaviourOutcome(seed, company.truth, pc, kd));
    recordOutcome('right-customers', seed, rightCustomersOutcome(seed, company.truth, byName));
    recordOutcome('bad-revenue', seed, badRevenueOutcome(seed, company.truth, byName.get(BAD_REVENUE_ANALYSIS)));
    recordOutcome('quarter-end', seed, quarterEndOutcome(seed, company.truth, byName.get(QUARTER_END_ANALYSIS)));
    recordOutcome('scorecard', seed, scorecardOutcome(seed, company.truth, byName.get(SCORECARD_ANALYSIS)));
    recordOutcome('changes', seed, changesOutcome(seed, company.truth, byName.get(CHANGES_ANALYSIS)));
    for (const name of RIGHT_CUSTOMERS_ANALYSES) expect([name, byName.get(name)?.status, byName.get(name)?.reason], `seed ${seed}`).toEqual([name, 'ok', undefined]);
    const profile = byName.get('profile');
    if (profile === undefined) throw new Error(`seed ${seed}: no profile result`);
    await checkProfileSeed(company, profile);
  } finally {
    removeSeedCompany(company);
  }
}

/**
 * The criteria over all seeds, from the outcomes the seed files recorded:
 * this file's own seeds must be there; when the other file's are too (this
 * file finished last), every criterion is checked over all of them.
 */
export function checkAcrossSeeds(own: readonly number[]): void {
  const behaviour = recordedOutcomes<BehaviourOutcome>('behaviour');
  const rightCustomers = recordedOutcomes<RightCustomersOutcome>('right-customers');
  const badRevenue = recordedOutcomes<BadRevenueOutcome>('bad-revenue');
  const quarterEnd = recordedOutcomes<QuarterEndOutcome>('quarter-end');
  const scorecard = recordedOutcomes<ScorecardOutcome>('scorecard');
  const changes = recordedOutcomes<ChangesOutcome>('changes');
  for (const seed of own) expect([behaviour.has(seed), rightCustomers.has(seed), badRevenue.has(seed), quarterEnd.has(seed), scorecard.has(seed), changes.has(seed)], `seed ${seed} recorded`).toEqual([true, true, true, true, true, true]);
  if (SEEDS.every((s) => behaviour.has(s))) checkBehaviourOutcomes(SEEDS.map((s) => behaviour.get(s) as BehaviourOutcome));
  if (SEEDS.every((s) => rightCustomers.has(s))) checkRightCustomersOutcomes(SEEDS.map((s) => rightCustomers.get(s) as RightCustomersOutcome));
  if (SEEDS.every((s) => badRevenue.has(s))) checkBadRevenueOutcomes(SEEDS.map((s) => badRevenue.get(s) as BadRevenueOutcome));
  if (SEEDS.every((s) => quarterEnd.has(s))) checkQuarterEndOutcomes(SEEDS.map((s) => quarterEnd.get(s) as QuarterEndOutcome));
  if (SEEDS.every((s) => scorecard.has(s))) checkScorecardOutcomes(SEEDS.map((s) => scorecard.get(s) as ScorecardOutcome));
  if (SEEDS.every((s) => changes.has(s))) checkChangesOutcomes(SEEDS.map((s) => changes.get(s) as ChangesOutcome));
}
