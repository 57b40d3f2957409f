"""Plain records the transports return.

They carry 1C's own identifiers (``ref`` is the object's ``Ref_Key`` GUID,
``entity`` the entity set it lives in) and values already converted to Python
types: ``Decimal`` amounts, naive ``datetime`` (1C dates carry no time zone),
``None`` for 1C's empty references and empty dates.
"""

import dataclasses
import json
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

# currency codes of the all-Russian classifier (what 1C stores in Code) to
# the ISO letters records carry; an empty currency is the national one
ISO_CURRENCIES = {
    "643": "RUB",
    "840": "USD",
    "978": "EUR",
    "156": "CNY",
    "398": "KZT",
    "933": "BYN",
}
NATIONAL_CURRENCY = "RUB"
# a 1C reference as both protocols write it, and 1C's empty reference
GUID = re.compile(r"[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
EMPTY_REF = "00000000-0000-0000-0000-000000000000"


@dataclass(frozen=True)
class Counterparty:
    """A legal entity or a person in 1C (``Catalog_Контрагенты``)."""

    ref: str
    entity: str
    name: str
    full_name: str
    inn: str
    kpp: str
    is_person: bool
    partner_ref: str | None = None
    head_ref: str | None = None
    deletion_mark: bool = False
    data_version: str = ""


@dataclass(frozen=True)
class DocumentLine:
    """A row of a document's goods table part (``LineNumber`` as an int)."""

    line_number: int
    product_ref: str | None
    quantity: Decimal
    price: Decimal
    amount: Decimal


@dataclass(frozen=True, kw_only=True)
class Document:
    """What every 1C document record has."""

    ref: str
    entity: str
    number: str
    date: datetime | None
    counterparty_ref: str | None
    amount: Decimal
    currency: str
    posted: bool = False
    deletion_mark: bool = False
    data_version: str = ""


@dataclass(frozen=True, kw_only=True)
class Order(Document):
    """A customer order (or, in BP 3.0, an invoice for payment)."""

    status: str = ""
    comment: str = ""  # where a CRM deal code may be written
    lines: tuple[DocumentLine, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Shipment(Document):
    """A sale: goods or services shipped to the customer."""

    order_ref: str | None = None
    lines: tuple[DocumentLine, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Payment(Document):
    """Money received from a customer, by bank transfer or in cash."""

    kind: str  # 'bank' or 'cash'
    order_ref: str | None = None


@dataclass(frozen=True)
class Settlement:
    """What a counterparty owes (positive) or has prepaid (negative)."""

    counterparty_ref: str
    balance: Decimal
    currency: str
    as_of: datetime | None
    overdue: Decimal | None = None
    partner_ref: str | None = None
    overdue_estimated: bool = False  # from payment terms, not 1C's due dates


@dataclass(frozen=True)
class SalesTurnover:
    """A customer's sales of one period (``start``: its first day)."""

    counterparty_ref: str
    start: datetime
    amount: Decimal
    partner_ref: str | None = None


@dataclass
class ReadItem:
    """One record as 1C sent it: the payload always, and the parsed record
    or the reason it could not be parsed (the other records of its page are
    read all the same)."""

    payload: Any
    record: Any = None
    error: str = ""

    @property
    def ref(self):
        """The record's reference, or the payload's when it was not parsed."""
        if self.record is not None:
            return getattr(self.record, "ref", None)
        if isinstance(self.payload, dict):
            ref = self.payload.get("Ref_Key") or self.payload.get("Ref")
            return ref.lower() if isinstance(ref, str) else None
        return None

    def payload_json(self):
        return json.dumps(self.payload, ensure_ascii=False, indent=1, default=_plain)


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if dataclasses.is_dataclass(value):
        return dataclasses.asdict(value)
    return str(value)
