"""A small OData v3 ``$filter`` evaluator, strict like 1C's.

Supports ``eq ne gt ge lt le and or not``, parentheses, literals
``guid'...'``, ``datetime'...'``, ``'text'`` (``''`` escapes a quote),
numbers, ``true``/``false``/``null``, ``substringof('x', Field)`` and
``cast(guid'...', 'Catalog_X')``.
Anything else -- a ``+`` where a space belongs, v4's ``contains`` -- is a
:class:`FilterError`, which the app answers with 400.
"""

import re
from decimal import Decimal

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<guid>guid'[0-9a-fA-F-]{36}')
      | (?P<datetime>datetime'\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d)?')
      | (?P<string>'(?:[^']|'')*')
      | (?P<number>-?\d+(?:\.\d+)?)
      | (?P<punct>[(),])
      | (?P<word>[^\W\d][\w]*)
    )""",
    re.VERBOSE,
)
_COMPARE = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
}
_CONSTANTS = {"true": True, "false": False, "null": None}


class FilterError(ValueError):
    """The filter cannot be parsed or compared."""


def _tokenize(text):
    tokens, position = [], 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match:
            raise FilterError(
                f"unexpected {text[position : position + 10]!r} in $filter"
            )
        tokens.append((match.lastgroup, match.group(match.lastgroup)))
        position = match.end()
    return tokens


def _literal(kind, text):
    if kind == "guid":
        return text[5:-1].lower()
    if kind == "datetime":
        value = text[9:-1]
        return value if len(value) == 19 else value + ":00"
    if kind == "string":
        return text[1:-1].replace("''", "'")
    return Decimal(text)


class _Parser:
    """Recursive descent: or > and > not > comparison > primary."""

    def __init__(self, text):
        self.tokens = _tokenize(text)
        self.position = 0

    def peek(self):
        if self.position < len(self.tokens):
            return self.tokens[self.position]
        return (None, None)

    def take(self, expected=None):
        token = self.peek()
        if token[0] is None or (expected and token[1] != expected):
            raise FilterError(f"expected {expected or 'more'} in $filter")
        self.position += 1
        return token

    def parse(self):
        node = self.disjunction()
        if self.position != len(self.tokens):
            raise FilterError(f"unexpected {self.peek()[1]!r} in $filter")
        return node

    def disjunction(self):
        return self._chain("or", self.conjunction, any)

    def conjunction(self):
        return self._chain("and", self.negation, all)

    def _chain(self, word, operand, combine):
        """``operand (word operand)*`` combined with ``any`` or ``all``."""
        nodes = [operand()]
        while self.peek() == ("word", word):
            self.take()
            nodes.append(operand())
        if len(nodes) == 1:
            return nodes[0]
        if word == "or":
            membership = _membership(nodes)
            if membership:
                return membership
        return lambda row: combine(node(row) for node in nodes)

    def negation(self):
        if self.peek() == ("word", "not"):
            self.take()
            inner = self.negation()
            return lambda row: not inner(row)
        return self.comparison()

    def comparison(self):
        left = self.primary()
        kind, word = self.peek()
        if kind == "word" and word in _COMPARE:
            self.take()
            right = self.primary()
            node = _comparison(_COMPARE[word], left, right)
            if word == "eq" and hasattr(left, "field") and hasattr(right, "constant"):
                node.field_eq = (left.field, comparable(right.constant))
            return node
        return left

    def primary(self):
        kind, text = self.take()
        if text == "(":
            node = self.disjunction()
            self.take(")")
            return node
        if kind == "word" and self.peek()[1] == "(":
            return self.function(text)
        if kind == "word":
            if text in _CONSTANTS:
                return _constant(_CONSTANTS[text])
            return _field(text)
        if kind == "punct":
            raise FilterError(f"unexpected {text!r} in $filter")
        return _constant(_literal(kind, text))

    def function(self, name):
        if name == "cast":
            return self.cast()
        if name != "substringof":
            raise FilterError(f"unknown function {name} (OData v3: use substringof)")
        self.take("(")
        needle = self.disjunction()
        self.take(",")
        haystack = self.disjunction()
        self.take(")")
        return lambda row: str(needle(row)).lower() in str(haystack(row)).lower()

    def cast(self):
        """``cast(guid'...', 'Catalog_X')``: a reference in a composite-type
        field (``ExtDimension1``); rows hold the bare reference."""
        self.take("(")
        kind, text = self.take()
        if kind != "guid":
            raise FilterError("cast() takes a guid'...' literal first")
        self.take(",")
        if self.take()[0] != "string":
            raise FilterError("cast() takes the type name as a 'string'")
        self.take(")")
        return _constant(_literal(kind, text))


def _constant(value):
    def constant(_row):
        return value

    constant.constant = value
    return constant


def _field(name):
    def value(row):
        if name not in row:
            raise FilterError(f"unknown property {name} in $filter")
        return row[name]

    value.field = name
    return value


def _membership(nodes):
    """``F eq a or F eq b or ...`` as one set look-up (1C answers such a
    condition from an index), or None when the chain is anything else."""
    pairs = [getattr(node, "field_eq", None) for node in nodes]
    if None in pairs or len({name for name, _value in pairs}) != 1:
        return None
    value = _field(pairs[0][0])
    accepted = {literal for _name, literal in pairs}

    def member(row):
        return comparable(value(row)) in accepted

    member.membership = (pairs[0][0], accepted)
    return member


def _comparison(operator, left, right):
    def compare(row):
        a, b = comparable(left(row)), comparable(right(row))
        if a is None or b is None:
            return (
                operator(a, b)
                if operator in (_COMPARE["eq"], _COMPARE["ne"])
                else False
            )
        try:
            return operator(a, b)
        except TypeError as error:
            raise FilterError(f"cannot compare {a!r} with {b!r}") from error

    return compare


def comparable(value):
    if isinstance(value, float):
        return Decimal(str(value))
    return value


def compile_filter(text):
    """A predicate ``row -> bool`` for an OData ``$filter`` text."""
    predicate = _Parser(text).parse() if text else _constant(True)

    def accepts(row):
        result = predicate(row)
        if not isinstance(result, bool):
            raise FilterError("$filter is not a condition")
        return result

    # ``(field, values)`` when the filter is ``F eq a or F eq b ...``
    accepts.membership = getattr(predicate, "membership", None)
    return accepts
