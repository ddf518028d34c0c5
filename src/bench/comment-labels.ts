// The text layer (src/text) on the pandas reference's own comments: the
// reference (bench/reference/comments.py) reads the survey export itself,
// forms its comments, and asks this step for what only cxray's text
// algorithms say about them (a language guess, VADER 3.3.2's compound
// score, the themes of the lexicon and of shared phrases), so that the
// reference does not re-implement VADER or the lexicon in Python and its
// agreement with cxray checks everything downstream of the text layer.
// Two steps, each a JSON file in and a JSON file out:
//   node --import tsx src/bench/comment-labels.ts REQUEST.json ANSWER.json
// `read`: every comment's language and compound; `themes`: the themes of the
// comments the reference chose to theme, each comment's primary and other
// themes. What to score, sample, count and compare is the reference's.
import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { commentThemeSchema } from '../config/schema.js';
import { detectLanguage, polarityScores } from '../text/index.js';
import { extractThemes, resolveConcepts } from '../text/themes/index.js';

const readRequestSchema = z.strictObject({
  step: z.literal('read'),
  comments: z.array(z.strictObject({ id: z.string(), text: z.string() })),
});

const themesRequestSchema = z.strictObject({
  step: z.literal('themes'),
  comments: z.array(z.strictObject({ id: z.string(), text: z.string(), sentiment: z.number().nullable() })),
  /** cxray.yaml's comment_themes as the reference read it. */
  concepts: z.record(z.string(), commentThemeSchema).default({}),
});

export const commentLabelRequestSchema = z.discriminatedUnion('step', [readRequestSchema, themesRequestSchema]);
export type CommentLabelRequest = z.input<typeof commentLabelRequestSchema>;

/** One comment as the text layer reads it: the detector's language ('und' when too short to tell) and VADER's compound score. */
export interface CommentReading {
  id: string;
  language: string;
  compound: number;
}

/** A theme as extractThemes names it, with its concept's own label (what area links match on). */
export interface ThemeLabel {
  key: string;
  label: string;
  area: string | null;
  source: 'concept' | 'discovered';
  concept: string | null;
  concept_label: string | null;
  polarity: string;
}

export interface ThemeAssignmentLabel {
  id: string;
  primary: string | null;
  secondary: string[];
  status: string;
}

export type CommentLabelAnswer =
  | { step: 'read'; labels: CommentReading[] }
  | { step: 'themes'; themes: ThemeLabel[]; assignments: ThemeAssignmentLabel[]; min_theme_size: number };

/**
 * The text layer's labels for one request: per comment its detected language
 * and compound score (`read`), or the themes of the comments given and each
 * comment's assignment (`themes`, the comments read as English with their
 * compound as the sentiment extractThemes falls back on, as cxray's
 * readComments passes them).
 *
 * @example
 * commentLabels({ step: 'read', comments: [{ id: 'R_1', text: 'Great service!' }] })
 * // { step: 'read', labels: [{ id: 'R_1', language: 'en', compound: 0.6588 }] }
 */
export function commentLabels(request: CommentLabelRequest): CommentLabelAnswer {
  const parsed = commentLabelRequestSchema.parse(request);
  if (parsed.step === 'read') {
    return { step: 'read', labels: parsed.comments.map((c) => ({ id: c.id, language: detectLanguage(c.text).language, compound: polarityScores(c.text).compound })) };
  }
  const extraction = extractThemes(
    parsed.comments.map((c) => ({ id: c.id, text: c.text, language: 'en', sentiment: c.sentiment })),
    { concepts: parsed.concepts },
  );
  const conceptLabels = new Map(resolveConcepts(parsed.concepts).map((c) => [c.key, c.label]));
  return {
    step: 'themes',
    themes: extraction.themes.map((t) => ({
      key: t.key,
      label: t.label,
      area: t.area,
      source: t.source,
      concept: t.concept,
      concept_label: t.concept === null ? null : (conceptLabels.get(t.concept) ?? null),
      polarity: t.polarity,
    })),
    assignments: [...extraction.assignments].map(([id, a]) => ({ id, primary: a.primary, secondary: [...a.secondary], status: a.status })),
    min_theme_size: extraction.minThemeSize,
  };
}

async function main(): Promise<void> {
  const [request, answer] = process.argv.slice(2);
  if (request === undefined || answer === undefined) throw new Error('usage: comment-labels REQUEST.json ANSWER.json');
  const body: unknown = JSON.parse(await readFile(request, 'utf8'));
  await writeFile(answer, JSON.stringify(commentLabels(commentLabelRequestSchema.parse(body))));
}

if (/comment-labels\.[jt]s$/.test(process.argv[1] ?? '')) await main();
