"""INN and KPP: validation before anything is sent to 1C, and generation of
valid INNs for the stand-in's demo data.

The INN carries check digits (10 digits: a legal entity, 12: a sole trader or
a person); the KPP has none, only a format: 4 digits, 2 digits or capital
Latin letters, 3 digits.
"""

import re

from .errors import OneCValidationError

_INN10_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS_1 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS_2 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_KPP = re.compile(r"\d{4}[\dA-Z]{2}\d{3}")


def _check_digit(digits, weights):
    return str(sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11 % 10)


def complete_inn(body):
    """Append the check digit(s) to a 9-digit or 10-digit INN body."""
    if len(body) == 9:
        return body + _check_digit(body, _INN10_WEIGHTS)
    if len(body) == 10:
        first = body + _check_digit(body, _INN12_WEIGHTS_1)
        return first + _check_digit(first, _INN12_WEIGHTS_2)
    raise ValueError(f"an INN body has 9 or 10 digits, not {len(body)}")


def is_valid_inn(inn):
    """True when ``inn`` has 10 or 12 digits and correct check digits."""
    if not isinstance(inn, str) or not inn.isascii() or not inn.isdigit():
        return False
    if len(inn) not in (10, 12):
        return False
    return complete_inn(inn[:-1] if len(inn) == 10 else inn[:-2]) == inn


def is_valid_kpp(kpp):
    """True when ``kpp`` has the KPP format (it has no check digit)."""
    return isinstance(kpp, str) and bool(_KPP.fullmatch(kpp))


def validate_requisites(inn, kpp, is_person):
    """Raise :class:`OneCValidationError` unless INN and KPP fit together.

    Legal entities have a 10-digit INN and a KPP; sole traders and persons a
    12-digit INN and no KPP.
    """
    if not is_valid_inn(inn):
        raise OneCValidationError(f"invalid INN {inn!r}", key=inn)
    if is_person and (len(inn) != 12 or kpp):
        raise OneCValidationError(
            "a person or sole trader has a 12-digit INN and no KPP", key=inn
        )
    if not is_person and (len(inn) != 10 or not is_valid_kpp(kpp)):
        raise OneCValidationError(
            f"a legal entity has a 10-digit INN and a valid KPP, got {kpp!r}",
            key=inn,
        )
