/**
 * Errors that reach a user carry a stable `code`, a message that says what
 * happened, and a `hint` that says what to do. A `UserError` is the user's to
 * fix (exit 1); anything else that escapes is a bug (exit 2).
 *
 * @example
 * throw new UserError('source_missing', `File not found: ${path}`, {
 *   hint: 'Check the path under sources.payments.files in cxray.yaml.',
 *   file: path,
 * });
 */
export interface ErrorLocation {
  file?: string;
  line?: number;
  column?: string;
}

export interface CxrayErrorOptions extends ErrorLocation {
  hint?: string;
  cause?: unknown;
}

export class CxrayError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly column: string | undefined;

  constructor(code: string, message: string, options: CxrayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
    this.file = options.file;
    this.line = options.line;
    this.column = options.column;
  }

  toJSON(): { code: string; message: string; hint: string; file?: string; line?: number; column?: string } {
    return {
      code: this.code,
      message: this.message,
      hint: this.hint ?? '',
      ...(this.file === undefined ? {} : { file: this.file }),
      ...(this.line === undefined ? {} : { line: this.line }),
      ...(this.column === undefined ? {} : { column: this.column }),
    };
  }
}

/** Something the user can fix: bad flag, bad config, missing file, busy workspace. Exit code 1. */
export class UserError extends CxrayError {}

/** The engine cannot do what was asked, and no fallback exists. */
export class UnsupportedCapability extends CxrayError {
  constructor(capability: string, engine: string) {
    super('unsupported_capability', `The ${engine} engine does not support ${capability}.`, {
      hint: 'Use the DuckDB engine for this step, or upgrade the server.',
    });
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
