import { describe, it } from 'vitest';
import { checkProfileSeed } from '../helpers/profile-seeds.js';

// Issue 4's validation over 10 seeds of a 20k-customer simulated company,
// in two files so the two test workers share them (seeds 1-5 and 6-10).
// What each seed checks: test/helpers/profile-seeds.ts.
describe('profile over simulated companies (20k customers)', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`seed ${seed}: planted concentration and drift reported; a re-import is "no material change"; a planted shift is a change`, async () => {
      await checkProfileSeed(seed);
    }, 600_000);
  }
});
