// A fix applied to @duckdb/node-api 1.5.6 at load time, kept in one place.
//
// The driver decodes every VARCHAR with a shared `new TextDecoder()`, whose
// default (ignoreBOM: false) silently drops a leading U+FEFF from each value:
// '\uFEFF' reads back as '' and '\uFEFFabc' as 'abc' (found by the hostile
// corpus of the conformance suite). Its accessor reads the decoder from its
// module exports on every call, so swapping in one with ignoreBOM: true fixes
// values everywhere. If a later driver moves that code, nothing is patched
// and the conformance suite shows whether the bug is still there.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function keepByteOrderMarks(): boolean {
  let accessors: { textDecoder?: unknown };
  try {
    accessors = require('@duckdb/node-api/lib/vectors/dataAccessors.js') as { textDecoder?: unknown };
  } catch {
    return false;
  }
  if (!(accessors.textDecoder instanceof TextDecoder)) return false;
  if (accessors.textDecoder.ignoreBOM) return true;
  accessors.textDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
  return true;
}

keepByteOrderMarks();
