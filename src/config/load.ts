import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { UserError } from '../errors.js';
import { configSchema, type CxrayConfig } from './schema.js';
import { nearest, validKeysAt } from './suggest.js';

export const CONFIG_FILE_NAME = 'cxray.yaml';

export interface LoadedConfig {
  config: CxrayConfig;
  /** Absolute path of the file read. */
  path: string;
  /** sha256 of the normalised config (defaults filled, keys sorted): comments and layout do not change it. */
  hash: string;
  text: string;
}

type Issue = z.core.$ZodIssue;
type PathSegment = string | number;

interface Problem {
  path: PathSegment[];
  found: string;
  expected: string;
  suggestion?: string | undefined;
  /** The problem is the key itself (unknown key): point at the key's line. */
  atKey?: boolean;
}

/**
 * Read and validate `DIR/cxray.yaml`; `previous` (an earlier answer) is
 * returned as it is when the file still holds the same text.
 *
 * @example
 * const { config, hash } = await loadConfig('/data/acme');
 */
export async function loadConfig(workspaceDir: string, previous?: LoadedConfig): Promise<LoadedConfig> {
  const path = resolve(join(workspaceDir, CONFIG_FILE_NAME));
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new UserError('config_missing', `No ${CONFIG_FILE_NAME} in ${resolve(workspaceDir)}.`, {
        hint: `Write one from your exports with \`cxray init --from FILE...\` (files or folders), then check its guesses.`,
        file: path,
        cause: error,
      });
    }
    throw new UserError('config_unreadable', `Cannot read ${path}: ${(error as Error).message}`, {
      hint: 'Check the file permissions.',
      file: path,
      cause: error,
    });
  }
  // The same text as last time: its parse and checks hold (they read nothing else).
  if (previous !== undefined && previous.path === path && previous.text === text) return previous;
  const config = parseConfig(text, path);
  return { config, path, hash: hashConfig(config), text };
}

/** Parse and validate cxray.yaml text; `path` names the file in messages. */
export function parseConfig(text: string, path: string): CxrayConfig {
  const name = basename(path);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const messages = doc.errors.map((e) => {
      const pos = e.linePos?.[0];
      const [first, ...rest] = e.message.split(/ at line \d+, column \d+:?/);
      const where = pos === undefined ? '' : ` line ${pos.line}, column ${pos.col}:`;
      return `${name}:${where} ${first ?? e.message}${rest.join('').trimEnd()}`;
    });
    const pos = doc.errors[0]?.linePos?.[0];
    throw new UserError('config_syntax', messages.join('\n'), {
      hint: `${name} is not valid YAML: fix the line shown (indent with spaces, close brackets and quotes).`,
      file: path,
      ...(pos === undefined ? {} : { line: pos.line }),
    });
  }
  const input: unknown = doc.toJS({ maxAliasCount: 1000 });
  if (input === null || input === undefined) {
    throw new UserError('config_invalid', `${name} is empty.`, {
      hint: 'Write it with `cxray init --from FILE...`, or restore it from version control.',
      file: path,
    });
  }
  const parsed = configSchema.safeParse(input);
  if (parsed.success) return parsed.data;

  const problems = parsed.error.issues.flatMap((issue) => problemsOf(issue, [], input));
  const located = problems.map((p) => ({ p, line: lineOf(doc, lineCounter, p.path, p.atKey === true) }));
  located.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const lines = located.map(({ p, line }) => {
    const tail = p.suggestion === undefined ? '' : `; did you mean "${p.suggestion}"?`;
    const at = line === undefined ? '' : ` (line ${line})`;
    return `${name}: ${formatPath(p.path)}: found ${p.found}, expected ${p.expected}${tail}${at}`;
  });
  const firstLine = located[0]?.line;
  throw new UserError('config_invalid', lines.join('\n'), {
    hint: `Correct ${lines.length === 1 ? 'this entry' : `these ${lines.length} entries`} in ${name}, or write a fresh one with \`cxray init --from FILE... --force\`.`,
    file: path,
    ...(firstLine === undefined ? {} : { line: firstLine }),
  });
}

