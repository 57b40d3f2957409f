# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""Adapter: the only code of the add-on that talks to ``onec_exchange``.

It reads pages of :class:`~onec_exchange.records.ReadItem` (the raw payload,
the parsed record or the reason it could not be parsed), so that one
malformed record is journaled with its payload and the others of its page
are still imported, whichever the protocol.
"""

from onec_exchange.factory import make_transport

SETTLEMENT_PAGE_SIZE = 50000  # 1C computes the balance again per page
SOAP_MAX_PAGE_SIZE = 10000  # the CRMExchange contract's largest PageSize


class OneCAdapter:
    """Reads pages and writes counterparties for one connection."""

    def __init__(self, transport, page_size=500):
        self.transport = transport
        self.page_size = page_size

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
        """Pages of ``ReadItem`` of ``stream`` (counterparty or a document)."""
        return self.transport.iter_items(stream, since, self.page_size)

    def fetch(self, stream, refs):
        """Items of ``stream`` with these refs (retries, unknown
        counterparties); empty when the transport cannot read by ref."""
        return self.transport.fetch_items(stream, refs) if refs else []

    def settlements(self, counterparties=None, skipped=None):
        """Settlements now (one record per debtor): all of them, or of
        ``counterparties`` (refs) only. Large pages: 1C computes the
        register's balance again for every page. ``skipped(stream, item)``:
        a malformed document of another stream read on the way, left out."""
        odata = self.transport.protocol == "odata"
        limit = SETTLEMENT_PAGE_SIZE if odata else SOAP_MAX_PAGE_SIZE
        page_size = max(self.page_size, limit)
        pages = self.transport.iter_settlements(
            None, page_size, counterparties, skipped=skipped
        )
        return [record for page in pages for record in page]

    def monthly_sales(self):
        """The customers' sales per month, the last twelve (None: the
        interface cannot read them)."""
        return self.transport.monthly_sales()

    # ---- writing -------------------------------------------------------------

    def find_counterparty(self, inn, kpp=None):
        return self.transport.find_counterparty(inn, kpp or None)

    def create_counterparty(self, name, inn, kpp, is_person, full_name=None):
        return self.transport.create_counterparty(
            name, inn, kpp or None, is_person=is_person, full_name=full_name
        )
