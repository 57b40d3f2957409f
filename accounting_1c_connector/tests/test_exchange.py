"""End to end against the stand-in: import, deals, repeat, deletion, dry run,
reconciliation, for both protocols and the three configuration profiles."""

from unittest.mock import patch

from odoo.tests import tagged

from ..components.importer import SettlementImporter
from .common import OnecCase


class ExchangeTests:
    lang = "en_US"  # the reconciliation's problems are checked in English

    def _deal(self, partner, name):
        return self.env["crm.lead"].create(
            {"name": name, "type": "opportunity", "partner_id": partner.id}
        )

    def test_import_link_repeat_delete(self):
        companies = [
            c
            for c in self.counterparties_1c()
            if not c["is_person"] and not c.get("head_ref")
        ]
        cp_single, cp_coded, cp_unknown = companies[0], companies[1], companies[2]
        partner = self.make_partner(cp_single)
        partner2 = self.make_partner(cp_coded)
        single_deal = self._deal(partner, "Only deal")
        coded_deal = self._deal(partner2, "Deal A")
        self._deal(partner2, "Deal B")
        order_single = self.store.post_order(cp_single["ref"], 1000, date=self.recent())
        order_coded = self.store.post_order(
            cp_coded["ref"], 2000, comment=f"по сделке CRM-{coded_deal.id}"
        )
        order_free = self.store.post_order(cp_coded["ref"], 300)

        journals = self.run_exchange()
        for stream in ("order", "shipment", "payment", "settlement"):
            self.assertEqual(journals[stream].state, "done", journals[stream].error)
        self.assertEqual(self.mirror_count("onec.order"), self.store_count("order"))
        self.assertEqual(
            self.mirror_count("onec.payment"),
            self.store_count("payment_bank") + self.store_count("payment_cash"),
        )
        self.assertEqual(
            self.mirror_count("onec.shipment"), self.store_count("shipment")
        )
        # contacts: by INN+KPP; an unknown one is listed, never matched by name
        self.assertEqual(
            self.mirror("onec.counterparty", cp_single["ref"]).partner_id, partner
        )
        self.assertFalse(self.mirror("onec.counterparty", cp_unknown["ref"]).partner_id)
        # deals: the code written in 1C wins, else the single open deal
        self.assertEqual(
            self.mirror("onec.order", order_single["ref"]).lead_id, single_deal
        )
        self.assertEqual(
            self.mirror("onec.order", order_coded["ref"]).lead_id, coded_deal
        )
        free = self.mirror("onec.order", order_free["ref"])
        self.assertFalse(free.lead_id)
        self.assertEqual(free.partner_id, partner2)
        # settlements: the card shows 1C's balance
        debts = self.store.receivables()
        settlements = self.env["onec.settlement"].search(
            [("connection_id", "=", self.connection.id)]
        )
        for settlement in settlements:
            self.assertAlmostEqual(
                settlement.balance, float(debts.get(settlement.counterparty_ref, 0)), 2
            )
        partner.invalidate_recordset()
        self.assertAlmostEqual(
            partner.onec_balance, float(debts.get(cp_single["ref"], 0)), 2
        )
        self.assertGreaterEqual(partner.onec_order_count, 1)
        self.assertFalse(partner.onec_stale)

        # a second run changes nothing
        journals = self.run_exchange()
        for stream in ("order", "shipment", "payment", "settlement"):
            journal = journals[stream]
            self.assertEqual(journal.state, "done", journal.error)
            self.assertEqual(
                (journal.count_created, journal.count_updated, journal.count_failed),
                (0, 0, 0),
                stream,
            )

        # a new order appears on the deal at the next run
        single_deal.invalidate_recordset()
        amount = single_deal.onec_order_amount
        self.store.post_order(cp_single["ref"], 500)
        self.run_exchange()
        single_deal.invalidate_recordset()
        self.assertAlmostEqual(single_deal.onec_order_amount, amount + 500, 2)
        self.assertEqual(single_deal.onec_order_count, 2)

        # deleted in 1C: archived in Odoo; the link stays stable
        self.store.mark_deleted("order", order_single["ref"])
        journals = self.run_exchange()
        self.assertEqual(journals["order"].count_updated, 1)
        order = self.mirror("onec.order", order_single["ref"])
        self.assertFalse(order.active)
        self.assertEqual(order.lead_id, single_deal)

    def assert_balances_match_1c(self):
        debts = self.store.receivables()
        settlements = self.env["onec.settlement"].search(
            [("connection_id", "=", self.connection.id)]
        )
        self.assertEqual(
            {s.counterparty_ref: round(s.balance, 2) for s in settlements if s.balance},
            {ref: round(float(amount), 2) for ref, amount in debts.items()},
        )

    def test_routine_run_reads_the_balances_of_changed_customers(self):
        journals = self.run_exchange()
        self.assertEqual(
            journals["settlement"].count_read, len(self.store.receivables())
        )
        self.assertTrue(self.connection.settlements_full_at)
        # that run read every balance: no document marked its customer
        stale = self.env["onec.counterparty"].search([("balance_stale", "=", True)])
        self.assertFalse(stale)
        # nothing changed in 1C: no balance is read
        journals = self.run_exchange()
        self.assertEqual(journals["settlement"].count_read, 0)
        self.assertEqual(journals["settlement"].state, "done")

        # a shipment raises one customer's debt: only that balance is read
        counterparty = self.company_counterparty()
        order = self.store.post_order(counterparty["ref"], 800, date=self.recent())
        self.store.post_shipment(order["ref"], date=self.recent())
        journals = self.run_exchange()
        self.assertEqual(journals["settlement"].count_read, 1)
        self.assert_balances_match_1c()
        mirror = self.mirror("onec.counterparty", counterparty["ref"])
        self.assertFalse(mirror.balance_stale)

        # a payment that settles the whole debt: the balance falls to zero
        debt = self.store.receivables()[counterparty["ref"]]
        self.store.post_payment(counterparty["ref"], debt, date=self.recent())
        journals = self.run_exchange()
        self.assertEqual(journals["settlement"].count_read, 0)
        self.assert_balances_match_1c()

        # too many changed customers: one full read instead of many small ones
        self.store.post_payment(counterparty["ref"], 10, date=self.recent())
        with patch.object(SettlementImporter, "MAX_CHOSEN", 0):
            journals = self.run_exchange()
        self.assertEqual(
            journals["settlement"].count_read, len(self.store.receivables())
        )
        self.assert_balances_match_1c()

        # once the interval has passed, every balance is read again
        self.connection.settlements_full_at = "2020-01-01 00:00:00"
        journals = self.run_exchange()
        self.assertEqual(
            journals["settlement"].count_read, len(self.store.receivables())
        )
        self.assertEqual(journals["settlement"].count_updated, 0)

    def test_dry_run_writes_nothing(self):
        journals = self.run_exchange(dry_run=True)
        self.assertTrue(all(j.dry_run for j in journals.values()))
        self.assertEqual(journals["order"].count_created, self.store_count("order"))
        self.assertEqual(self.mirror_count("onec.order"), 0)
        self.assertEqual(self.mirror_count("onec.counterparty"), 0)
        self.assertFalse(self.connection.last_success_at)

    def test_reconciliation_lists_mismatches(self):
        self.run_exchange()
        counterparty = self.company_counterparty()
        self.store.post_order(counterparty["ref"], 777)
        wizard = self.env["onec.reconciliation"].create(
            {"connection_id": self.connection.id}
        )
        wizard.action_compare()
        self.assertEqual(wizard.mismatch_count, 1)
        self.assertEqual(wizard.line_ids.counterparty_ref, counterparty["ref"])
        self.assertEqual(wizard.line_ids.problem, "orders")
        self.run_exchange()
        wizard.action_compare()
        self.assertEqual(wizard.mismatch_count, 0)


