"""The one interface the connector uses to talk to 1C.

Both implementations (:class:`~onec_exchange.odata.ODataTransport`,
:class:`~onec_exchange.soap.SoapTransport`, made by
:func:`onec_exchange.factory.make_transport`) return the plain records of
:mod:`onec_exchange.records` and raise the typed errors of
:mod:`onec_exchange.errors`.

Reads are generators of *pages* (lists of records): the caller commits a
page before asking for the next one, and memory stays flat whatever the
volume. Incremental reads:

* documents (orders, shipments, payments): ``since`` is a moving
  ``Date ge since`` window; the caller subtracts an overlap from its last
  cursor and skips records whose ``data_version`` it already stored (1C has
  no change feed, and ``DataVersion`` has no order to filter on);
* counterparties: catalogs have no date, so every page is read and the
  caller skips unchanged ``data_version`` values; ``since`` is accepted for
  symmetry and ignored by OData (a SOAP service may honour it).
"""

from abc import ABC, abstractmethod
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal

from .errors import OneCError
from .profiles import load_profile
from .records import ReadItem

DEFAULT_PAGE_SIZE = 500
SALES_MONTHS = 12


class Transport(ABC):
    """Read and write the 1C data a CRM needs.

    A ``page_size`` above the protocol's ``max_page_size`` is lowered to it.
    """

    protocol = ""
    max_page_size = None  # the largest page the protocol accepts, if limited

    def __init__(self, profile):
        self.profile = load_profile(profile)

    @abstractmethod
    def check_connection(self):
        """A dict describing the server; raises what exactly is wrong."""

    @abstractmethod
    def _raw_stream(self, stream, since, page_size):
        """``(parser, raw records)`` pages of ``stream``: documents dated
        ``since`` or later (catalogs have no date: read whole)."""

    def _payload(self, raw):
        """The payload kept with a read record (JSON-friendly)."""
        return raw

    def _capped(self, page_size):
        """``page_size``, but no more than the protocol accepts."""
        if self.max_page_size is None:
            return page_size
        return min(page_size, self.max_page_size)

    def _stream_pages(self, stream, since, page_size):
        for parse, raws in self._raw_stream(stream, since, self._capped(page_size)):
            yield [parse(raw) for raw in raws]

    def iter_items(self, stream, since=None, page_size=DEFAULT_PAGE_SIZE):
        """Pages of :class:`ReadItem` of ``stream`` (``counterparty``,
        ``order``, ``shipment``, ``payment``; ``since`` as for the
        ``iter_*`` readers): a record 1C sent malformed comes with its
        payload and the reason, and the others of its page still come.
        Failures of 1C itself (down, 500, cut-off answer) raise."""
        for parse, raws in self._raw_stream(stream, since, self._capped(page_size)):
            yield [read_item(self._payload(raw), parse, source=raw) for raw in raws]

    @abstractmethod
    def fetch_items(self, stream, refs):
        """:class:`ReadItem` of ``stream`` with these refs (retries, unknown
        counterparties); empty when the interface cannot read by reference."""

    def iter_counterparties(self, since=None, page_size=DEFAULT_PAGE_SIZE):
        """Pages of :class:`Counterparty` (deletion-marked ones included)."""
        return self._stream_pages("counterparty", since, page_size)

    def iter_orders(self, since=None, page_size=DEFAULT_PAGE_SIZE):
        """Pages of :class:`Order` dated ``since`` or later."""
        return self._stream_pages("order", since, page_size)

    def iter_shipments(self, since=None, page_size=DEFAULT_PAGE_SIZE):
        """Pages of :class:`Shipment` dated ``since`` or later."""
        return self._stream_pages("shipment", since, page_size)

    def iter_payments(self, since=None, page_size=DEFAULT_PAGE_SIZE):
        """Pages of :class:`Payment`: bank and cash receipts."""
        return self._stream_pages("payment", since, page_size)

    def iter_settlements(
        self,
        as_of=None,
        page_size=DEFAULT_PAGE_SIZE,
        counterparties=None,
        skipped=None,
    ):
        """Pages of :class:`Settlement`: the receivables balance at ``as_of``
        (None: now), one record per counterparty with a non-zero balance.

        ``counterparties``: refs whose balances alone are read (those whose
        documents changed); None reads every balance. A ref without a record
        owes nothing.

        ``overdue``: what 1C says when it knows (a SOAP service may; OData
        reads a due-date register when the profile names one:
        ``receivables.due_dates``), else, when the profile sets
        ``receivables.payment_terms_days``, the debt older than those terms
        -- payments are taken to settle the oldest shipments first, so
        whatever the shipments of the last N days do not explain is overdue
        (``overdue_estimated``). Without terms it stays ``None``.

        ``skipped(stream, item)``: called for each malformed record of
        another stream read on the way (the shipments of the estimate): it
        is left out and the rest goes on (None: left out silently).
        """
        terms = self.profile.data["receivables"].get("payment_terms_days")
        recent = None
        pages = self._iter_balances(as_of, self._capped(page_size), counterparties)
        for page in pages:
            if terms is None or all(r.overdue is not None for r in page):
                yield page
                continue
            if recent is None:
                recent = self._recent_shipments(as_of, terms, skipped)
            yield [with_overdue(record, recent) for record in page]

    @abstractmethod
    def _iter_balances(self, as_of, page_size, counterparties=None):
        """Pages of :class:`Settlement` as the 1C side gives them (only
        ``counterparties`` when given)."""

    def _recent_shipments(self, as_of, terms, skipped=None):
        """Shipped amounts per counterparty within ``terms`` days of
        ``as_of``; a malformed shipment is left out (and given to
        ``skipped``): it must not block the settlements."""
        end = as_of or datetime.now()
        start = end - timedelta(days=terms)
        amounts = {}
        for page in self.iter_items("shipment", since=start):
            for item in page:
                if item.record is None:
                    if skipped is not None:
                        skipped("shipment", item)
                    continue
                shipment = item.record
                if counts_as_debt(shipment, end):
                    ref = shipment.counterparty_ref
                    amounts[ref] = amounts.get(ref, Decimal(0)) + shipment.amount
        return amounts

    def monthly_sales(self, months=SALES_MONTHS, as_of=None):
        """:class:`SalesTurnover` per customer and calendar month: the last
        ``months`` months up to ``as_of`` (None: now, its month so far),
        oldest first, from the profile's ``sales`` register. None when they
        cannot be read: no ``sales`` in the profile, or an interface without
        it (the SOAP contract has no such call)."""
        if not self.profile.data.get("sales"):
            return None
        return self._sales_turnovers(month_periods(as_of or datetime.now(), months))

    def _sales_turnovers(self, periods):
        """Sales of each ``(start, end)`` period; None: not readable."""
        return None

    @abstractmethod
    def find_counterparty(self, inn, kpp=None):
        """Counterparties (not deletion-marked) with this INN (and KPP).

        An INN or KPP that cannot be valid finds nothing (and is never put in
        a query); ``create_counterparty`` refuses it with a validation error.
        """

    @abstractmethod
    def create_counterparty(self, name, inn, kpp=None, is_person=False, full_name=None):
        """Create a counterparty in 1C and return it (with its ``ref``).

        INN and KPP are validated first (:class:`OneCValidationError`). Look
        it up with :meth:`find_counterparty` before, to avoid duplicates.
        """

    def settlements(self, as_of=None, counterparties=None, skipped=None):
        """Settlements as one list (small: one row per debtor)."""
        pages = self.iter_settlements(
            as_of, counterparties=counterparties, skipped=skipped
        )
        return [record for page in pages for record in page]

    @abstractmethod
    def close(self):
        """Release the HTTP connections."""

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


