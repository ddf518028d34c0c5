/**
 * What a ClickHouse server can do, from its version (`SELECT version()`).
 * Code branches on these flags, never on the engine's name.
 *
 * Only 18.16 (Debian's package, the oldest supported) is tested here; the
 * thresholds for newer servers follow ClickHouse's changelog.
 */
import type { Capabilities } from '../types.js';
import { MAX_IDENTIFIER_BYTES } from './layout.js';

export interface ServerVersion {
  major: number;
  minor: number;
  text: string;
}

export function parseServerVersion(text: string): ServerVersion {
  const match = /^(\d+)\.(\d+)/.exec(text.trim());
  if (match === null) throw new TypeError(`Unrecognised ClickHouse version ${JSON.stringify(text)}`);
  return { major: Number(match[1]), minor: Number(match[2]), text: text.trim() };
}

function atLeast(v: ServerVersion, major: number, minor: number): boolean {
  return v.major > major || (v.major === major && v.minor >= minor);
}

export function clickhouseCapabilities(version: ServerVersion, distributed: boolean): Capabilities {
  return Object.freeze({
    // Values are always substituted client-side through dialect.literal: the
    // typed {name:Type} parameters of newer servers would buy nothing more.
    boundParameters: false,
    // Window functions left experimental in 21.9.
    windowFunctions: atLeast(version, 21, 9),
    // `WITH name AS (subquery)` arrived in 20.10.
    commonTableExpressions: atLeast(version, 20, 10),
    // Several JOINs in one SELECT work by default from 20.1.
    multipleJoinsPerSelect: atLeast(version, 20, 1),
    transactions: false,
    // Each query has its own HTTP request and query_id: an abort ends the
    // request and sends KILL QUERY for that id.
    cancellation: true,
    // The dialect stores timestamps as DateTime (seconds from 1970, UInt32)
    // on every version; DateTime64 (20.1+) could lift both limits later.
    timestampsBefore1970: false,
    subsecondTimestamps: false,
    distributed,
    // Expression WITH predates every supported version.
    expressionAliases: true,
    maxIdentifierBytes: MAX_IDENTIFIER_BYTES,
    nullableLists: false,
    booleanExpressions: false,
    // Positional ORDER BY / GROUP BY are on by default from 22.7; before, the number is a constant.
    positionalReferences: atLeast(version, 22, 7),
  });
}
