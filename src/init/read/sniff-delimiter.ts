import { parseCsvRecords } from './parse-csv-records.js';

export const DELIMITER_CANDIDATES = [',', ';', '\t', '|'] as const;

export interface DelimiterGuess {
  delimiter: string;
  fields: number;
  note: string;
}

const NAMES: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' };

/**
 * The delimiter that splits the first records into the same number of
 * fields (2 or more) most consistently; ties go to more fields, then to the
 * order of DELIMITER_CANDIDATES. A report footer or a ragged last line only
 * lowers consistency a little, so it does not flip the choice.
 */
export function sniffDelimiter(text: string, textIsWholeFile: boolean): DelimiterGuess {
  let best: { delimiter: string; fields: number; consistency: number } | undefined;
  for (const delimiter of DELIMITER_CANDIDATES) {
    const records = parseCsvRecords(text, delimiter, 30, textIsWholeFile);
    if (records.length === 0) continue;
    const counts = new Map<number, number>();
    for (const r of records) counts.set(r.length, (counts.get(r.length) ?? 0) + 1);
    let mode = 0;
    let modeCount = 0;
    for (const [fields, count] of counts) {
      if (count > modeCount || (count === modeCount && fields > mode)) {
        mode = fields;
        modeCount = count;
      }
    }
    if (mode < 2) continue;
    const consistency = modeCount / records.length;
    const better =
      best === undefined ||
      consistency > best.consistency + 1e-9 ||
      (Math.abs(consistency - best.consistency) <= 1e-9 && mode > best.fields);
    if (better) best = { delimiter, fields: mode, consistency };
  }
  if (best === undefined) return { delimiter: ',', fields: 1, note: 'one column only: comma assumed' };
  return { delimiter: best.delimiter, fields: best.fields, note: `${NAMES[best.delimiter] ?? best.delimiter}-separated, ${best.fields} columns` };
}