def read_item(payload, parse, source=None):
    """A :class:`ReadItem` of ``payload`` parsed by ``parse(source or
    payload)``; a malformed record keeps its reason, 1C failures raise."""
    try:
        return ReadItem(payload, parse(payload if source is None else source))
    except OneCError as error:
        if error.retryable:
            raise
        return ReadItem(payload, None, str(error))


def counts_as_debt(document, end):
    """A posted, not deletion-marked document dated up to ``end``."""
    return (
        document.posted
        and not document.deletion_mark
        and document.date is not None
        and document.date <= end
    )


def with_overdue(record, recent):
    """``record`` with ``overdue`` filled from recent shipments, if unknown."""
    if record.overdue is not None:
        return record
    not_yet_due = recent.get(record.counterparty_ref, Decimal(0))
    overdue = max(record.balance - not_yet_due, Decimal(0))
    return replace(record, overdue=overdue, overdue_estimated=True)


def month_periods(end, months):
    """``(start, end)`` of the last ``months`` calendar months, oldest first;
    the last one ends at ``end``."""
    periods = []
    stop = end.replace(microsecond=0)
    for _ in range(months):
        start = stop.replace(day=1, hour=0, minute=0, second=0)
        periods.append((start, stop))
        stop = start - timedelta(seconds=1)
    return periods[::-1]