/** sha256 of the config as JSON with sorted keys: the identity of what an import was run with. */
export function hashConfig(config: CxrayConfig): string {
  return createHash('sha256').update(stableJson(config)).digest('hex');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function problemsOf(issue: Issue, base: PathSegment[], input: unknown): Problem[] {
  const path = [...base, ...issue.path.filter((s): s is PathSegment => typeof s !== 'symbol')];
  const value = valueAt(input, path);
  switch (issue.code) {
    case 'invalid_type':
      return [{ path, found: describeValue(value), expected: describeType(issue.expected) }];
    case 'invalid_value': {
      const options = issue.values.map((v) => JSON.stringify(v));
      const expected = options.length === 1 ? (options[0] ?? '') : `one of ${options.join(', ')}`;
      const suggestion = typeof value === 'string' ? nearest(value, issue.values.map(String)) : undefined;
      return [{ path, found: describeValue(value), expected, suggestion }];
    }
    case 'unrecognized_keys': {
      const valid = validKeysAt(configSchema, path);
      const expected = valid.length === 0 ? 'no such key here' : valid.length <= 14 ? `one of ${valid.join(', ')}` : 'a key this section accepts';
      return issue.keys.map((key) => ({
        path: [...path, key],
        found: `an unknown key "${key}"`,
        expected,
        suggestion: nearest(key, valid),
        atKey: true,
      }));
    }
    case 'invalid_union':
      return unionProblems(issue, path, input, value);
    case 'invalid_key': {
      const key = path[path.length - 1];
      const reasons = issue.issues.map((i) => i.message).join('; ');
      return [{ path, found: `the key "${String(key)}"`, expected: reasons, atKey: true }];
    }
    case 'invalid_element':
      return issue.issues.flatMap((i) => problemsOf(i, path, input));
    case 'too_small':
    case 'too_big': {
      const bound = String(issue.code === 'too_small' ? issue.minimum : issue.maximum);
      const word = issue.code === 'too_small' ? 'at least' : 'at most';
      const unit = issue.origin === 'array' || issue.origin === 'set' ? ' item(s)' : issue.origin === 'string' ? ' character(s)' : '';
      return [{ path, found: describeValue(value), expected: `${word} ${bound}${unit}` }];
    }
    case 'invalid_format': {
      const expected =
        issue.format === 'date'
          ? 'a date written YYYY-MM-DD'
          : issue.format === 'regex' && issue.message.startsWith('Invalid')
            ? `text matching ${issue.pattern ?? 'the required pattern'}`
            : issue.message;
      return [{ path, found: describeValue(value), expected }];
    }
    case 'not_multiple_of':
      return [{ path, found: describeValue(value), expected: `a multiple of ${String(issue.divisor)}` }];
    default:
      return [{ path, found: describeValue(value), expected: issue.message }];
  }
}

/**
 * A union fails in every branch. When some branch got past the type check
 * (its issues lie deeper, or are about keys), the user meant that branch:
 * report its issues. Otherwise say which shapes would have been accepted.
 */
function unionProblems(issue: Extract<Issue, { code: 'invalid_union' }>, path: PathSegment[], input: unknown, value: unknown): Problem[] {
  const branches = issue.errors.filter((b) => b.length > 0);
  const shallow = (i: Issue): boolean => i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value');
  const matched = branches.filter((b) => !b.every(shallow));
  if (matched.length > 0) {
    const best = matched.reduce((a, b) => (b.length < a.length ? b : a));
    return best.flatMap((i) => problemsOf(i, path, input));
  }
  const expectations: string[] = [];
  const literals: string[] = [];
  for (const i of branches.flat()) {
    if (i.code === 'invalid_type') expectations.push(describeType(i.expected));
    if (i.code === 'invalid_value') literals.push(...i.values.map(String));
  }
  const parts = [...new Set([...literals.map((l) => JSON.stringify(l)), ...expectations])];
  const expected = parts.length === 0 ? issue.message : parts.length === 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} or ${parts[parts.length - 1] ?? ''}`;
  const suggestion = typeof value === 'string' && literals.length > 0 ? nearest(value, literals) : undefined;
  return [{ path, found: describeValue(value), expected, suggestion }];
}

function valueAt(input: unknown, path: readonly PathSegment[]): unknown {
  let node = input;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[String(segment)];
  }
  return node;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (typeof value === 'string') return value.length > 60 ? `${JSON.stringify(value.slice(0, 57))}...` : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `a list of ${value.length} item(s)`;
  if (value instanceof Date) return value.toISOString();
  return 'a map';
}

function describeType(expected: string): string {
  const names: Record<string, string> = {
    string: 'a text',
    number: 'a number',
    int: 'a whole number',
    boolean: 'true or false',
    object: 'a map (key: value lines)',
    array: 'a list',
    tuple: 'a list',
    record: 'a map (key: value lines)',
    null: 'an empty value',
    date: 'a date',
  };
  return names[expected] ?? expected;
}

/** `sources.payments.feeds[0].columns["Customer Email"]` */
export function formatPath(path: readonly PathSegment[]): string {
  if (path.length === 0) return '(top level)';
  return path
    .map((s, i) => {
      if (typeof s === 'number') return `[${s}]`;
      if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(s)) return i === 0 ? s : `.${s}`;
      return `[${JSON.stringify(s)}]`;
    })
    .join('');
}

/** The 1-based line of the node at `path` (or of its nearest existing ancestor). */
function lineOf(doc: Document, lineCounter: LineCounter, path: readonly PathSegment[], atKey: boolean): number | undefined {
  let node: unknown = doc.contents;
  let offset = rangeStart(node);
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (pair === undefined) break;
      if (atKey && i === path.length - 1) {
        offset = rangeStart(pair.key) ?? offset;
        break;
      }
      node = pair.value;
      offset = rangeStart(node) ?? rangeStart(pair.key) ?? offset;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
      offset = rangeStart(node) ?? offset;
    } else break;
  }
  return offset === undefined ? undefined : lineCounter.linePos(offset).line;
}

function rangeStart(node: unknown): number | undefined {
  if (node !== null && typeof node === 'object' && 'range' in node) {
    const range = (node as { range?: [number, number, number] | null }).range;
    return range?.[0] ?? undefined;
  }
  return undefined;
}
