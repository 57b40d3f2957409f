"""Faults: each ends with a journal entry, nothing lost, no duplicates, and a
later run that catches up."""

import base64
import json
import socket
from unittest.mock import patch

import odoo
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from onec_exchange.standin import StandIn

from ..components.importer import OrderImporter
from ..components.lock import LOCK_CLASS
from .common import OnecCase

ORDERS = "Document_ЗаказКлиента"
# a failure of 1C is logged as a warning (and journaled): expected here
RUNNER_LOG = "odoo.addons.accounting_1c_connector.components.runner"


def payload_of(failure):
    """The raw payload kept with a failed record."""
    return base64.b64decode(failure.payload)


def closed_port_url():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


@tagged("post_install", "-at_install")
class TestFaults(OnecCase):
    page_size = 10
    orders = 45
    lang = "en_US"

    def assert_complete(self):
        """Everything 1C has is in Odoo exactly once."""
        self.assertEqual(self.mirror_count("onec.order"), self.store_count("order"))
        self.assertEqual(
            self.mirror_count("onec.payment"),
            self.store_count("payment_bank") + self.store_count("payment_cash"),
        )

    @mute_logger(RUNNER_LOG)
    def test_onec_down_before_the_run(self):
        url = self.connection.base_url
        self.connection.base_url = closed_port_url()
        journals = self.run_exchange()
        failed = [j for j in journals.values() if j.state == "failed"]
        self.assertEqual(len(failed), 1)
        self.assertIn("refused", failed[0].error)
        self.assertEqual(self.mirror_count("onec.order"), 0)
        self.assertFalse(self.connection.last_success_at)
        self.connection.base_url = url
        journals = self.run_exchange()
        self.assertTrue(all(j.state == "done" for j in journals.values()))
        self.assert_complete()
        self.assertTrue(self.connection.last_success_at)

    @mute_logger(RUNNER_LOG)
    def test_500_on_a_middle_page(self):
        self.standin.faults.add(rf"GET .*{ORDERS}\?.*\$skip=20", "http_500", times=1)
        journals = self.run_exchange()
        self.assertEqual(journals["order"].state, "failed")
        self.assertIn("500", journals["order"].error)
        self.assertNotIn("payment", journals)  # the run ended cleanly there
        self.assertEqual(self.mirror_count("onec.order"), 20)  # two whole pages
        self.assertFalse(self.connection._onec_cursor("order").cursor)
        journals = self.run_exchange()
        self.assertEqual(journals["order"].state, "done")
        self.assertEqual(journals["order"].count_unchanged, 20)
        self.assert_complete()

    @mute_logger(RUNNER_LOG)
    def test_onec_down_while_reading_balances(self):
        self.run_exchange()
        counterparty = self.company_counterparty()
        order = self.store.post_order(counterparty["ref"], 900, date=self.recent())
        self.store.post_shipment(order["ref"], date=self.recent())
        self.standin.faults.add(r"GET .*/Balance", "http_500", times=1)
        journals = self.run_exchange()
        self.assertEqual(journals["settlement"].state, "failed")
        mirror = self.mirror("onec.counterparty", counterparty["ref"])
        self.assertTrue(mirror.balance_stale)  # kept: the next run reads it
        journals = self.run_exchange()
        self.assertEqual(journals["settlement"].state, "done")
        self.assertFalse(mirror.balance_stale)
        settlement = self.env["onec.settlement"].search(
            [
                ("connection_id", "=", self.connection.id),
                ("counterparty_ref", "=", counterparty["ref"]),
            ]
        )
        self.assertAlmostEqual(
            settlement.balance, float(self.store.receivables()[counterparty["ref"]]), 2
        )

    def test_malformed_record_among_good_ones(self):
        self.standin.faults.add(rf"GET .*{ORDERS}\?", "partial", times=1)
        journals = self.run_exchange()
        journal = journals["order"]
        self.assertEqual(journal.state, "partial")
        self.assertEqual(journal.count_failed, 1)
        self.assertEqual(self.mirror_count("onec.order"), self.store_count("order") - 1)
        failure = journal.failure_ids
        self.assertEqual(len(failure), 1)
        self.assertIn("Ref_Key", failure.error)
        self.assertTrue(payload_of(failure))
        self.assertIn(b"DataVersion", payload_of(failure))
        # the other streams went on
        self.assertEqual(journals["payment"].state, "done")
        journals = self.run_exchange()
        self.assertEqual(journals["order"].state, "done")
        self.assert_complete()
        self.assertEqual(failure.state, "resolved")

    def test_document_deleted_for_good_is_archived_at_the_full_read(self):
        self.run_exchange()
        payment = self.store.objects("payment_bank")[0]
        order = self.store.objects("order")[0]
        self.store.delete("payment_bank", payment["ref"])
        self.store.delete("order", order["ref"])
        self.run_exchange()  # a routine run cannot see a deletion
        self.assertTrue(self.mirror("onec.order", order["ref"]).active)
        self.connection.last_full_scan_at = "2020-01-01 00:00:00"
        journals = self.run_exchange()
        self.assertFalse(self.mirror("onec.order", order["ref"]).active)
        mirror = self.mirror("onec.payment", payment["ref"])
        self.assertFalse(mirror.active)
        self.assertEqual(journals["payment"].count_updated, 1)
        active_orders = self.env["onec.order"].search_count(
            [("connection_id", "=", self.connection.id)]
        )
        live = [o for o in self.store.objects("order") if not o["deletion_mark"]]
        self.assertEqual(active_orders, len(live))
        # the customer's balance was read again without the deleted payment
        ref = payment["counterparty_ref"]
        settlements = self.env["onec.settlement"].search(
            [("connection_id", "=", self.connection.id), ("counterparty_ref", "=", ref)]
        )
        self.assertAlmostEqual(
            sum(settlements.mapped("balance")),
            float(self.store.receivables().get(ref, 0)),
            2,
        )

    def test_record_that_cannot_be_stored_is_retried(self):
        with patch.object(
            OrderImporter, "map", side_effect=ValueError("mapping bug"), autospec=True
        ):
            journals = self.run_exchange()
        self.assertEqual(journals["order"].state, "partial")
        self.assertEqual(journals["order"].count_failed, self.store_count("order"))
        failures = self.env["onec.exchange.failure"].search(
            [("connection_id", "=", self.connection.id), ("stream", "=", "order")]
        )
        self.assertEqual(len(failures), self.store_count("order"))
        self.assertTrue(all(f.ref and f.payload for f in failures))
        # the cursor did not move: the next run reads them again
        journals = self.run_exchange()
        self.assert_complete()
        self.assertEqual(set(failures.mapped("state")), {"resolved"})

    def test_out_of_tries_waits_for_a_person(self):
        self.connection.retry_max_tries = 1
        with patch.object(
            OrderImporter, "map", side_effect=ValueError("mapping bug"), autospec=True
        ):
            self.run_exchange()
        failures = self.env["onec.exchange.failure"].search(
            [("connection_id", "=", self.connection.id), ("stream", "=", "order")]
        )
        self.assertEqual(set(failures.mapped("state")), {"waiting_for_person"})
        self.assertEqual(set(failures.mapped("try_count")), {1})
        self.assertFalse(any(failures.mapped("next_try_at")))
        failures.action_try_again()
        self.assertEqual(set(failures.mapped("state")), {"failed"})
        self.run_exchange()
        self.assertEqual(set(failures.mapped("state")), {"resolved"})

    def test_growing_retry_delays(self):
        retry_delay = self.connection._onec_retry_delay
        self.assertLess(retry_delay(1), retry_delay(2))
        self.assertLess(retry_delay(2), retry_delay(3))
        self.assertEqual(retry_delay(50).total_seconds(), 24 * 3600)

    @mute_logger(RUNNER_LOG)
    def test_wrong_password(self):
        sentence = (
            "1C rejected the login or password: check the 1C user and password "
            "of this connection."
        )
        self.connection.password = "wrong"
        journals = self.run_exchange()
        failed = [j for j in journals.values() if j.state == "failed"]
        self.assertEqual(len(failed), 1)
        # one sentence, said once, without 1C's raw answer
        self.assertEqual(failed[0].error, sentence)
        with self.assertRaises(UserError) as rejected:
            self.connection.action_test_connection()
        self.assertEqual(str(rejected.exception), sentence)
        # in Russian for a Russian reader
        self.env["res.lang"]._activate_lang("ru_RU")
        journals = self.run_exchange(
            connection=self.connection.with_context(lang="ru_RU")
        )
        failed = [j for j in journals.values() if j.state == "failed"]
        self.assertEqual(
            failed[0].error,
            "1С отклонила логин или пароль: проверьте пользователя и пароль 1С "
            "в этом подключении.",
        )
        self.connection.password = "пароль"
        self.run_exchange()
        self.assert_complete()

    def test_two_runs_at_once(self):
        db = odoo.sql_db.db_connect(self.env.cr.dbname)
        with db.cursor() as other:
            other.execute(
                "SELECT pg_try_advisory_lock(%s, %s)", (LOCK_CLASS, self.connection.id)
            )
            self.assertTrue(other.fetchone()[0])
            journals = self.run_exchange()
            self.assertEqual(list(journals), ["all"])
            self.assertEqual(journals["all"].state, "skipped")
            self.assertEqual(self.mirror_count("onec.order"), 0)
            action = self.connection.action_run_now()
            self.assertEqual(action["params"]["type"], "warning")
            other.execute(
                "SELECT pg_advisory_unlock(%s, %s)", (LOCK_CLASS, self.connection.id)
            )
        self.run_exchange()
        self.assert_complete()

    def test_accountant_changes_an_order_during_the_run(self):
        counterparty = self.company_counterparty()
        order = self.store.post_order(counterparty["ref"], 100)
        original = OrderImporter.import_items
        calls = []

        def import_items(importer, items, count=True):
            original(importer, items, count)
            if not calls:  # after the first page: the accountant edits in 1C
                self.store.update(
                    "order", order["ref"], {"amount": 150, "comment": "x"}
                )
            calls.append(1)

        with patch.object(OrderImporter, "import_items", import_items):
            self.run_exchange()
        self.run_exchange()
        mirror = self.mirror("onec.order", order["ref"])
        self.assertEqual(mirror.amount, 150)
        self.assert_complete()

    def test_test_connection_says_what_is_wrong(self):
        action = self.connection.action_test_connection()
        self.assertEqual(action["params"]["type"], "success")
        url = self.connection.base_url
        self.connection.base_url = closed_port_url()
        with self.assertRaisesRegex(UserError, "cannot be reached.*refused"):
            self.connection.action_test_connection()
        self.connection.base_url = url
        self.connection.publication = "nope"
        with self.assertRaisesRegex(UserError, "No 1C publication named 'nope'"):
            self.connection.action_test_connection()
        with StandIn(unpublished=("Document_ЗаказКлиента",)) as other:
            self.connection.write(
                {"base_url": other.host_url, "publication": other.publication}
            )
            with self.assertRaisesRegex(UserError, "Document_ЗаказКлиента"):
                self.connection.action_test_connection()

    def test_alert_after_hours_without_success(self):
        self.connection.write({"alert_hours": 2})
        self.env.cr.execute(
            "UPDATE onec_connection SET create_date = now() - interval '3 hours' "
            "WHERE id = %s",
            [self.connection.id],
        )
        self.connection.invalidate_recordset()
        self.connection._onec_check_alert()
        self.connection._onec_check_alert()  # once, not twice
        self.assertEqual(len(self.connection.activity_ids), 1)
        self.assertEqual(
            self.connection.activity_ids.user_id, self.connection.responsible_id
        )


@tagged("post_install", "-at_install")
class TestSoapFaults(OnecCase):
    protocol = "soap"
    page_size = 10

    def test_malformed_record_among_good_ones(self):
        self.run_exchange()
        counterparty = self.company_counterparty()
        new_orders = [
            self.store.post_order(counterparty["ref"], amount)
            for amount in (100, 200, 300)
        ]
        # the next call is the orders' first page: its last record loses its Ref
        self.standin.faults.add(r"^POST /trade/ws/", "partial", times=1)
        journals = self.run_exchange()
        journal = journals["order"]
        self.assertEqual(journal.state, "partial")
        self.assertEqual(journal.count_failed, 1)
        failure = journal.failure_ids
        self.assertIn("Ref", failure.error)
        refused = json.loads(payload_of(failure))["Number"]
        # the others of its page are imported (the refused one may be older)
        for order in new_orders:
            mirrored = self.mirror("onec.order", order["ref"])
            self.assertEqual(bool(mirrored), order["number"] != refused)
        self.assertEqual(journals["payment"].state, "done")
        journals = self.run_exchange()
        self.assertEqual(journals["order"].state, "done")
        self.assertEqual(self.mirror_count("onec.order"), self.store_count("order"))
        self.assertEqual(failure.state, "resolved")
