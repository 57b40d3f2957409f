# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""Mappers: 1C records (``onec_exchange.records``) -> Odoo values.

Each mirror model declares its mapping as ``{odoo field: source}`` where the
source is a record attribute name or a function of ``(record, mapper)``;
the references to other Odoo records (counterparty, currency, deal) are
resolved in batch by the importers and passed in ``context``.
"""

from datetime import timezone
from zoneinfo import ZoneInfo

MAX_SUMMARY_LINES = 5
# datetime.UTC is 3.11+; Odoo 18 runs on 3.10 too
UTC = timezone.utc


def lines_summary(record, _mapper=None):
    """A short, readable summary of the goods table part."""
    lines = getattr(record, "lines", ()) or ()
    if not lines:
        return ""
    shown = [
        f"{line.line_number}. {line.quantity:g} × {line.price:.2f} = {line.amount:.2f}"
        for line in lines[:MAX_SUMMARY_LINES]
    ]
    if len(lines) > MAX_SUMMARY_LINES:
        shown.append(f"… (+{len(lines) - MAX_SUMMARY_LINES})")
    return "\n".join(shown)


def _not_deleted(record, _mapper=None):
    return not record.deletion_mark


def _date(record, mapper):
    return mapper.to_utc(record.date)


def _amount(record, _mapper=None):
    return float(record.amount)


DOCUMENT_MAPPING = {
    "ref": "ref",
    "entity": "entity",
    "name": "number",
    "date": _date,
    "amount": _amount,
    "currency_code": "currency",
    "posted": "posted",
    "data_version": "data_version",
    "active": _not_deleted,
}
ORDER_MAPPING = {
    **DOCUMENT_MAPPING,
    "status": "status",
    "comment": "comment",
    "line_count": lambda record, _m: len(record.lines),
    "lines_summary": lines_summary,
}
SHIPMENT_MAPPING = {
    **DOCUMENT_MAPPING,
    "order_ref": "order_ref",
    "line_count": lambda record, _m: len(record.lines),
    "lines_summary": lines_summary,
}
PAYMENT_MAPPING = {**DOCUMENT_MAPPING, "kind": "kind", "order_ref": "order_ref"}
COUNTERPARTY_MAPPING = {
    "ref": "ref",
    "entity": "entity",
    "name": "name",
    "full_name": "full_name",
    "inn": "inn",
    "kpp": "kpp",
    "is_person": "is_person",
    "onec_partner_ref": "partner_ref",
    "head_ref": "head_ref",
    "data_version": "data_version",
    "active": _not_deleted,
}
MAPPINGS = {
    "counterparty": COUNTERPARTY_MAPPING,
    "order": ORDER_MAPPING,
    "shipment": SHIPMENT_MAPPING,
    "payment": PAYMENT_MAPPING,
}


class Mapper:
    """Applies a declared mapping; converts 1C local times to UTC."""

    def __init__(self, stream, timezone):
        self.mapping = MAPPINGS[stream]
        self.tz = ZoneInfo(timezone or "UTC")

    def to_utc(self, value):
        """1C dates carry no time zone: they are the 1C server's local time."""
        if value is None:
            return False
        return value.replace(tzinfo=self.tz).astimezone(UTC).replace(tzinfo=None)

    def map(self, record, **extra):
        vals = {
            field: source(record, self) if callable(source) else getattr(record, source)
            for field, source in self.mapping.items()
        }
        for key in ("order_ref", "onec_partner_ref", "head_ref"):
            if key in vals and vals[key] is None:
                vals[key] = False
        vals.update(extra)
        return vals
