import type { Encoding } from '../types.js';

export interface EncodingGuess {
  encoding: Encoding;
  /** Bytes of byte-order mark at the start (0 when none). */
  bomLength: number;
  /** Why, for the comment in cxray.yaml. */
  note: string;
}

/**
 * Decide the text encoding from the first bytes. BOMs first (PayPal writes a
 * UTF-8 BOM, Google Play and Salesforce "Excel" downloads UTF-16LE with
 * `FF FE`); then UTF-16 without BOM by its zero bytes; then strict UTF-8,
 * and Windows-1252 when UTF-8 fails (old Excel saves on Windows).
 */
export function detectEncoding(head: Uint8Array): EncodingGuess {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3, note: 'UTF-8 with a byte-order mark' };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16', bomLength: 2, note: 'UTF-16LE (byte-order mark FF FE)' };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16', bomLength: 2, note: 'UTF-16BE (byte-order mark FE FF)' };
  const probe = head.subarray(0, Math.min(head.length, 4096));
  let oddZeros = 0;
  for (let i = 1; i < probe.length; i += 2) if (probe[i] === 0) oddZeros++;
  if (probe.length >= 4 && oddZeros > probe.length / 4) return { encoding: 'utf-16', bomLength: 0, note: 'UTF-16LE without a byte-order mark (zero high bytes)' };
  try {
    // stream: true tolerates a character cut at the end of the prefix.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return { encoding: 'utf-8', bomLength: 0, note: 'UTF-8' };
  } catch {
    return mostlyUtf8(head) ?? singleByte(head);
  }
}

/**
 * A UTF-8 file with a few broken lines stays UTF-8: reading it as Latin-1
 * would silently garble every accented letter, while reading it as UTF-8
 * only quarantines the broken rows (bad_encoding), where a person sees them.
 * A real Latin-1 file breaks on most lines with accents and has no valid
 * multi-byte sequences.
 */
function mostlyUtf8(head: Uint8Array): EncodingGuess | undefined {
  const strict = new TextDecoder('utf-8', { fatal: true });
  let lines = 0;
  let bad = 0;
  let multiByte = 0;
  let start = 0;
  for (let i = 0; i <= head.length; i++) {
    if (i < head.length && head[i] !== 0x0a) continue;
    const line = head.subarray(start, i);
    start = i + 1;
    if (line.length === 0) continue;
    lines++;
    try {
      strict.decode(line, { stream: i === head.length });
      for (const b of line) if (b >= 0xc0) multiByte++;
    } catch {
      bad++;
    }
  }
  const few = bad <= Math.max(2, Math.floor(lines * 0.01));
  // A file partly in UTF-8 (É is C3 89) read as one byte per character would
  // load its UTF-8 lines as mojibake (Ã‰) without a word; read as UTF-8, its
  // other lines are quarantined, where a person sees them.
  const latin1Unreadable = multiByte > 0 && head.some((b) => b >= 0x80 && b <= 0x9f);
  if (!(few || latin1Unreadable) || (multiByte === 0 && lines < 100)) return undefined;
  return { encoding: 'utf-8', bomLength: 0, note: `UTF-8 (${bad} line(s) in the first ${lines} are not valid UTF-8: they will be quarantined; CHECK the file is not Latin-1)` };
}

/**
 * Not UTF-8, so one byte per character: read as Windows-1252, which agrees
 * with Latin-1 on every printable character and adds € ‚ „ … ‘ ’ “ ” • – —
 * ™ at 0x80-0x9F (control characters in Latin-1, which no text uses): a
 * file whose first bytes hold none of them may still have a € further on.
 */
function singleByte(head: Uint8Array): EncodingGuess {
  const special = head.some((b) => b >= 0x80 && b <= 0x9f);
  return { encoding: 'windows-1252', bomLength: 0, note: `Windows-1252 (not valid UTF-8${special ? '; has characters such as € or curly quotes' : '; Latin-1 reads the same'})` };
}

/** Decode bytes (BOM already skipped) in the guessed encoding. */
export function decodeText(bytes: Uint8Array, guess: EncodingGuess): string {
  const label = guess.encoding === 'utf-16' ? (guess.note.includes('BE') ? 'utf-16be' : 'utf-16le') : guess.encoding === 'latin-1' || guess.encoding === 'windows-1252' ? 'windows-1252' : 'utf-8';
  return new TextDecoder(label).decode(bytes.subarray(guess.bomLength));
}
