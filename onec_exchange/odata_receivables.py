"""Receivables over OData, per profile kind (``receivables.kind``).

* ``dimension`` (UNF): ``Balance`` rows keyed by the counterparty;
* ``analytics`` (UT 11): rows keyed by a settlement analytics key, mapped to
  counterparty and partner through its catalog (read once per call);
* ``accounting`` (BP 3.0): the accounting register's ``Balance`` on the
  profile's accounts (62.01 debt, 62.02 advances: netted per counterparty),
  counterparty in ``ExtDimension1``.

None of these registers holds due dates. Where the configuration has a
register that does (UT 11 / KA 2: ``РасчетыСКлиентамиПоСрокам``, the
profile's ``receivables.due_dates``), :func:`overdue_debts` reads the real
overdue debt from its ``Balance``: the debt whose due date has passed,
summed per debtor by 1C (``Condition`` on the due date, ``Dimensions``
without it). Elsewhere ``Settlement.overdue`` is estimated from the
profile's payment terms (``Transport.iter_settlements``).

A reader works through an :class:`~onec_exchange.odata.ODataTransport`
(``iter_rows``, ``currency_code``, ``profile``) and never imports it.
"""

import copy
from abc import ABC, abstractmethod
from decimal import Decimal
from urllib.parse import quote

from .errors import OneCEntityNotPublished, OneCProtocolError
from .odata_parsers import parse_balance
from .odata_query import (
    CONDITION_BUDGET,
    composite_literal,
    guid_literal,
    odata_datetime,
    odata_string,
    ref_conditions,
)
from .records import NATIONAL_CURRENCY, SalesTurnover, Settlement
from .rows import RowReader
from .transport import DEFAULT_PAGE_SIZE

ANALYTICS_PAGE_SIZE = 5000  # three short columns per key: fewer requests


def receivables_reader(transport, spec):
    """The reader of the profile's ``receivables`` section ``spec``."""
    kinds = {
        "dimension": DimensionReceivables,
        "analytics": AnalyticsReceivables,
        "accounting": AccountingReceivables,
    }
    return kinds[spec["kind"]](transport, spec)


def overdue_debts(reader, due_before, as_of, page_size, counterparties=None):
    """``{(counterparty ref, currency): overdue debt}`` at ``as_of`` (None:
    now): the debt due before ``due_before`` in the register with due dates
    (``receivables.due_dates``), read as ``reader`` reads its register."""
    reader = reader.with_due_dates(due_before)
    debts = {}
    for page in reader.pages(as_of, page_size, counterparties):
        for record in page:
            key = (record.counterparty_ref, record.currency)
            debts[key] = debts.get(key, Decimal(0)) + max(record.balance, Decimal(0))
    return debts


