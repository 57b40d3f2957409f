"""The connector against what a real 1C does differently: a bad document of
one stream never blocks another stream that reads it, an Atom answer to a
JSON request is journaled as a setting to change, the overdue debt comes
from a register with due dates where 1C has one, and the monthly sales from
the sales register."""

import json

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import OnecCase

RUNNER_LOG = "odoo.addons.accounting_1c_connector.components.runner"


class BadShipmentTests:
    """The settlements stream reads the recent shipments for its overdue
    estimate (the only stream that reads another's documents)."""

    profile = "unf"
    lang = "en_US"

    def _bad_shipment(self):
        """A recent shipment 1C sends with a counterparty that is no GUID
        (unposted: the balances stay readable)."""
        counterparty = self.company_counterparty()
        order = self.store.post_order(counterparty["ref"], 700, date=self.recent(1))
        shipment = self.store.post_shipment(order["ref"], date=self.recent(1))
        self.store.set_posted("shipment", shipment["ref"], False)
        self.store.update("shipment", shipment["ref"], {"counterparty_ref": "не-guid"})
        return shipment

    def _failures(self, stream, ref=None):
        domain = [("connection_id", "=", self.connection.id), ("stream", "=", stream)]
        if ref:
            domain.append(("ref", "=", ref))
        return self.env["onec.exchange.failure"].search(domain)

    def test_a_bad_shipment_does_not_fail_the_settlements(self):
        shipment = self._bad_shipment()
        self.connection.settlements_full_minutes = 0  # every balance, every run
        for _run in range(2):  # it failed on every run
            journals = self.run_exchange()
            self.assertEqual(journals["shipment"].state, "partial")
            settlement = journals["settlement"]
            self.assertEqual(settlement.state, "done", settlement.error)
            self.assertIn(shipment["ref"], settlement.notes)
            self.assertIn("malformed", settlement.notes)
        # queued once, by its own stream: the settlements add no tries
        failure = self._failures("shipment", shipment["ref"])
        self.assertEqual(len(failure), 1)
        self.assertEqual(failure.journal_id.stream, "shipment")
        self.assertFalse(self._failures("settlement"))
        balances = {
            row.counterparty_ref: row.balance
            for row in self.env["onec.settlement"].search(
                [("connection_id", "=", self.connection.id)]
            )
        }
        for ref, amount in self.store.receivables().items():
            self.assertAlmostEqual(balances[ref], float(amount), 2)

    def test_the_shipment_stream_off_still_journals_it(self):
        self.connection.stream_shipments = False
        shipment = self._bad_shipment()
        journals = self.run_exchange()
        self.assertEqual(journals["settlement"].state, "done")
        failure = self._failures("shipment", shipment["ref"])
        self.assertEqual(len(failure), 1)
        self.assertEqual(failure.journal_id, journals["settlement"])
        self.assertIn("not a GUID", failure.error)


@tagged("post_install", "-at_install")
class TestBadShipmentOData(BadShipmentTests, OnecCase):
    pass


@tagged("post_install", "-at_install")
class TestBadShipmentSoap(BadShipmentTests, OnecCase):
    protocol = "soap"


@tagged("post_install", "-at_install")
class TestAtomAnswer(OnecCase):
    lang = "en_US"

    @mute_logger(RUNNER_LOG)
    def test_an_atom_answer_is_journaled_as_a_setting_to_change(self):
        self.standin.faults.add(r"GET .*/Document_ЗаказКлиента\?", "atom")
        self.addCleanup(self.standin.faults.clear)
        journals = self.run_exchange()
        order = journals["order"]
        self.assertEqual(order.state, "failed")
        self.assertIn("Atom/XML", order.error)
        self.assertIn("proxy", order.error)
        self.assertNotIn("Traceback", order.error)
        self.standin.faults.clear()
        journals = self.run_exchange()
        self.assertEqual(journals["order"].state, "done")


class OverdueTests:
    """The overdue debt on the card: from 1C's register with due dates where
    the configuration has one (UT 11 over OData), else estimated and said so."""

    lang = "en_US"
    estimated = True

    def _debtor(self):
        """A counterparty that owes (all its debt is long due) and its contact."""
        debts = self.store.receivables()
        counterparty = next(
            c
            for c in self.counterparties_1c()
            if debts.get(c["ref"], 0) > 0
            and not c["is_person"]
            and not c.get("head_ref")
        )
        return counterparty, self.make_partner(counterparty)

    def _settlement(self, ref):
        return self.env["onec.settlement"].search(
            [("connection_id", "=", self.connection.id), ("counterparty_ref", "=", ref)]
        )

    def test_overdue_debt_on_the_card(self):
        counterparty, partner = self._debtor()
        ref = counterparty["ref"]
        self.run_exchange()
        before = self._settlement(ref)
        self.assertAlmostEqual(before.overdue, before.balance, 2)  # all long due
        # due 46 days ago, paid in part (the oldest debt first); not due yet
        order = self.store.post_order(ref, 1000, date=self.recent(60))
        self.store.post_shipment(order["ref"], date=self.recent(60))
        self.store.post_payment(ref, 300, date=self.recent(10))
        order = self.store.post_order(ref, 500, date=self.recent(1))
        self.store.post_shipment(order["ref"], date=self.recent(1))
        balance, overdue = before.balance, before.overdue
        journals = self.run_exchange()
        self.assertEqual(journals["settlement"].state, "done")
        settlement = self._settlement(ref)
        self.assertAlmostEqual(settlement.balance, balance + 1200, 2)
        self.assertAlmostEqual(settlement.overdue, overdue + 700, 2)
        self.assertEqual(settlement.overdue_estimated, self.estimated)
        partner.invalidate_recordset()
        self.assertAlmostEqual(partner.onec_overdue, overdue + 700, 2)
        self.assertEqual(partner.onec_overdue_estimated, self.estimated)


