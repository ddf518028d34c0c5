import { SEGMENT_LIMITS, type ColumnRef, type CompareOp, type Literal, type SegmentExpr } from './ast.js';
import { isKeyword, segmentSyntaxError, tokenize, type Token } from './lexer.js';

const COLUMN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Parses a segment rule into its syntax tree. Names and values are checked
 * against customer_facts later (`resolveSegment`); this only reads the text.
 *
 * @example
 * parseSegment('segment = retail AND age >= 25')
 * // { kind: 'and', items: [{ kind: 'compare', column: { name: 'segment', at: 0 }, op: '=', value: { kind: 'string', value: 'retail' } }, ...] }
 */
export function parseSegment(rule: string): SegmentExpr {
  const tokens = tokenize(rule);
  let pos = 0;
  let conditions = 0;
  const peek = (): Token => tokens[pos] ?? { kind: 'end', text: '', at: rule.length };
  const next = (): Token => {
    const t = peek();
    pos += 1;
    return t;
  };
  const fail = (token: Token, message: string): never => {
    throw segmentSyntaxError(rule, token.at, message);
  };
  const describe = (t: Token): string => (t.kind === 'end' ? 'the end of the rule' : t.kind === 'string' ? `'${t.text}'` : `"${t.text}"`);

  const expectKeyword = (keyword: string): void => {
    const t = next();
    if (!isKeyword(t, keyword)) fail(t, `expected ${keyword}, found ${describe(t)}.`);
  };

  const literal = (): Literal => {
    const first = peek();
    if (first.kind === 'string') {
      next();
      return { kind: 'string', value: first.text };
    }
    const words: Token[] = [];
    while ((peek().kind === 'word' && !isKeyword(peek())) || peek().kind === 'number') words.push(next());
    const only = words[0];
    if (only === undefined) {
      if (isKeyword(first, 'NULL')) return fail(first, 'compare with NULL by writing `column IS NULL` or `column IS NOT NULL`.');
      return fail(first, `expected a value, found ${describe(first)}.`);
    }
    if (words.length === 1 && only.kind === 'number') {
      const value = Number(only.text);
      if (!Number.isFinite(value)) return fail(only, `${only.text} is not a finite number.`);
      return { kind: 'number', value, text: only.text };
    }
    if (words.length === 1 && /^(true|false)$/i.test(only.text)) return { kind: 'boolean', value: only.text.toLowerCase() === 'true' };
    return { kind: 'string', value: words.map((w) => w.text).join(' ') };
  };

  const condition = (): SegmentExpr => {
    const t = next();
    if (t.kind !== 'word' || isKeyword(t)) return fail(t, `expected a column name, found ${describe(t)}.`);
    if (!COLUMN.test(t.text)) return fail(t, `"${t.text}" is not a column name (letters, digits and underscores).`);
    conditions += 1;
    if (conditions > SEGMENT_LIMITS.maxConditions) return fail(t, `a rule may hold at most ${SEGMENT_LIMITS.maxConditions} conditions.`);
    const column: ColumnRef = { name: t.text, at: t.at };
    const after = peek();
    if (after.kind === 'op') {
      next();
      return { kind: 'compare', column, op: after.text as CompareOp, value: literal() };
    }
    if (isKeyword(after, 'IS')) {
      next();
      const negated = isKeyword(peek(), 'NOT');
      if (negated) next();
      expectKeyword('NULL');
      return { kind: 'null', column, negated };
    }
    if (isKeyword(after, 'BETWEEN')) {
      next();
      const low = literal();
      expectKeyword('AND');
      return { kind: 'between', column, low, high: literal() };
    }
    const negated = isKeyword(after, 'NOT');
    if (negated) next();
    if (isKeyword(peek(), 'IN')) {
      next();
      const open = next();
      if (open.kind !== 'lparen') return fail(open, `expected "(" after IN, found ${describe(open)}.`);
      const values: Literal[] = [literal()];
      while (peek().kind === 'comma') {
        next();
        values.push(literal());
        if (values.length > SEGMENT_LIMITS.maxInValues) return fail(peek(), `an IN list may hold at most ${SEGMENT_LIMITS.maxInValues} values.`);
      }
      const close = next();
      if (close.kind !== 'rparen') return fail(close, `expected "," or ")" in the IN list, found ${describe(close)}.`);
      return { kind: 'in', column, negated, values };
    }
    return fail(negated ? peek() : after, `expected an operator (=, !=, <, <=, >, >=, IN, NOT IN, BETWEEN, IS NULL) after ${column.name}, found ${describe(negated ? peek() : after)}.`);
  };

  const unary = (depth: number): SegmentExpr => {
    if (depth > SEGMENT_LIMITS.maxDepth) return fail(peek(), `the rule nests deeper than ${SEGMENT_LIMITS.maxDepth} levels.`);
    const t = peek();
    if (isKeyword(t, 'NOT')) {
      next();
      return { kind: 'not', item: unary(depth + 1) };
    }
    if (t.kind === 'lparen') {
      next();
      const inner = or(depth + 1);
      const close = next();
      if (close.kind !== 'rparen') return fail(close, `expected ")" to close the "(" at character ${t.at + 1}, found ${describe(close)}.`);
      return inner;
    }
    return condition();
  };

  const and = (depth: number): SegmentExpr => {
    const items = [unary(depth)];
    while (isKeyword(peek(), 'AND')) {
      next();
      items.push(unary(depth));
    }
    return items.length === 1 && items[0] !== undefined ? items[0] : { kind: 'and', items };
  };

  const or = (depth: number): SegmentExpr => {
    const items = [and(depth)];
    while (isKeyword(peek(), 'OR')) {
      next();
      items.push(and(depth));
    }
    return items.length === 1 && items[0] !== undefined ? items[0] : { kind: 'or', items };
  };

  if (peek().kind === 'end') fail(peek(), 'the rule is empty.');
  const tree = or(0);
  const rest = peek();
  if (rest.kind !== 'end') fail(rest, `unexpected ${describe(rest)}; join conditions with AND or OR.`);
  return tree;
}
