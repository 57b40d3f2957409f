"""A small OData v3 ``$filter`` evaluator, strict like 1C's.

Supports ``eq ne gt ge lt le and or not``, ``add sub mul div mod``,
parentheses, literals ``guid'...'``, ``datetime'...'``, ``'text'`` (``''``
escapes a quote), numbers, ``true``/``false``/``null``, the v3 functions of
:mod:`.odata_functions` (``substringof``, ``startswith``, ``endswith``,
``length``, ``tolower``, ``toupper``, ``year``/``month``/``day`` ...),
``isof(Field, 'StandardODATA.X')`` (a composite field's ``_Type``),
``cast(guid'...', 'Catalog_X')``, property paths ``a/b`` and ``any``/``all``
on table parts: ``Товары/any(d: d/Номенклатура_Key eq guid'...')``.
Anything else -- a ``+`` where a space belongs, v4's ``contains`` -- is a
:class:`FilterError`, which the app answers with 400.
"""

import re
from collections import ChainMap
from decimal import Decimal

from .odata_functions import (
    ADDITIVE,
    FUNCTIONS,
    MULTIPLICATIVE,
    FunctionError,
    arithmetic,
    call,
    edm_of,
)

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<guid>guid'[0-9a-fA-F-]{36}')
      | (?P<datetime>datetime'\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d)?')
      | (?P<string>'(?:[^']|'')*')
      | (?P<number>-?\d+(?:\.\d+)?)
      | (?P<punct>[(),/:])
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
    """Recursive descent: or > and > not > comparison > add/sub >
    mul/div/mod > primary."""

    def __init__(self, text, entity_type=None):
        self.tokens = _tokenize(text)
        self.position = 0
        self.entity_type = entity_type

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
        left = self.additive()
        kind, word = self.peek()
        if kind == "word" and word in _COMPARE:
            self.take()
            right = self.additive()
            node = _comparison(_COMPARE[word], left, right)
            if word == "eq" and hasattr(left, "field") and hasattr(right, "constant"):
                node.field_eq = (left.field, comparable(right.constant))
            return node
        return left

    def additive(self):
        return self._operators(ADDITIVE, self.multiplicative)

    def multiplicative(self):
        return self._operators(MULTIPLICATIVE, self.primary)

    def _operators(self, operators, operand):
        node = operand()
        while self.peek()[0] == "word" and self.peek()[1] in operators:
            operator = operators[self.take()[1]]
            node = _arithmetic(operator, node, operand())
        return node

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
            return self.path(text)
        if kind == "punct":
            raise FilterError(f"unexpected {text!r} in $filter")
        return _constant(_literal(kind, text))

    def path(self, first):
        """``a``, ``a/b/c``, or ``a/any(x: ...)`` / ``a/all(x: ...)``."""
        names = [first]
        while self.peek() == ("punct", "/"):
            self.take()
            kind, name = self.take()
            if kind != "word":
                raise FilterError(f"unexpected {name!r} after / in $filter")
            if name in ("any", "all") and self.peek()[1] == "(":
                return self.lambda_(names, name)
            names.append(name)
        return _field(names)

    def lambda_(self, names, word):
        """``any``/``all`` over the rows of the collection at ``names``."""
        collection = _field(names)
        self.take("(")
        if self.peek()[1] == ")":
            self.take()
            return lambda row: bool(_rows_of(collection(row)))
        variable = self.take()[1]
        self.take(":")
        condition = self.disjunction()
        self.take(")")
        combine = any if word == "any" else all

        def over_rows(row):
            return combine(
                condition(ChainMap({(_VARIABLE, variable): item}, row))
                for item in _rows_of(collection(row))
            )

        return over_rows

    def arguments(self):
        self.take("(")
        nodes = []
        if self.peek()[1] != ")":
            nodes.append(self.disjunction())
            while self.peek()[1] == ",":
                self.take()
                nodes.append(self.disjunction())
        self.take(")")
        return nodes

    def function(self, name):
        if name == "cast":
            return self.cast()
        if name == "isof":
            return _isof(self.arguments(), self.entity_type)
        if name not in FUNCTIONS:
            raise FilterError(f"unknown function {name} (OData v3: use substringof)")
        nodes = self.arguments()
        if len(nodes) not in FUNCTIONS[name][0]:
            raise FilterError(f"{name}() takes {FUNCTIONS[name][0]} arguments")

        def apply(row):
            try:
                return call(name, [comparable(node(row)) for node in nodes])
            except FunctionError as error:
                raise FilterError(f"{name}(): {error}") from error

        return apply

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


_VARIABLE = "lambda variable"


def _field(names):
    """The value at a property path; a lambda variable starts a path."""
    if isinstance(names, str):
        names = [names]

    def value(row):
        first, *rest = names
        current = row.get((_VARIABLE, first), _MISSING)
        if current is _MISSING:
            current = row.get(first, _MISSING)
        for name in rest:
            if current is _MISSING or not isinstance(current, dict):
                break
            current = current.get(name, _MISSING)
        if current is _MISSING:
            raise FilterError(f"unknown property {'/'.join(names)} in $filter")
        return current

    if len(names) == 1:
        value.field = names[0]
    return value


_MISSING = object()


def _rows_of(value):
    if not isinstance(value, list):
        raise FilterError("any() and all() need a table part")
    return value


def _arithmetic(operator, left, right):
    def compute(row):
        try:
            return arithmetic(operator, comparable(left(row)), comparable(right(row)))
        except FunctionError as error:
            raise FilterError(str(error)) from error

    return compute


def _isof(nodes, entity_type):
    """``isof('T')``: the row is of type T; ``isof(Field, 'T')``: the
    composite field holds a T (its ``Field_Type``), or a value of Edm type T."""
    type_node = nodes[-1] if nodes else None
    if len(nodes) not in (1, 2) or not hasattr(type_node, "constant"):
        raise FilterError("isof() takes a type name as a 'string'")
    wanted = type_node.constant
    if len(nodes) == 1:
        return lambda _row: wanted == entity_type
    field = getattr(nodes[0], "field", None)

    def is_of(row):
        if field and f"{field}_Type" in row:
            return row[f"{field}_Type"] == wanted
        return edm_of(comparable(nodes[0](row))) == wanted

    return is_of


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


def compile_filter(text, entity_type=None):
    """A predicate ``row -> bool`` for an OData ``$filter`` text
    (``entity_type``: what ``isof('StandardODATA.X')`` compares with)."""
    predicate = _Parser(text, entity_type).parse() if text else _constant(True)

    def accepts(row):
        result = predicate(row)
        if not isinstance(result, bool):
            raise FilterError("$filter is not a condition")
        return result

    # ``(field, values)`` when the filter is ``F eq a or F eq b ...``
    accepts.membership = getattr(predicate, "membership", None)
    return accepts