class Receivables(ABC):
    """What every kind shares: the register's ``Balance`` virtual table."""

    def __init__(self, transport, spec):
        self.transport = transport
        self.spec = spec
        self.register = spec["register"]
        self.dimension = spec["dimension"]
        self.due_before = None  # set on the register with due dates

    def with_due_dates(self, due_before):
        """This reader on the register with due dates (``spec["due_dates"]``)
        for the debt due before ``due_before``; it shares what this one has
        read (the analytics keys)."""
        reader = copy.copy(self)
        reader.spec = {**self.spec, **self.spec["due_dates"]}
        reader.register = reader.spec["register"]
        reader.dimension = reader.spec["dimension"]
        reader.due_before = due_before
        return reader

    @abstractmethod
    def pages(self, as_of, page_size, counterparties):
        """Pages of :class:`Settlement` (of ``counterparties`` only, when
        given)."""

    def _balance_pages(self, as_of, page_size, conditions, filter_text=None):
        """Raw rows of the register's ``Balance`` virtual table, ordered by
        dimension, read once per condition: the table's ``Condition``
        parameter (1C applies it before summing; ``$filter`` after)."""
        for chosen in conditions:
            arguments = []
            if as_of:
                arguments.append(f"Period={odata_datetime(as_of)}")
            condition = self._due_condition(chosen)
            if condition:
                arguments.append(f"Condition={odata_string(condition)}")
            if self.due_before:
                arguments.append(f"Dimensions={odata_string(self._summed_by())}")
            path = f"{self.register}/Balance"
            if arguments:
                path += f"({','.join(arguments)})"
            yield from self.transport.iter_rows(
                path,
                self.register,
                page_size,
                filter_text=filter_text,
                orderby=self.dimension,
            )

    def _due_condition(self, condition):
        """``condition`` and, with ``due_before``, the due date before it."""
        if not self.due_before:
            return condition
        due = f"{self.spec['due_date']} lt {odata_datetime(self.due_before)}"
        return f"({condition}) and {due}" if condition else due

    def _summed_by(self):
        """The dimensions 1C keeps (sums over the due dates)."""
        return ",".join(filter(None, [self.dimension, self.spec.get("currency")]))

    def _conditions(self, refs, literal=guid_literal):
        """``Condition`` values selecting ``refs`` of the dimension, short
        enough with what the due dates add to each request."""
        budget = CONDITION_BUDGET
        if self.due_before:
            extra = f"() and {self._due_condition(None)},Dimensions={self._summed_by()}"
            budget -= len(quote(extra))
        return ref_conditions(self.dimension, refs, literal=literal, budget=budget)

    def _balance(self, row):
        """``(dimension ref, balance)`` of a ``Balance`` row."""
        return parse_balance(row, self.register, self.dimension, self.spec["resource"])


class _KeyedReceivables(Receivables):
    """An accumulation register: one row per debtor, whose dimension
    ``resolve`` maps to (counterparty, partner)."""

    def _settlement_pages(self, as_of, page_size, conditions, resolve):
        for rows in self._balance_pages(as_of, page_size, conditions):
            yield [self._settlement(row, as_of, resolve) for row in rows]

    def _settlement(self, row, as_of, resolve):
        key, balance = self._balance(row)
        counterparty, partner = resolve(key)
        currency = RowReader(row, self.register).ref(self.spec.get("currency"))
        currency = self.transport.currency_code(currency)
        return Settlement(counterparty, balance, currency, as_of, partner_ref=partner)


class DimensionReceivables(_KeyedReceivables):
    """UNF: the register's dimension is the counterparty."""

    def pages(self, as_of, page_size, counterparties):
        conditions = self._conditions(counterparties)
        return self._settlement_pages(
            as_of, page_size, conditions, lambda ref: (ref, None)
        )


class AnalyticsReceivables(_KeyedReceivables):
    """UT 11: the dimension is a settlement analytics key."""

    def pages(self, as_of, page_size, counterparties):
        keys = self.analytics_keys(counterparties)

        def resolve(key):
            if key not in keys:
                raise OneCProtocolError(
                    f"unknown settlement analytics key {key}",
                    entity=self.register,
                    key=key,
                )
            return keys[key]

        if counterparties is not None:
            counterparties = sorted(keys)  # the balances are keyed by analytics
        conditions = self._conditions(counterparties)
        return self._settlement_pages(as_of, page_size, conditions, resolve)

    def __init__(self, transport, spec):
        super().__init__(transport, spec)
        self._keys = {}  # per choice of counterparties, shared with_due_dates

    def analytics_keys(self, counterparties=None):
        """``{analytics key: (counterparty ref, partner ref)}`` (of
        ``counterparties`` only, when given), read once per reader."""
        choice = None if counterparties is None else tuple(sorted(counterparties))
        if choice not in self._keys:
            self._keys[choice] = self._read_analytics_keys(counterparties)
        return self._keys[choice]

    def _read_analytics_keys(self, counterparties):
        analytics = self.spec["analytics"]
        entity = analytics["entity"]
        select = f"Ref_Key,{analytics['counterparty']},{analytics['partner']}"
        keys = {}
        for condition in ref_conditions(analytics["counterparty"], counterparties):
            for rows in self.transport.iter_rows(
                entity,
                entity,
                ANALYTICS_PAGE_SIZE,
                filter_text=condition,
                select=select,
            ):
                for row in rows:
                    reader = RowReader(row, entity)
                    keys[reader.required_ref("Ref_Key")] = (
                        reader.required_ref(analytics["counterparty"]),
                        reader.ref(analytics["partner"]),
                    )
        return keys


