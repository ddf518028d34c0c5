import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { drawComment } from '../../simulate/comments.js';
import type { Comment } from '../../simulate/comments.js';
import { Rng } from '../../simulate/random.js';
import type { NpsClass } from '../../simulate/satisfaction.js';
import { detectLanguage, isEnglish } from './detect-language.js';

const NPS_CLASSES: readonly NpsClass[] = ['promoter', 'passive', 'detractor'];

/** Simulated comments exactly as the simulator writes them (typos, case, openers, closers). */
function simulatedComments(seed: number, count: number): Comment[] {
  const rng = Rng.fromSeed(seed);
  const comments: Comment[] = [];
  while (comments.length < count) {
    const npsClass = NPS_CLASSES[rng.int(0, 2)] ?? 'passive';
    const ratings = [1, 2, 3, 4, 5, 6, 7, 8].map(() => rng.int(1, 5));
    const comment = drawComment(rng, npsClass, ratings);
    if (comment !== null) comments.push(comment);
  }
  return comments;
}

describe('detectLanguage on the simulated comments', () => {
  // Five seeds, 600 comments each: about 8% are Spanish or French.
  const comments = [1, 2, 3, 4, 5].flatMap((seed) => simulatedComments(seed, 600));

  it('recognises at least 98% of them, and at least 98% within each language', () => {
    const byLanguage = new Map<string, { right: number; all: number }>();
    for (const comment of comments) {
      const tally = byLanguage.get(comment.language) ?? { right: 0, all: 0 };
      tally.all += 1;
      if (detectLanguage(comment.text).language === comment.language) tally.right += 1;
      byLanguage.set(comment.language, tally);
    }
    expect([...byLanguage.keys()].sort()).toEqual(['en', 'es', 'fr']);
    const right = [...byLanguage.values()].reduce((sum, tally) => sum + tally.right, 0);
    expect(right / comments.length).toBeGreaterThanOrEqual(0.98);
    for (const [language, tally] of byLanguage) {
      expect(tally.all, language).toBeGreaterThan(20);
      expect(tally.right / tally.all, language).toBeGreaterThanOrEqual(0.98);
    }
  });

  it('lets every simulated English comment through to scoring, and no Spanish or French one', () => {
    for (const comment of comments) expect(isEnglish(comment.text), comment.text).toBe(comment.language === 'en');
  });
});

describe('detectLanguage on comments written apart from the simulator (fixtures/held-out-comments.tsv)', () => {
  const rows = readFileSync(new URL('./fixtures/held-out-comments.tsv', import.meta.url), 'utf8').trim().split('\n').slice(1)
    .map((line) => {
      const [language = '', text = ''] = line.split('\t');
      return { language, text };
    });

  it('has the rows of its SOURCE.md', () => {
    expect(rows).toHaveLength(119);
  });

  it.each(rows)('$language: $text', ({ language, text }) => {
    expect(detectLanguage(text).language).toBe(language);
  });
});

describe('short and mixed comments', () => {
  it('calls text without evidence undetermined, and undetermined counts as English for scoring', () => {
    for (const text of ['ok', 'OK!!', '10/10', ':)', '😀', '', '   ', 'Claro']) {
      expect(detectLanguage(text), text).toEqual({ language: 'und', confidence: 0 });
      expect(isEnglish(text), text).toBe(true);
    }
  });

  it('recognises one- and two-word comments when a frequent word gives them away', () => {
    expect(detectLanguage('great!').language).toBe('en');
    expect(detectLanguage('Muy bien').language).toBe('es');
    expect(detectLanguage('Très bien').language).toBe('fr');
    expect(detectLanguage('Gracias').language).toBe('es');
    expect(detectLanguage('merci !').language).toBe('fr');
  });

  it('follows the language most of a mixed comment is in', () => {
    expect(detectLanguage('Great service, gracias!').language).toBe('en');
    expect(detectLanguage('Muy buen servicio, thanks').language).toBe('es');
    expect(detectLanguage('Le service est vraiment top, very good').language).toBe('fr');
  });

  it('reads French elisions and English contractions', () => {
    expect(detectLanguage("L'appli se ferme toute seule.").language).toBe('fr');
    expect(detectLanguage("Don't call me again").language).toBe('en');
    expect(detectLanguage('l’application plante').language).toBe('fr');
  });

  it('reports confidence as the share of the evidence for the chosen language', () => {
    const clear = detectLanguage('The network goes down almost every week and nobody can explain why.');
    expect(clear.language).toBe('en');
    expect(clear.confidence).toBeGreaterThan(0.7);
    expect(clear.confidence).toBeLessThanOrEqual(1);
    const mixed = detectLanguage('Great service, gracias!');
    expect(mixed.confidence).toBeLessThan(clear.confidence);
  });

  it('keeps non-English text away from the English lexicon', () => {
    expect(isEnglish('Beaucoup trop cher pour ce que c’est.')).toBe(false);
    expect(isEnglish('Es demasiado caro para lo que ofrece.')).toBe(false);
    expect(isEnglish('Die Preise sind viel zu hoch.')).toBe(false);
    expect(isEnglish('Too expensive for what you get.')).toBe(true);
  });
});
