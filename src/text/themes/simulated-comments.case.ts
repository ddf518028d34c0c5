import type { Comment } from '../../simulate/comments.js';
import { drawComment } from '../../simulate/comments.js';
import { Rng } from '../../simulate/random.js';
import type { NpsClass } from '../../simulate/satisfaction.js';
import { AREAS } from '../../simulate/satisfaction.js';

/** `count` non-empty simulated comments of respondents with random area ratings and NPS class, each with its planted theme. */
export function simulatedComments(seed: number, count: number): (Comment & { id: string })[] {
  const rng = Rng.fromSeed(seed);
  const out: (Comment & { id: string })[] = [];
  for (let response = 0; out.length < count; response += 1) {
    const ratings = AREAS.map(() => rng.int(1, 5));
    const score = rng.int(0, 10);
    const npsClass: NpsClass = score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor';
    const comment = drawComment(rng, npsClass, ratings);
    if (comment !== null) out.push({ ...comment, id: `r${String(response).padStart(6, '0')}` });
  }
  return out;
}