@tagged("post_install", "-at_install")
class TestExchangeUt11OData(ExchangeTests, OnecCase):
    profile = "ut11"


@tagged("post_install", "-at_install")
class TestExchangeBp30OData(ExchangeTests, OnecCase):
    profile = "bp30"


@tagged("post_install", "-at_install")
class TestExchangeUnfOData(ExchangeTests, OnecCase):
    profile = "unf"


@tagged("post_install", "-at_install")
class TestExchangeUt11Soap(ExchangeTests, OnecCase):
    profile = "ut11"
    protocol = "soap"


@tagged("post_install", "-at_install")
class TestExchangeBp30Soap(ExchangeTests, OnecCase):
    profile = "bp30"
    protocol = "soap"


@tagged("post_install", "-at_install")
class TestExchangeUnfSoap(ExchangeTests, OnecCase):
    profile = "unf"
    protocol = "soap"


@tagged("post_install", "-at_install")
class TestScheduledExchange(OnecCase):
    orders = 5

    def _journal_count(self):
        return self.env["onec.exchange.run"].search_count(
            [("connection_id", "=", self.connection.id)]
        )

    def test_scheduler_waits_for_the_interval_run_manually_does_not(self):
        cron = self.env.ref("accounting_1c_connector.ir_cron_onec_exchange")
        self.connection.write(
            {"interval_minutes": 60, "last_run_at": self.recent(), "dry_run": False}
        )
        # the scheduler (which alone puts cron_id in the context) waits
        before = self._journal_count()
        self.env["onec.connection"].with_context(cron_id=cron.id)._cron_run_exchange()
        self.assertEqual(self._journal_count(), before)
        # a person's "Run Manually" on the scheduled action runs now
        cron.method_direct_trigger()
        journals = self.env["onec.exchange.run"].search(
            [("connection_id", "=", self.connection.id)]
        )
        self.assertGreater(len(journals), before)
        self.assertIn("order", journals.mapped("stream"))
        self.assertNotIn("skipped", journals.mapped("state"))
        self.assertEqual(self.mirror_count("onec.order"), self.store_count("order"))
        # and the scheduler runs a connection whose interval has passed
        self.connection.last_run_at = self.recent(days=1)
        self.env["onec.connection"].with_context(cron_id=cron.id)._cron_run_exchange()
        self.assertGreater(self._journal_count(), len(journals))
