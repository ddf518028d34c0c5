import { describe, it } from 'vitest';
import { checkAcrossSeeds, checkSeed } from '../helpers/seed-checks.js';

// The multi-seed validations of issues 4, 5 and 6 over 10 simulated companies
// of 20k customers, seeds 6-10 here and the rest in the other seeds file, so
// the two test workers share them. Each seed is simulated and imported once
// (test/helpers/seed-company.ts); what is checked: test/helpers/profile-seeds.ts
// (every seed), behaviour-seeds.ts and right-customers-seeds.ts (at least 9
// of the 10 seeds).
const OWN = [6, 7, 8, 9, 10];

describe('simulated companies, seeds 6-10 (20k customers)', () => {
  for (const seed of OWN) {
    it(`seed ${seed}: the profile's planted concentration, drift and shift; the behaviours', drivers' and right customers' outcomes recorded`, async () => {
      await checkSeed(seed);
    }, 600_000);
  }

  it('the criteria over all 10 seeds hold (checked by whichever seeds file finishes last)', () => {
    checkAcrossSeeds(OWN);
  });
});
