# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""Importers: one page of 1C records -> the read-only mirrors.

For a page: prefetch what is stored (one query), skip records whose
``DataVersion`` is unchanged, resolve counterparties and deals in batch, map,
create the new records with one ``create`` and write only the changed ones.
A record that cannot be stored is journaled and the others go on.
"""

import logging

from odoo import fields

from onec_exchange.records import NATIONAL_CURRENCY

from ..deal_linker import DealLinker, OrderToLink
from .base import RunComponent
from .binder import CounterpartyBinder, existing_by_ref
from .mapper import Mapper

_logger = logging.getLogger(__name__)


class StreamImporter(RunComponent):
    """Imports pages of one stream of one connection."""

    prefetch = ("data_version",)

    def __init__(self, runner):
        super().__init__(runner)
        self.mapper = Mapper(self.stream, self.connection.tz)
        self.max_date = None

    # ---- page ------------------------------------------------------------------

    def import_items(self, items, count=True):
        """Store one page of ``ReadItem``; returns nothing, counts in stats."""
        good = {}
        for item in items:
            if count:
                self.stats.read += 1
            if item.record is None or not item.ref:
                self.runner.record_failure(self.stream, item, item.error)
                continue
            good[item.ref] = item  # the later copy wins inside a page
        if not good:
            return
        existing = existing_by_ref(
            self.env, self.model, self.connection.id, good, self.prefetch
        )
        context = self.prepare([item.record for item in good.values()], existing)
        creates, writes = [], []
        for ref, item in good.items():
            record, old = item.record, existing.get(ref)
            self._track_date(record)
            if (
                old
                and record.data_version
                and old["data_version"] == record.data_version
            ):
                self.stats.unchanged += 1
                self.runner.record_success(self.stream, ref)
                continue
            try:
                vals = self.map(record, context, old)
            except (ValueError, TypeError, KeyError, AttributeError) as error:
                self.runner.record_failure(self.stream, item, repr(error))
                continue
            if old:
                writes.append((item, old["id"], vals))
            else:
                creates.append((item, vals))
        self._create(creates)
        self._write(writes)
        self.page_stored()

    def prepare(self, records, existing):
        """Batch look-ups for a page, passed to :meth:`map`."""
        return {}

    def page_stored(self):
        """Called once the new and changed records of a page are stored."""

    def map(self, record, context, old):
        return self.mapper.map(record, connection_id=self.connection.id)

    # ---- writing -----------------------------------------------------------------

    def _create(self, creates):
        if not creates:
            return
        model = self.env[self.model]
        try:
            with self.env.cr.savepoint():
                model.create([vals for _item, vals in creates])
        except Exception:
            _logger.info("1C import: batch create of %s failed, one by one", self.model)
        else:
            self.stats.created += len(creates)
            for item, _vals in creates:
                self.runner.record_success(self.stream, item.ref)
            return
        for item, vals in creates:
            self._store(item, lambda vals=vals: model.create(vals), "created")

    def _write(self, writes):
        model = self.env[self.model].with_context(active_test=False)
        for item, record_id, vals in writes:
            record = model.browse(record_id)
            self._store(item, lambda r=record, v=vals: r.write(v), "updated")

    def _store(self, item, operation, counter):
        try:
            with self.env.cr.savepoint():
                operation()
        except Exception as error:
            self.runner.record_failure(self.stream, item, str(error))
            return
        setattr(self.stats, counter, getattr(self.stats, counter) + 1)
        self.runner.record_success(self.stream, item.ref)

    def _track_date(self, record):
        date = getattr(record, "date", None)
        if date and (self.max_date is None or date > self.max_date):
            self.max_date = date


class CounterpartyImporter(StreamImporter):
    stream = "counterparty"
    model = "onec.counterparty"
    prefetch = ("data_version", "partner_id")

    def prepare(self, records, existing):
        unlinked = [
            record
            for record in records
            if not (existing.get(record.ref) or {}).get("partner_id")
        ]
        return {"partners": CounterpartyBinder(self.runner).match_partners(unlinked)}

    def map(self, record, context, old):
        vals = super().map(record, context, old)
        partner = context["partners"].get(record.ref)
        if partner:  # a link set earlier (by hand or by INN) is kept
            vals["partner_id"] = partner
        return vals


class DocumentImporter(StreamImporter):
    """Orders, shipments and payments: bound to their counterparty.

    The counterparties of new and changed documents are marked
    ``balance_stale``: the settlements stream reads their balances again
    (unless it reads every balance in this run anyway).
    """

    prefetch = ("data_version", "counterparty_id")

    def __init__(self, runner):
        super().__init__(runner)
        self.touched = set()
        connection = self.connection
        self.track_balances = not (
            connection.stream_settlements and connection._onec_all_balances_due()
        )

    def prepare(self, records, existing):
        refs = {record.counterparty_ref for record in records}
        return {"counterparties": CounterpartyBinder(self.runner).ids_for(refs)}

    def map(self, record, context, old):
        vals = super().map(record, context, old)
        vals["counterparty_id"] = context["counterparties"].get(
            record.counterparty_ref, False
        )
        if self.track_balances:
            self.touched.add(vals["counterparty_id"])
            if old:
                self.touched.add(old["counterparty_id"])
        return vals

    def archive_vanished(self, seen):
        """Archive the mirrors of documents 1C no longer has: deleted for
        good (not marked for deletion), they were missing from a full read
        of ``seen`` refs."""
        vanished = self.env[self.model].search(
            [("connection_id", "=", self.connection.id), ("ref", "not in", list(seen))]
        )
        if vanished:
            vanished.write({"active": False})
            self.stats.updated += len(vanished)
            if self.track_balances:
                self.touched |= set(vanished.counterparty_id.ids)
            self.page_stored()

    def page_stored(self):
        # their balances are read again by the settlements stream
        touched, self.touched = self.touched - {False, None}, set()
        if touched:
            counterparties = self.env["onec.counterparty"].browse(touched)
            counterparties.write({"balance_stale": True})


class OrderImporter(DocumentImporter):
    """Orders also go to a deal, by the deal rule
    (:mod:`~odoo.addons.accounting_1c_connector.deal_linker`); what a person
    should check (a code of another customer's deal) goes to the journal."""

    stream = "order"
    model = "onec.order"
    prefetch = ("data_version", "lead_id", "counterparty_id")

    def prepare(self, records, existing):
        context = super().prepare(records, existing)
        counterparties = context["counterparties"]
        partner_of = {
            row["id"]: row["partner_id"] and row["partner_id"][0]
            for row in self.env["onec.counterparty"]
            .with_context(active_test=False)
            .browse(set(counterparties.values()))
            .read(["partner_id"])
        }
        links = {
            record.ref: OrderToLink(
                name=record.number,
                partner_id=partner_of.get(counterparties.get(record.counterparty_ref)),
                comment=record.comment,
                date=self.mapper.to_utc(record.date),
                lead_id=(existing.get(record.ref) or {}).get("lead_id"),
            )
            for record in records
        }
        context["links"] = links
        context["deals"] = DealLinker(self.env, links.values())
        return context

    def map(self, record, context, old):
        vals = super().map(record, context, old)
        lead_id, notes = context["deals"].deal_for(context["links"][record.ref])
        vals["lead_id"] = lead_id
        self.stats.notes += notes
        return vals


class ShipmentImporter(DocumentImporter):
    stream = "shipment"
    model = "onec.shipment"


class PaymentImporter(DocumentImporter):
    stream = "payment"
    model = "onec.payment"


class SnapshotImporter(RunComponent):
    """Figures 1C computes (balances, monthly sales): the stored rows of the
    connection are made equal to a snapshot, writing only what changed.

    ``key_fields`` identify a row (the counterparty's ref first);
    ``absent_values`` are written on a stored row the snapshot no longer
    holds (None: the row is deleted).
    """

    key_fields = ()
    value_fields = ()
    absent_values = None

    def store_snapshot(self, wanted, domain=()):
        """Store ``wanted`` (``{key: {field: value}}``) over the stored rows
        of ``domain``."""
        model = self.env[self.model]
        domain = [("connection_id", "=", self.connection.id), *domain]
        rows = model.search_read(domain, [*self.key_fields, *self.value_fields])
        stored = {tuple(row[name] for name in self.key_fields): row for row in rows}
        gone = model
        for key, row in stored.items():
            if key in wanted:
                continue
            if self.absent_values is None:
                gone |= model.browse(row["id"])
            elif _changed(row, self.absent_values):
                wanted[key] = self.absent_values
        if gone:
            gone.unlink()
            self.stats.updated += len(gone)
        binder = CounterpartyBinder(self.runner)
        counterparties = binder.ids_for({key[0] for key in wanted if key not in stored})
        creates = []
        for key, values in wanted.items():
            row = stored.get(key)
            if row is None:
                creates.append(
                    {
                        "connection_id": self.connection.id,
                        **dict(zip(self.key_fields, key, strict=True)),
                        "counterparty_id": counterparties.get(key[0], False),
                        **values,
                    }
                )
            elif _changed(row, values):
                model.browse(row["id"]).write(values)
                self.stats.updated += 1
            else:
                self.stats.unchanged += 1
        if creates:
            model.create(creates)
            self.stats.created += len(creates)


def _changed(row, values):
    """Whether a stored row differs from ``values`` (amounts to the kopeck)."""
    for name, value in values.items():
        if isinstance(value, float):
            if round(row[name] - value, 2):
                return True
        elif row[name] != value:
            return True
    return False


class SettlementImporter(SnapshotImporter):
    """Settlements: one balance per counterparty and currency.

    1C has no change feed for balances. A run reads the balances of the
    counterparties whose documents changed (``balance_stale``, set by the
    document importers and kept until a read succeeds), and every
    ``settlements_full_minutes`` all of them: balances moved by documents the
    exchange does not read (returns, debt adjustments). Only balances that
    changed are written; a counterparty that no longer owes anything gets a
    zero balance.
    """

    stream = "settlement"
    model = "onec.settlement"
    MAX_CHOSEN = 200  # more changed counterparties: one full read is cheaper
    key_fields = ("counterparty_ref", "currency_code")
    value_fields = ("balance", "overdue", "overdue_estimated")
    absent_values = {"balance": 0.0, "overdue": 0.0, "overdue_estimated": False}

    def run(self):
        counterparties = self.env["onec.counterparty"].with_context(active_test=False)
        stale = counterparties.search(
            [("connection_id", "=", self.connection.id), ("balance_stale", "=", True)]
        )
        read_all = self.connection._onec_all_balances_due()
        read_all = read_all or len(stale) > self.MAX_CHOSEN
        chosen = None if read_all else sorted(stale.mapped("ref"))
        if chosen is None or chosen:
            settlements = self.runner.adapter.settlements(chosen, self._left_out)
            self.import_snapshot(settlements, chosen)
        stale.write({"balance_stale": False})
        now = fields.Datetime.now()
        values = {"settlements_as_of": now}
        if read_all:
            values["settlements_full_at"] = now
        self.connection.write(values)

    def _left_out(self, stream, item):
        """A malformed document read for the overdue estimate (a shipment):
        left out of it; it must not fail the settlements."""
        self.runner.record_left_out(stream, item, self.stream)

    def import_snapshot(self, settlements, chosen=None):
        """Store ``settlements``: every balance of the connection, or those
        of the ``chosen`` counterparty refs."""
        wanted = {}
        for settlement in settlements:
            self.stats.read += 1
            key = (settlement.counterparty_ref, settlement.currency)
            figures = wanted.setdefault(key, dict(self.absent_values))
            figures["balance"] += float(settlement.balance)
            figures["overdue"] += float(settlement.overdue or 0)
            figures["overdue_estimated"] |= settlement.overdue_estimated
        domain = [] if chosen is None else [("counterparty_ref", "in", chosen)]
        self.store_snapshot(wanted, domain)


class SalesImporter(SnapshotImporter):
    """The customers' sales of the last twelve months, per month, from the
    profile's sales register (read with all balances: hourly by default).
    A month without sales has no row."""

    stream = "sales"
    model = "onec.sales.month"
    key_fields = ("counterparty_ref", "month")
    value_fields = ("amount", "currency_code")

    def run(self):
        sales = self.runner.adapter.monthly_sales()
        if sales is None:
            return  # the interface cannot read them (SOAP)
        wanted = {}
        for turnover in sales:
            self.stats.read += 1
            key = (turnover.counterparty_ref, turnover.start.date())
            figures = wanted.setdefault(
                key, {"amount": 0.0, "currency_code": NATIONAL_CURRENCY}
            )
            figures["amount"] += float(turnover.amount)
        self.store_snapshot(wanted)