class AccountingReceivables(Receivables):
    """BP 3.0: the accounting register on the profile's accounts, the
    counterparty in a composite ``ExtDimension1``, netted per counterparty."""

    def pages(self, as_of, page_size, counterparties):
        accounts = self._account_keys(self.spec["accounts"])
        account_filter = " or ".join(f"Account_Key eq guid'{key}'" for key in accounts)
        counterparty_type = self.transport.profile.section("counterparty")["entity"]
        conditions = self._conditions(
            counterparties, literal=composite_literal(counterparty_type)
        )
        pending = None  # the last counterparty of a page may go on in the next
        for rows in self._balance_pages(
            as_of, page_size, conditions, filter_text=account_filter
        ):
            page = []
            for row in rows:
                ref, balance = self._balance(row)
                kind = RowReader(row, self.register).text(f"{self.dimension}_Type")
                if kind != f"StandardODATA.{counterparty_type}":
                    continue
                if pending and pending[0] == ref:
                    pending = (ref, pending[1] + balance)
                    continue
                if pending:
                    page.append(
                        Settlement(pending[0], pending[1], NATIONAL_CURRENCY, as_of)
                    )
                pending = (ref, balance)
            if page:
                yield page
        if pending:
            yield [Settlement(pending[0], pending[1], NATIONAL_CURRENCY, as_of)]

    def _account_keys(self, accounts):
        entity = accounts["entity"]
        condition = " or ".join(
            f"Code eq {odata_string(code)}" for code in accounts["codes"]
        )
        keys = [
            RowReader(row, entity).required_ref("Ref_Key")
            for rows in self.transport.iter_rows(
                entity,
                entity,
                DEFAULT_PAGE_SIZE,
                filter_text=condition,
                select="Ref_Key,Code",
            )
            for row in rows
        ]
        if not keys:
            raise OneCEntityNotPublished(
                f"no accounts {accounts['codes']} in {entity}", entity=entity
            )
        return keys


class SalesTurnovers:
    """The sales register's ``Turnovers`` per debtor and period (the
    profile's ``sales`` section): one request per period, summed by 1C over
    every dimension but the customer's (``Dimensions``)."""

    def __init__(self, transport, spec):
        self.transport = transport
        self.spec = spec
        self.register = spec["register"]
        self.dimension = spec["dimension"]

    def records(self, periods, page_size):
        """:class:`SalesTurnover` of each ``(start, end)`` period."""
        resolve = self._resolver()
        records = []
        for start, end in periods:
            for rows in self.transport.iter_rows(
                self._path(start, end), self.register, page_size, orderby=self.dimension
            ):
                for row in rows:
                    key, amount = parse_balance(
                        row,
                        self.register,
                        self.dimension,
                        self.spec["resource"],
                        suffix="Turnover",
                    )
                    counterparty, partner = resolve(key)
                    records.append(SalesTurnover(counterparty, start, amount, partner))
        return records

    def _path(self, start, end):
        arguments = (
            f"StartPeriod={odata_datetime(start)}",
            f"EndPeriod={odata_datetime(end)}",
            f"Dimensions={odata_string(self.dimension)}",
        )
        return f"{self.register}/Turnovers({','.join(arguments)})"

    def _resolver(self):
        """Maps the register's dimension to ``(counterparty, partner)``."""
        if self.spec["kind"] != "analytics":
            return lambda ref: (ref, None)
        receivables = self.transport.profile.data["receivables"]
        keys = AnalyticsReceivables(self.transport, receivables).analytics_keys()

        def resolve(key):
            if key not in keys:
                raise OneCProtocolError(
                    f"unknown analytics key {key}", entity=self.register, key=key
                )
            return keys[key]

        return resolve
