import { CxrayError, UserError } from '../errors.js';

/**
 * The CLI contract: stdout carries only the result (one JSON document with
 * --json, else text); progress and logs go to stderr, and only on a TTY.
 */
export interface Output {
  json: boolean;
  debug: boolean;
  /** Print the result. */
  result(value: unknown, text: () => string): void;
  /** A log line for a person (stderr, TTY only). */
  log(message: string): void;
  /** Warnings always reach stderr (they are not the result). */
  warn(message: string): void;
}

export function createOutput(options: { json: boolean; debug: boolean }, streams = { out: process.stdout, err: process.stderr }): Output {
  return {
    json: options.json,
    debug: options.debug,
    result(value, text) {
      streams.out.write(options.json ? `${JSON.stringify(value, jsonReplacer)}\n` : `${text()}\n`);
    },
    log(message) {
      if (streams.err.isTTY) streams.err.write(`${message}\n`);
    },
    warn(message) {
      streams.err.write(`warning: ${message}\n`);
    },
  };
}

/** Integers beyond 2^53 travel as strings; smaller bigints as numbers. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString();
  return value;
}

export interface ErrorReport {
  exitCode: 1 | 2;
  json: { error: { code: string; message: string; hint: string; file?: string; line?: number; column?: string } };
  text: string;
}

/** Exit 1 for what the user can fix, 2 for a bug; no stack unless --debug. */
export function describeError(error: unknown, debug: boolean): ErrorReport {
  if (error instanceof UserError) {
    const j = error.toJSON();
    const where = [j.file, j.line === undefined ? undefined : `line ${j.line}`, j.column === undefined ? undefined : `column ${JSON.stringify(j.column)}`].filter((x) => x !== undefined).join(', ');
    return {
      exitCode: 1,
      json: { error: j },
      text: `error: ${j.message}${where.length > 0 && !j.message.includes(j.file ?? '\u0000') ? ` (${where})` : ''}${j.hint.length > 0 ? `\nhint: ${j.hint}` : ''}${debug && error.stack !== undefined ? `\n${error.stack}` : ''}`,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof CxrayError ? error.code : 'internal_error';
  return {
    exitCode: 2,
    json: { error: { code, message, hint: 'This is a bug in cxray. Run again with --debug and report the output.' } },
    text: `cxray hit a bug: ${message}\nhint: run again with --debug and report the output.${debug && error instanceof Error && error.stack !== undefined ? `\n${error.stack}` : ''}`,
  };
}
