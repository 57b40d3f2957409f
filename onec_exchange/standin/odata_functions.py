"""The OData v3 ``$filter`` functions and arithmetic operators 1C implements.

Values come as rows hold them: strings, numbers as ``Decimal``, dates as
``2025-01-31T00:00:00`` strings, ``None`` for null (a function of null is
null, as in OData).
"""

from datetime import datetime
from decimal import Decimal, DivisionByZero, InvalidOperation


class FunctionError(ValueError):
    """A function or operator applied to values it does not take."""


def _text(value):
    if not isinstance(value, str):
        raise FunctionError(f"{value!r} is not a string")
    return value


def _date(value):
    try:
        return datetime.fromisoformat(_text(value)[:19])
    except ValueError as error:
        raise FunctionError(f"{value!r} is not a date") from error


def _number(value):
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise FunctionError(f"{value!r} is not a number")
    return Decimal(value)


def _substring(text, start, length=None):
    start = int(_number(start))
    end = None if length is None else start + int(_number(length))
    return _text(text)[start:end]


def _date_part(name):
    return lambda value: Decimal(getattr(_date(value), name))


# name -> (numbers of arguments, function of the argument values)
FUNCTIONS = {
    # 1C compares substrings without regard to case
    "substringof": ((2,), lambda n, h: _text(n).lower() in _text(h).lower()),
    "startswith": ((2,), lambda s, p: _text(s).startswith(_text(p))),
    "endswith": ((2,), lambda s, p: _text(s).endswith(_text(p))),
    "length": ((1,), lambda s: Decimal(len(_text(s)))),
    "indexof": ((2,), lambda s, p: Decimal(_text(s).find(_text(p)))),
    "substring": ((2, 3), _substring),
    "tolower": ((1,), lambda s: _text(s).lower()),
    "toupper": ((1,), lambda s: _text(s).upper()),
    "trim": ((1,), lambda s: _text(s).strip()),
    "concat": ((2,), lambda a, b: _text(a) + _text(b)),
    "year": ((1,), _date_part("year")),
    "month": ((1,), _date_part("month")),
    "day": ((1,), _date_part("day")),
    "hour": ((1,), _date_part("hour")),
    "minute": ((1,), _date_part("minute")),
    "second": ((1,), _date_part("second")),
    "round": ((1,), lambda x: _number(x).quantize(Decimal(1), "ROUND_HALF_UP")),
    "floor": ((1,), lambda x: _number(x).quantize(Decimal(1), "ROUND_FLOOR")),
    "ceiling": ((1,), lambda x: _number(x).quantize(Decimal(1), "ROUND_CEILING")),
}


def _divide(a, b):
    try:
        return a / b
    except (DivisionByZero, InvalidOperation) as error:
        raise FunctionError("division by zero") from error


def _modulo(a, b):
    try:
        return a % b
    except (DivisionByZero, InvalidOperation) as error:
        raise FunctionError("division by zero") from error


ADDITIVE = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b}
MULTIPLICATIVE = {"mul": lambda a, b: a * b, "div": _divide, "mod": _modulo}


def arithmetic(operator, a, b):
    """``a <operator> b`` on numbers; null stays null."""
    if a is None or b is None:
        return None
    return operator(_number(a), _number(b))


def call(name, values):
    """``name(values...)``; null in, null out."""
    if any(value is None for value in values):
        return None
    return FUNCTIONS[name][1](*values)


# the Edm type a row value has, for isof(field, 'Edm.X')
def edm_of(value):
    if isinstance(value, bool):
        return "Edm.Boolean"
    if isinstance(value, Decimal):
        return "Edm.Double" if value != value.to_integral_value() else "Edm.Int64"
    return "Edm.String"
