"""OData JSON rows -> records, strictly.

A row is parsed completely or not at all: any missing, mistyped or
malformed value raises :class:`OneCProtocolError` naming the entity, the
object's key and the field (:class:`~onec_exchange.rows.RowReader`), so a
bad answer never yields half-parsed records. Numbers are read as ``Decimal``
(decode JSON with ``parse_float=Decimal``); 1C's empty GUID and empty date
become ``None``.
"""

from .records import Counterparty, DocumentLine, Order, Payment, Shipment
from .rows import RowReader


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


def parse_balance(row, entity, dimension, resource, suffix="Balance"):
    """``(dimension ref, balance)`` of a register ``Balance`` row (another
    virtual table's amount with ``suffix``: ``Turnover``)."""
    reader = RowReader(row, entity)
    return reader.required_ref(dimension), reader.decimal(f"{resource}{suffix}")