@tagged("post_install", "-at_install")
class TestOverdueFromDueDates(OverdueTests, OnecCase):
    profile = "ut11"
    estimated = False

    def test_no_shipment_is_read_for_the_overdue_debt(self):
        self.run_exchange()
        self.standin.faults.add(r"GET .*/Document_РеализацияТоваровУслуг\?", "http_500")
        self.addCleanup(self.standin.faults.clear)
        self.connection.settlements_full_minutes = 0
        self.connection.stream_shipments = False
        journals = self.run_exchange()
        self.assertEqual(journals["settlement"].state, "done")


@tagged("post_install", "-at_install")
class TestOverdueEstimatedBp30(OverdueTests, OnecCase):
    profile = "bp30"


@tagged("post_install", "-at_install")
class TestOverdueEstimatedUt11Soap(OverdueTests, OnecCase):
    protocol = "soap"


class SalesTests:
    """The customer's sales of the last twelve months on the card."""

    lang = "en_US"

    def _sales(self, ref=None):
        domain = [("connection_id", "=", self.connection.id)]
        if ref:
            domain.append(("counterparty_ref", "=", ref))
        return self.env["onec.sales.month"].search(domain)

    def test_sales_by_month_on_the_card(self):
        counterparty = self.company_counterparty()
        partner = self.make_partner(counterparty)
        today = self.recent()
        for amount, days in ((700, 0), (300, 0), (450, 40)):
            order = self.store.post_order(counterparty["ref"], amount, date=today)
            self.store.post_shipment(order["ref"], date=self.recent(days))
        unposted = self.store.post_order(counterparty["ref"], 99, date=today)
        self.store.set_posted(
            "shipment", self.store.post_shipment(unposted["ref"])["ref"], False
        )
        journals = self.run_exchange()
        self.assertEqual(journals["sales"].state, "done", journals["sales"].error)
        months = {row.month: row.amount for row in self._sales(counterparty["ref"])}
        this_month = today.date().replace(day=1)
        self.assertAlmostEqual(months[this_month], 1000, 2)
        earlier = self.recent(40).date().replace(day=1)
        self.assertAlmostEqual(months[earlier], 450 if earlier != this_month else 1450)
        self.assertEqual(self._sales(counterparty["ref"]).partner_id, partner)
        # the card: twelve bars, this month's last
        partner.invalidate_recordset()
        self.assertTrue(partner.onec_has_sales)
        (series,) = json.loads(partner.onec_sales_chart)
        self.assertEqual(len(series["values"]), 12)
        self.assertAlmostEqual(series["values"][-1]["value"], 1000, 2)
        # read again with all balances only (hourly by default)
        self.assertNotIn("sales", self.run_exchange())
        self.connection.settlements_full_minutes = 0
        order = self.store.post_order(counterparty["ref"], 5, date=today)
        self.store.post_shipment(order["ref"], date=today)
        journals = self.run_exchange()
        self.assertEqual(journals["sales"].count_updated, 1)
        self.assertAlmostEqual(
            self._sales(counterparty["ref"])
            .filtered(lambda row: row.month == this_month)
            .amount,
            1005,
            2,
        )

    def test_months_out_of_the_window_are_dropped(self):
        counterparty = self.company_counterparty()
        self.run_exchange()
        old = self.env["onec.sales.month"].create(
            {
                "connection_id": self.connection.id,
                "counterparty_ref": counterparty["ref"],
                "month": "2020-01-01",
                "amount": 10.0,
            }
        )
        self.connection.settlements_full_minutes = 0
        self.run_exchange()
        self.assertFalse(old.exists())


@tagged("post_install", "-at_install")
class TestSalesUt11(SalesTests, OnecCase):
    profile = "ut11"


@tagged("post_install", "-at_install")
class TestSalesUnf(SalesTests, OnecCase):
    profile = "unf"


@tagged("post_install", "-at_install")
class TestNoSalesOverSoap(OnecCase):
    protocol = "soap"

    def test_soap_reads_no_sales(self):
        journals = self.run_exchange()
        self.assertNotIn("sales", journals)
        self.assertEqual(journals["settlement"].state, "done")
