import { UserError } from '../../errors.js';
import { SEGMENT_LIMITS } from './ast.js';

export type TokenKind = 'word' | 'number' | 'string' | 'op' | 'lparen' | 'rparen' | 'comma' | 'end';

export interface Token {
  kind: TokenKind;
  /** The text: unquoted for strings, upper-cased never (keywords are matched case-insensitively). */
  text: string;
  at: number;
}

export const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'IN', 'IS', 'NULL', 'BETWEEN']);

const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const SPECIAL = new Set(['(', ')', ',', '=', '!', '<', '>', "'", '"']);

export function segmentSyntaxError(rule: string, at: number, message: string, hint?: string): UserError {
  const shown = rule.length > 120 ? `${rule.slice(Math.max(0, at - 40), at + 40)}` : rule;
  return new UserError('segment_syntax', `Segment rule, character ${at + 1}: ${message}`, {
    hint:
      hint ??
      `Write conditions like \`segment = retail AND contract_type IN (annual, monthly) AND age >= 25\`; quote values with spaces or symbols ('paid search'). Rule: ${shown}`,
  });
}

/** Rejects text no SQL escaper could carry, before anything else looks at it. */
function assertPlainText(rule: string): void {
  if (rule.length > SEGMENT_LIMITS.maxLength) {
    throw new UserError('segment_too_long', `The segment rule is ${rule.length} characters long; the limit is ${SEGMENT_LIMITS.maxLength}.`, {
      hint: 'Write a shorter rule, or define the segment as an attribute in cxray.yaml.',
    });
  }
  const control = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.exec(rule);
  if (control !== null) throw segmentSyntaxError(rule, control.index, `a control character (U+${control[0].charCodeAt(0).toString(16).padStart(4, '0')}) is not allowed.`);
  const surrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.exec(rule);
  if (surrogate !== null) throw segmentSyntaxError(rule, surrogate.index, 'the text is not valid Unicode (a lone surrogate).');
}

export function tokenize(rule: string): Token[] {
  assertPlainText(rule);
  const tokens: Token[] = [];
  let i = 0;
  while (i < rule.length) {
    const ch = rule[i] ?? '';
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ kind: ch === '(' ? 'lparen' : ch === ')' ? 'rparen' : 'comma', text: ch, at: i });
      i += 1;
      continue;
    }
    if (ch === "'" || ch === '"') {
      let text = '';
      let j = i + 1;
      for (;;) {
        if (j >= rule.length) throw segmentSyntaxError(rule, i, `the quoted value starting here is never closed (add a ${ch}).`);
        const c = rule[j] ?? '';
        if (c === ch) {
          if (rule[j + 1] === ch) {
            text += ch;
            j += 2;
            continue;
          }
          break;
        }
        text += c;
        j += 1;
      }
      tokens.push({ kind: 'string', text, at: i });
      i = j + 1;
      continue;
    }
    if (ch === '=' || ch === '<' || ch === '>' || ch === '!') {
      const two = rule.slice(i, i + 2);
      if (two === '<=' || two === '>=' || two === '!=' || two === '<>') {
        tokens.push({ kind: 'op', text: two === '<>' ? '!=' : two, at: i });
        i += 2;
        continue;
      }
      if (ch === '!') throw segmentSyntaxError(rule, i, '"!" must be followed by "=".');
      tokens.push({ kind: 'op', text: ch, at: i });
      i += 1;
      continue;
    }
    let j = i;
    while (j < rule.length && !/\s/.test(rule[j] ?? '') && !SPECIAL.has(rule[j] ?? '')) j += 1;
    const text = rule.slice(i, j);
    tokens.push({ kind: NUMBER.test(text) ? 'number' : 'word', text, at: i });
    i = j;
  }
  tokens.push({ kind: 'end', text: '', at: rule.length });
  return tokens;
}

export function isKeyword(token: Token, keyword?: string): boolean {
  if (token.kind !== 'word') return false;
  const upper = token.text.toUpperCase();
  return keyword === undefined ? KEYWORDS.has(upper) : upper === keyword;
}
