"""Checked, typed access to one record as 1C sent it, for both transports.

An OData row is a JSON object (dates and line numbers as text, numbers
decoded as ``Decimal``); a SOAP record is a zeep object whose elements are
attributes, already typed by the WSDL. Either way a missing, mistyped or
malformed value raises the error of :func:`~onec_exchange.errors.bad_record`
naming the entity, the object's key and the field: the strict readers fail
the record's page, ``Transport.iter_items`` keeps the record with the reason.

A field given as ``None`` is one the profile says the configuration lacks:
it reads as the default. ``optional=True`` accepts a missing or null value
(SOAP's nillable elements); OData sends every field of an entity, so there a
missing one is an error. 1C's empty reference and empty date read as None.
"""

from datetime import datetime
from decimal import Decimal

from .errors import bad_record
from .records import EMPTY_REF, GUID

EMPTY_DATE = "0001-01-01T00:00:00"
_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S"
_MAX_DIGITS = 32  # 1C numbers have at most 32 digits
_NOT_OBJECTS = (list, str, int, float, Decimal, type(None))  # JSON values


class RowReader:
    """Typed access to one record; errors name entity, key and field."""

    def __init__(self, row, entity, key_field="Ref_Key"):
        """``row``: a JSON object (OData) or a zeep object (SOAP)."""
        if isinstance(row, dict):
            self._value = row.get
        elif isinstance(row, _NOT_OBJECTS):
            raise bad_record(entity, None, "a row is not an object")
        else:
            self._value = lambda field: getattr(row, field, None)
        self.entity = entity
        key = self._value(key_field)
        self.key = key if isinstance(key, str) else None

    def fail(self, field, problem):
        raise bad_record(self.entity, self.key, f"{field}: {problem}")

    def raw(self, field, optional=False):
        """The value as sent; missing or null fails unless ``optional``."""
        value = self._value(field)
        if value is None and not optional:
            self.fail(field, "missing")
        return value

    def text(self, field, default="", optional=False):
        """A string; ``field`` None (not in this profile) gives ``default``."""
        value = None if field is None else self.raw(field, optional)
        if value is None:
            return default
        if not isinstance(value, str):
            self.fail(field, f"expected a string, got {type(value).__name__}")
        return value

    def ref(self, field, optional=False):
        """A GUID (plain ``X_Key`` or composite ``X``), lowercased; empty
        gives None."""
        value = self.text(field, None, optional)
        if value is None:
            return None
        if not GUID.fullmatch(value):
            self.fail(field, f"not a GUID: {value[:50]!r}")
        return None if value == EMPTY_REF else value.lower()

    def required_ref(self, field):
        value = self.ref(field)
        if value is None:
            self.fail(field, "empty reference")
        return value

    def date(self, field):
        """A naive datetime (1C dates have no time zone); empty gives None."""
        value = self.raw(field)
        if isinstance(value, datetime):
            return value
        if not isinstance(value, str):
            self.fail(field, f"expected a date, got {type(value).__name__}")
        if value == EMPTY_DATE:
            return None
        try:
            return datetime.strptime(value, _DATE_FORMAT)
        except ValueError:
            self.fail(field, f"not a 1C date: {value[:30]!r}")

    def decimal(self, field, optional=False):
        value = self.raw(field, optional)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
            self.fail(field, f"expected a number, got {type(value).__name__}")
        value = Decimal(value)
        if not value.is_finite() or len(value.as_tuple().digits) > _MAX_DIGITS:
            self.fail(field, "number out of range")
        return value

    def boolean(self, field, default=False):
        if field is None:
            return default
        value = self.raw(field)
        if not isinstance(value, bool):
            self.fail(field, f"expected true/false, got {type(value).__name__}")
        return value

    def rows(self, field, optional=False):
        """A table part (a list of rows); missing gives [] when ``optional``."""
        value = self.raw(field, optional)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(field, "expected a table part (a list)")
        return value

    def line_number(self, field="LineNumber"):
        """A row's number: an int over SOAP; OData sends it as text."""
        value = self.raw(field)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if not isinstance(value, str) or not value.isascii() or not value.isdigit():
            self.fail(field, f"not a line number: {str(value)[:20]!r}")
        return int(value)
