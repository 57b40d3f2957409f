# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""Adapter: the only code of the add-on that talks to ``onec_exchange``.

It turns the package's pages of records into pages of :class:`Item` (the
raw payload, the parsed record or the reason it could not be parsed), so
that one malformed record is journaled with its payload and the others of
its page are still imported. With the OData transport the rows are read raw
and parsed one by one; with any other transport (SOAP) the package's pages
are used as they come (a bad record then fails its whole page, which the
next run reads again).
"""

import dataclasses
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from onec_exchange.errors import OneCError
from onec_exchange.odata import ref_conditions
from onec_exchange.transport import make_transport

DOCUMENT_STREAMS = ("order", "shipment", "payment")
SETTLEMENT_PAGE_SIZE = 50000  # 1C computes the balance again per page
SOAP_MAX_PAGE_SIZE = 10000  # the CRMExchange contract's largest PageSize


@dataclass
class Item:
    """One record read from 1C: payload always, record or error."""

    payload: Any
    record: Any = None
    error: str = ""

    @property
    def ref(self):
        if self.record is not None:
            return getattr(self.record, "ref", None)
        if isinstance(self.payload, dict):
            ref = self.payload.get("Ref_Key") or self.payload.get("ref")
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


def record_payload(record):
    return dataclasses.asdict(record)


class OneCAdapter:
    """Reads pages and writes counterparties for one connection."""

    def __init__(self, transport, page_size=500):
        self.transport = transport
        self.page_size = page_size
        self.profile = transport.profile
        # parse row by row only where the transport gives raw rows (OData)
        self.raw_rows = hasattr(transport, "iter_rows")

    @classmethod
    def from_settings(cls, settings):
        """``settings``: a dict of the connection's values (see the model)."""
        transport = make_transport(
            settings["protocol"],
            settings["base_url"],
            settings["publication"],
            settings["profile"],
            username=settings["username"],
            password=settings["password"],
            timeout=settings["timeout"],
            soap_alias=settings.get("soap_alias") or "CRMExchange",
        )
        return cls(transport, settings.get("page_size") or 500)

    def close(self):
        self.transport.close()

    def check_connection(self):
        return self.transport.check_connection()

    # ---- reading -------------------------------------------------------------

    def pages(self, stream, since=None):
        """Pages of :class:`Item` of ``stream`` (counterparty or a document)."""
        if self.raw_rows:
            for entity, parse in self._parsers(stream):
                filter_text = None
                if since and stream != "counterparty":
                    filter_text = f"Date ge {self._odata_datetime(since)}"
                for rows in self.transport.iter_rows(
                    entity, entity, self.page_size, filter_text=filter_text
                ):
                    yield [self._parse(row, parse) for row in rows]
            return
        reader = {
            "counterparty": self.transport.iter_counterparties,
            "order": self.transport.iter_orders,
            "shipment": self.transport.iter_shipments,
            "payment": self.transport.iter_payments,
        }[stream]
        for page in reader(since, self.page_size):
            yield [Item(record_payload(record), record) for record in page]

    def fetch(self, stream, refs):
        """Items of ``stream`` with these refs (retries, unknown
        counterparties); empty when the transport cannot read by ref."""
        refs = sorted(set(refs))
        if not self.raw_rows or not refs:
            return []
        items = []
        for entity, parse in self._parsers(stream):
            for condition in ref_conditions("Ref_Key", refs):
                for rows in self.transport.iter_rows(
                    entity, entity, self.page_size, filter_text=condition
                ):
                    items += [self._parse(row, parse) for row in rows]
        return items

    def settlements(self, counterparties=None):
        """Settlements now (one record per debtor): all of them, or of
        ``counterparties`` (refs) only. Large pages: 1C computes the
        register's balance again for every page."""
        limit = SETTLEMENT_PAGE_SIZE if self.raw_rows else SOAP_MAX_PAGE_SIZE
        page_size = max(self.page_size, limit)
        pages = self.transport.iter_settlements(None, page_size, counterparties)
        return [record for page in pages for record in page]

    # ---- writing -------------------------------------------------------------

    def find_counterparty(self, inn, kpp=None):
        return self.transport.find_counterparty(inn, kpp or None)

    def create_counterparty(self, name, inn, kpp, is_person, full_name=None):
        return self.transport.create_counterparty(
            name, inn, kpp or None, is_person=is_person, full_name=full_name
        )

    # ---- internals -------------------------------------------------------------

    @staticmethod
    def _parse(row, parse):
        try:
            return Item(row, parse(row))
        except OneCError as error:
            if error.retryable:
                raise
            return Item(row, None, str(error))

    @staticmethod
    def _odata_datetime(value):
        return f"datetime'{value.strftime('%Y-%m-%dT%H:%M:%S')}'"

    def _parsers(self, stream):
        """``[(entity, row parser)]`` of a stream, from the package's parsers."""
        from onec_exchange import odata_parsers as parsers

        profile = self.profile
        currencies = self.transport.currency_code
        if stream == "counterparty":
            section = profile.section("counterparty")
            return [
                (
                    section["entity"],
                    lambda row: parsers.parse_counterparty(row, section),
                )
            ]
        if stream in ("order", "shipment"):
            section = profile.section(stream)
            parse = parsers.parse_order if stream == "order" else parsers.parse_shipment
            return [(section["entity"], lambda row: parse(row, section, currencies))]
        return [
            (
                section["entity"],
                lambda row, kind=kind, section=section: parsers.parse_payment(
                    row, section, currencies=currencies, kind=kind
                ),
            )
            for kind, section in profile.payment_sections()
        ]
