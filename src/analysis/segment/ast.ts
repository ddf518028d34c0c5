/**
 * The segment rule language: conditions on customer_facts columns joined by
 * AND, OR, NOT and parentheses.
 *
 *   rule       := or
 *   or         := and ("OR" and)*
 *   and        := not ("AND" not)*
 *   not        := "NOT" not | "(" or ")" | condition
 *   condition  := column op value
 *               | column ["NOT"] "IN" "(" value ("," value)* ")"
 *               | column "BETWEEN" value "AND" value
 *               | column "IS" ["NOT"] "NULL"
 *   op         := "=" | "!=" | "<>" | "<" | "<=" | ">" | ">="
 *   value      := 'quoted' | "quoted" | number | true | false | bare words
 *
 * Keywords are case-insensitive. Bare words run to the next keyword,
 * operator, comma or parenthesis (`channel = paid search AND age >= 25`);
 * quote a value that contains those.
 */
export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number; text: string }
  | { kind: 'boolean'; value: boolean };

/** A column reference as written, with its offset in the rule (for messages). */
export interface ColumnRef {
  name: string;
  at: number;
}

export type SegmentExpr =
  | { kind: 'and'; items: SegmentExpr[] }
  | { kind: 'or'; items: SegmentExpr[] }
  | { kind: 'not'; item: SegmentExpr }
  | { kind: 'compare'; column: ColumnRef; op: CompareOp; value: Literal }
  | { kind: 'in'; column: ColumnRef; negated: boolean; values: Literal[] }
  | { kind: 'between'; column: ColumnRef; low: Literal; high: Literal }
  | { kind: 'null'; column: ColumnRef; negated: boolean };

/** Limits that keep a hostile rule from costing much before it is refused. */
export const SEGMENT_LIMITS = { maxLength: 4000, maxDepth: 32, maxConditions: 100, maxInValues: 500 } as const;
