"""OData JSON rows -> records, strictly.

A row is parsed completely or not at all: any missing, mistyped or
malformed value raises :class:`OneCProtocolError` naming the entity, the
object's key and the field, so a bad answer never yields half-parsed
records. Numbers are read as ``Decimal`` (decode JSON with
``parse_float=Decimal``); 1C's empty GUID and empty date become ``None``.
"""

import re
from datetime import datetime
from decimal import Decimal

from .errors import bad_record
from .records import Counterparty, DocumentLine, Order, Payment, Shipment

EMPTY_REF = "00000000-0000-0000-0000-000000000000"
EMPTY_DATE = "0001-01-01T00:00:00"
GUID = re.compile(r"[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
_MAX_DIGITS = 32  # 1C numbers have at most 32 digits


class RowReader:
    """Typed access to one JSON row; errors name entity, key and field."""

    def __init__(self, row, entity):
        if not isinstance(row, dict):
            raise bad_record(entity, None, "a row is not an object")
        self.row = row
        self.entity = entity
        self.key = row.get("Ref_Key") if isinstance(row.get("Ref_Key"), str) else None

    def fail(self, field, problem):
        raise bad_record(self.entity, self.key, f"{field}: {problem}")

    def raw(self, field):
        if field not in self.row:
            self.fail(field, "missing")
        return self.row[field]

    def text(self, field, default=""):
        """A string; ``field`` None (not in this profile) gives ``default``."""
        if field is None:
            return default
        value = self.raw(field)
        if not isinstance(value, str):
            self.fail(field, f"expected a string, got {type(value).__name__}")
        return value

    def ref(self, field):
        """A GUID (plain ``X_Key`` or composite ``X``); empty gives None."""
        if field is None:
            return None
        value = self.text(field)
        if not GUID.fullmatch(value):
            self.fail(field, f"not a GUID: {value[:50]!r}")
        return None if value == EMPTY_REF else value.lower()

    def required_ref(self, field):
        value = self.ref(field)
        if value is None:
            self.fail(field, "empty reference")
        return value

    def date(self, field):
        value = self.text(field)
        if value == EMPTY_DATE:
            return None
        try:
            return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S")
        except ValueError:
            self.fail(field, f"not a 1C date: {value[:30]!r}")

    def decimal(self, field):
        value = self.raw(field)
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

    def rows(self, field):
        value = self.raw(field)
        if not isinstance(value, list):
            self.fail(field, "expected a table part (a list)")
        return value

    def line_number(self, field="LineNumber"):
        # 1C sends LineNumber as a string
        value = self.text(field)
        if not value.isascii() or not value.isdigit():
            self.fail(field, f"not a line number: {value[:20]!r}")
        return int(value)


def parse_counterparty(row, section):
    """A :class:`Counterparty` from a ``Catalog_Контрагенты`` row."""
    entity, fields = section["entity"], section["fields"]
    reader = RowReader(row, entity)
    form = reader.text(fields["legal_form"])
    forms = section["legal_form"]
    if form not in (forms["company"], forms["person"], ""):
        reader.fail(fields["legal_form"], f"unknown value {form[:40]!r}")
    return Counterparty(
        ref=reader.required_ref("Ref_Key"),
        entity=entity,
        name=reader.text(fields["name"]),
        full_name=reader.text(fields.get("full_name")),
        inn=reader.text(fields["inn"]).strip(),
        kpp=reader.text(fields.get("kpp")).strip(),
        is_person=form == forms["person"],
        partner_ref=reader.ref(fields.get("partner")),
        head_ref=reader.ref(fields.get("head")),
        deletion_mark=reader.boolean("DeletionMark"),
        data_version=reader.text("DataVersion"),
    )


def _lines(reader, spec):
    if not spec:
        return ()
    lines = []
    for row in reader.rows(spec["table"]):
        line = RowReader(row, f"{reader.entity}_{spec['table']}")
        line.key = reader.key
        lines.append(
            DocumentLine(
                line_number=line.line_number(),
                product_ref=line.ref(spec["product"]),
                quantity=line.decimal(spec["quantity"]),
                price=line.decimal(spec["price"]),
                amount=line.decimal(spec["amount"]),
            )
        )
    return tuple(lines)


def _document_header(reader, fields, currencies):
    """Fields every document record has, as keyword arguments."""
    return {
        "ref": reader.required_ref("Ref_Key"),
        "entity": reader.entity,
        "number": reader.text("Number"),
        "date": reader.date("Date"),
        "counterparty_ref": reader.ref(fields["counterparty"]),
        "amount": reader.decimal(fields["amount"]),
        "currency": currencies(reader.ref(fields.get("currency"))),
        "posted": reader.boolean("Posted"),
        "deletion_mark": reader.boolean("DeletionMark"),
        "data_version": reader.text("DataVersion"),
    }


def parse_order(row, section, currencies):
    """An :class:`Order`; ``currencies`` maps a currency ref to its code."""
    reader = RowReader(row, section["entity"])
    fields = section["fields"]
    return Order(
        **_document_header(reader, fields, currencies),
        status=reader.text(fields.get("status")),
        comment=reader.text(fields.get("comment")),
        lines=_lines(reader, section.get("lines")),
    )


def parse_shipment(row, section, currencies):
    """A :class:`Shipment` (sale)."""
    reader = RowReader(row, section["entity"])
    fields = section["fields"]
    return Shipment(
        **_document_header(reader, fields, currencies),
        order_ref=reader.ref(fields.get("order")),
        lines=_lines(reader, section.get("lines")),
    )


def parse_payment(row, section, currencies, kind):
    """A :class:`Payment` of ``kind`` 'bank' or 'cash'."""
    reader = RowReader(row, section["entity"])
    fields = section["fields"]
    return Payment(
        **_document_header(reader, fields, currencies),
        kind=kind,
        order_ref=reader.ref(fields.get("order")),
    )


def parse_balance(row, entity, dimension, resource):
    """``(dimension ref, balance)`` of a register ``Balance`` row."""
    reader = RowReader(row, entity)
    return reader.required_ref(dimension), reader.decimal(f"{resource}Balance")
