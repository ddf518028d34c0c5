import { describe, expect, it } from 'vitest';
import { extractThemes } from './extract-themes.js';
import { ONLINE_SHOP_COMMENTS } from './online-shop.case.js';
import { themePurity } from './purity.js';
import { RETAIL_BANK_COMMENTS } from './retail-bank.case.js';

// Sets of other industries than the simulator's telecom, labelled by topic (praise
// and complaint alike), so inverse purity is lowered by the split into complaints
// and praise; the concept-level inverse purity (facets merged) shows topic recall.
const CASES = [
  { name: 'online shop', comments: ONLINE_SHOP_COMMENTS, minPurity: 0.9, minConceptInverse: 0.85 },
  { name: 'retail bank (held out)', comments: RETAIL_BANK_COMMENTS, minPurity: 0.85, minConceptInverse: 0.8 },
];

describe('hand-written comments of other industries', () => {
  for (const { name, comments, minPurity, minConceptInverse } of CASES) {
    it(`group by topic with the built-in lexicon alone: ${name}`, () => {
      const result = extractThemes(comments);
      const truth = new Map(comments.map((comment) => [comment.id, comment.label]));
      const found = new Map([...result.assignments].map(([id, assignment]) => [id, assignment.primary]));
      const byTheme = themePurity(found, truth);
      const byConcept = themePurity(new Map([...found].map(([id, key]) => [id, key?.split('.')[0] ?? null])), truth);
      const themes = result.themes.map((theme) => `${theme.label} [${theme.key}] ${theme.size}`).join('; ');
      console.log(`${name}: purity ${byTheme.purity.toFixed(3)}, inverse purity ${byTheme.inversePurity.toFixed(3)} (by concept ${byConcept.inversePurity.toFixed(3)}), assigned ${byTheme.assigned}/${byTheme.labelled}; ${themes}`);
      expect(byTheme.assigned).toBeGreaterThanOrEqual(0.95 * comments.length);
      expect(byTheme.purity).toBeGreaterThanOrEqual(minPurity);
      expect(byConcept.inversePurity).toBeGreaterThanOrEqual(minConceptInverse);
      for (const label of byTheme.trueLabels) expect(label.isMajorityOfSomeTheme, label.label).toBe(true);
    });
  }
});
