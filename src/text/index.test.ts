import { describe, expect, it } from 'vitest';
import { detectLanguage, isEnglish, polarityScores } from './index.js';

describe('the text layer', () => {
  it('scores English comments and sets the others aside', () => {
    const comments = ['Friendly and patient staff, thank you!', 'La app falla constantemente.', 'ok'];
    const scored = comments.filter(isEnglish).map((text) => polarityScores(text).compound);
    // "Friendly" 2.2 + "thank" 1.5 = 3.7 ("patient" is not in the lexicon), plus 0.292 for "!" = 3.992:
    // 3.992 / sqrt(3.992^2 + 15) = 0.7177. "ok" (1.2, its last lexicon entry) alone: 1.2 / sqrt(1.44 + 15) = 0.2960.
    expect(scored).toEqual([0.7177, 0.296]);
    expect(detectLanguage(comments[1] ?? '').language).toBe('es');
  });
});
