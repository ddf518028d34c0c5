import { expect } from 'vitest';
import { behaviourOutcome, checkBehaviourOutcomes, type BehaviourOutcome } from './behaviour-seeds.js';
import { checkProfileSeed } from './profile-seeds.js';
import { importSeedCompany, recordedOutcomes, recordOutcome, removeSeedCompany, SEEDS } from './seed-company.js';

/**
 * One seed of every multi-seed validation: the company simulated and
 * imported once, the analyses run once, each issue's per-seed outcome
 * recorded; then the profile's checks, which re-import (last, since they
 * change the workspace).
 */
export async function checkSeed(seed: number): Promise<void> {
  const company = await importSeedCompany(seed);
  try {
    const { results } = await company.ws.analyze(['profile', 'perfect-customer', 'key-drivers']);
    const byName = new Map(results.map((r) => [r.name, r]));
    const [pc, kd] = [byName.get('perfect-customer'), byName.get('key-drivers')];
    expect([pc?.status, kd?.status], `seed ${seed}: ${pc?.reason ?? ''} ${kd?.reason ?? ''}`).toEqual(['ok', 'ok']);
    recordOutcome('behaviour', seed, behaviourOutcome(seed, company.truth, pc, kd));
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
  for (const seed of own) expect(behaviour.has(seed), `seed ${seed} recorded`).toBe(true);
  if (SEEDS.every((s) => behaviour.has(s))) checkBehaviourOutcomes(SEEDS.map((s) => behaviour.get(s) as BehaviourOutcome));
}
