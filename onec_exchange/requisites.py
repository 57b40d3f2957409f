"""INN and KPP: validation before anything is sent to 1C, and generation of
valid INNs for the stand-in's demo data.

The INN carries check digits (10 digits: a legal entity, 12: a sole trader or
a person), checked by python-stdnum (``stdnum.ru.inn``); the KPP has none,
only a format: 4 digits, 2 digits or capital Latin letters, 3 digits. These
are the only checks: the Odoo add-on words its messages from them.
"""

import re

from stdnum.ru import inn as stdnum_inn

from .errors import OneCValidationError

_KPP = re.compile(r"\d{4}[\dA-Z]{2}\d{3}")


def normalize_inn(vat):
    """The INN held in a VAT number as Odoo keeps it (``RU7707083893``, or
    with spaces)."""
    return "".join((vat or "").split()).upper().removeprefix("RU")


def complete_inn(body):
    """Append the check digit(s) to a 9-digit or 10-digit INN body."""
    if len(body) == 9:
        return body + stdnum_inn.calc_company_check_digit(body)
    if len(body) == 10:
        return body + stdnum_inn.calc_personal_check_digits(body)
    raise ValueError(f"an INN body has 9 or 10 digits, not {len(body)}")


def is_well_formed_inn(inn):
    """True when ``inn`` is 10 or 12 ASCII digits (check digits aside)."""
    return (
        isinstance(inn, str)
        and inn.isascii()
        and inn.isdigit()
        and len(inn) in (10, 12)
    )


def is_valid_inn(inn):
    """True when ``inn`` has 10 or 12 digits and correct check digits.

    Stricter than ``stdnum``, which first drops spaces: what is sent to 1C
    must be the digits alone.
    """
    return is_well_formed_inn(inn) and stdnum_inn.is_valid(inn)


def is_person_inn(inn):
    """True when ``inn`` is a person's or a sole trader's: 12 digits (an
    organization's has 10). Check digits aside: see :func:`is_valid_inn`."""
    return is_well_formed_inn(inn) and len(inn) == 12


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
    if is_person and (not is_person_inn(inn) or kpp):
        raise OneCValidationError(
            "a person or sole trader has a 12-digit INN and no KPP", key=inn
        )
    if not is_person and (is_person_inn(inn) or not is_valid_kpp(kpp)):
        raise OneCValidationError(
            f"a legal entity has a 10-digit INN and a valid KPP, got {kpp!r}",
            key=inn,
        )
