import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CxrayError } from '../../errors.js';

/**
 * VADER 3.3.2's two lexicons, read once on first use from the TSV files in
 * ./data (see data/SOURCE.md). The files sit next to this module in src/ and,
 * copied by the build script, in dist/, so one relative URL serves both.
 */

let wordLexicon: ReadonlyMap<string, number> | undefined;
let emojiLexicon: ReadonlyMap<string, string> | undefined;

/**
 * Token -> mean valence, with the reference's semantics: lines in file order,
 * a token listed twice keeps its last value (14 tokens are, e.g. "lol").
 */
export function vaderLexicon(): ReadonlyMap<string, number> {
  wordLexicon ??= parseWordLexicon(readData('vader-lexicon.tsv'));
  return wordLexicon;
}

/**
 * Emoji code point -> its CLDR description ("💘" -> "heart with arrow"). Only
 * single-code-point entries are kept: 3.3.2 looks emoji up one code point at a
 * time, so its multi-code-point entries (skin tones, ZWJ sequences, flags,
 * keycaps) can never match.
 */
export function vaderEmojiLexicon(): ReadonlyMap<string, string> {
  emojiLexicon ??= parseEmojiLexicon(readData('emoji-lexicon.tsv'));
  return emojiLexicon;
}

function readData(name: string): string {
  const path = fileURLToPath(new URL(`./data/${name}`, import.meta.url));
  try {
    return readFileSync(path, 'utf8');
  } catch (cause) {
    throw new CxrayError('sentiment_lexicon_missing', `The sentiment lexicon ${name} could not be read.`, {
      hint: 'The build copies src/text/sentiment/data next to the compiled module; run `npm run build` again.',
      file: path,
      cause,
    });
  }
}

export function parseWordLexicon(text: string): Map<string, number> {
  const lexicon = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const [token, measure] = line.split('\t');
    const valence = Number(measure);
    if (token === undefined || token === '' || measure === undefined || !Number.isFinite(valence)) {
      throw new CxrayError('sentiment_lexicon_corrupt', `vader-lexicon.tsv: malformed line ${JSON.stringify(line)}`);
    }
    lexicon.set(token, valence);
  }
  return lexicon;
}

export function parseEmojiLexicon(text: string): Map<string, string> {
  const lexicon = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const [emoji, description] = line.split('\t');
    if (emoji === undefined || Array.from(emoji).length !== 1 || description === undefined || description === '') {
      throw new CxrayError('sentiment_lexicon_corrupt', `emoji-lexicon.tsv: malformed line ${JSON.stringify(line)}`);
    }
    lexicon.set(emoji, description);
  }
  return lexicon;
}
