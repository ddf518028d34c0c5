"""A segment rule (`region = 'North'`, `plan IN ('Pro', 'Max') AND NOT age < 30`) evaluated on the reference's customer_facts frame.

The grammar of src/analysis/segment/ as `cxray changes add` stores a rule (its
normal form): OR, AND, NOT, parentheses, `col op value` (=, !=, <>, <, <=,
>, >=), `col [NOT] IN (...)`, `col BETWEEN a AND b`, `col IS [NOT] NULL`;
values quoted ('' inside doubles a quote), numbers, true/false, or bare
words. SQL's three-valued logic: a customer with no value matches neither
`= x` nor `!= x`, nor their negation (compile.ts). Evaluates to a boolean
array: where the rule is TRUE.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

_NUMBER = re.compile(r'^-?\d+(\.\d+)?$')
_SPECIAL = set("()',=<>!\"")
_KEYWORDS = {'AND', 'OR', 'NOT', 'IN', 'IS', 'NULL', 'BETWEEN'}


def tokens(rule: str) -> list[tuple[str, str]]:
    out, i = [], 0
    while i < len(rule):
        ch = rule[i]
        if ch.isspace():
            i += 1
        elif ch in '(),':
            out.append(({'(': 'lparen', ')': 'rparen', ',': 'comma'}[ch], ch))
            i += 1
        elif ch in '\'"':
            j, text = i + 1, ''
            while True:
                if j >= len(rule):
                    raise ValueError(f'unclosed quote in {rule!r}')
                if rule[j] == ch:
                    if j + 1 < len(rule) and rule[j + 1] == ch:
                        text, j = text + ch, j + 2
                        continue
                    break
                text, j = text + rule[j], j + 1
            out.append(('string', text))
            i = j + 1
        elif ch in '=<>!':
            two = rule[i:i + 2]
            if two in ('<=', '>=', '!=', '<>'):
                out.append(('op', '!=' if two == '<>' else two))
                i += 2
            else:
                out.append(('op', ch))
                i += 1
        else:
            j = i
            while j < len(rule) and not rule[j].isspace() and rule[j] not in _SPECIAL:
                j += 1
            text = rule[i:j]
            out.append(('number' if _NUMBER.match(text) else 'word', text))
            i = j
    return out + [('end', '')]


class _Parser:
    def __init__(self, rule: str, facts: pd.DataFrame):
        self.tokens, self.at, self.facts = tokens(rule), 0, facts

    def peek(self, keyword: str | None = None) -> bool:
        kind, text = self.tokens[self.at]
        return kind == 'word' and (keyword is None or text.upper() == keyword)

    def take(self, kind: str, text: str | None = None) -> str:
        k, t = self.tokens[self.at]
        if k != kind or (text is not None and t.upper() != text):
            raise ValueError(f'expected {text or kind}, got {t!r}')
        self.at += 1
        return t

    def rule(self):
        value = self.disjunction()
        self.take('end')
        return value

    def disjunction(self):
        items = [self.conjunction()]
        while self.peek('OR'):
            self.at += 1
            items.append(self.conjunction())
        return _fold(items, 'or')

    def conjunction(self):
        items = [self.negation()]
        while self.peek('AND'):
            self.at += 1
            items.append(self.negation())
        return _fold(items, 'and')

    def negation(self):
        if self.peek('NOT'):
            self.at += 1
            inner = self.negation()
            return np.where(pd.isna(inner), None, ~inner.astype(bool)) if inner.dtype == object else ~inner
        if self.tokens[self.at][0] == 'lparen':
            self.at += 1
            inner = self.disjunction()
            self.take('rparen')
            return inner
        return self.condition()

    def value(self):
        kind, text = self.tokens[self.at]
        if kind in ('string', 'number'):
            self.at += 1
            return text if kind == 'string' else float(text)
        words = []
        while self.tokens[self.at][0] == 'word' and self.tokens[self.at][1].upper() not in _KEYWORDS:
            words.append(self.tokens[self.at][1])
            self.at += 1
        if not words:
            raise ValueError(f'expected a value, got {text!r}')
        if len(words) == 1 and words[0].lower() in ('true', 'false'):
            return words[0].lower() == 'true'
        return ' '.join(words)

    def condition(self):
        name = self.take('word')
        if name not in self.facts.columns:
            raise KeyError(f'customer_facts has no column {name}')
        column = self.facts[name]
        known = column.notna().to_numpy()
        if self.peek('IS'):
            self.at += 1
            negated = self.peek('NOT')
            if negated:
                self.at += 1
            self.take('word', 'NULL')
            return known if negated else ~known
        negated = self.peek('NOT')
        if negated:
            self.at += 1
        if self.peek('IN'):
            self.at += 1
            self.take('lparen')
            values = [self.value()]
            while self.tokens[self.at][0] == 'comma':
                self.at += 1
                values.append(self.value())
            self.take('rparen')
            hit = _typed(column).isin([_cast(v, column) for v in values]).to_numpy()
            return _unknown_where(~hit if negated else hit, known)
        if self.peek('BETWEEN'):
            self.at += 1
            low = self.value()
            self.take('word', 'AND')
            high = self.value()
            c = _typed(column)
            return _unknown_where(((c >= _cast(low, column)) & (c <= _cast(high, column))).fillna(False).to_numpy(), known)
        op = self.take('op')
        v, c = _cast(self.value(), column), _typed(column)
        hit = {'=': c == v, '!=': c != v, '<': c < v, '<=': c <= v, '>': c > v, '>=': c >= v}[op]
        return _unknown_where(hit.fillna(False).to_numpy(dtype=bool), known)


def _typed(column: pd.Series) -> pd.Series:
    return column.astype(float) if column.dtype == bool else column


def _cast(value, column: pd.Series):
    if column.dtype == bool:
        return float(value) if not isinstance(value, str) else float(value.lower() == 'true')
    if pd.api.types.is_datetime64_any_dtype(column):
        return pd.Timestamp(value)
    if pd.api.types.is_numeric_dtype(column) and isinstance(value, str):
        return float(value)
    return value


def _unknown_where(hit: np.ndarray, known: np.ndarray) -> np.ndarray:
    """True/False where the value is known, None (SQL's unknown) where it is missing."""
    out = hit.astype(object)
    out[~known] = None
    return out


def _fold(items: list, how: str):
    if len(items) == 1:
        return items[0]
    out = items[0]
    for item in items[1:]:
        a, b = pd.Series(out, dtype=object), pd.Series(item, dtype=object)
        if how == 'and':
            false = (a == False) | (b == False)  # noqa: E712
            true = (a == True) & (b == True)  # noqa: E712
        else:
            true = (a == True) | (b == True)  # noqa: E712
            false = (a == False) & (b == False)  # noqa: E712
        out = np.where(true, True, np.where(false, False, None)).astype(object)
    return out


def matches(rule: str, facts: pd.DataFrame) -> np.ndarray:
    """Where `rule` is TRUE for each customer (unknown counts as not matching, as CASE WHEN does)."""
    value = _Parser(rule, facts).rule()
    return np.asarray(pd.Series(value, dtype=object) == True, dtype=bool)  # noqa: E712
