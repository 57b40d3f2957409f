"""The call list's 1C rules: who is named, when, for whom, and when the
reason goes."""

from datetime import datetime, time, timedelta
from itertools import count

import requests
from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import format_date

from .common import QUIET, OnecCase

REFS = count(1)


@tagged("post_install", "-at_install")
class TestCallList(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **QUIET, lang="en_US"))
        cls.company = cls.env.company
        cls.connection = cls.make_connection(cls.company)
        cls.salesman = new_test_user(
            cls.env, "call_salesman", groups="sales_team.group_sale_salesman"
        )
        cls.salesman2 = new_test_user(
            cls.env, "call_salesman2", groups="sales_team.group_sale_salesman"
        )
        cls.now = fields.Datetime.now()
        cls.today = cls.now.date()
        cls.call_type = cls.env.ref("mail.mail_activity_data_call")

    @classmethod
    def make_connection(cls, company):
        ref = next(REFS)
        return cls.env["onec.connection"].create(
            {
                "name": f"Offline 1C {ref}",
                "code": f"offline_{ref}",
                "base_url": "http://127.0.0.1:9",
                "publication": "none",
                "company_id": company.id,
            }
        )

    # ---- helpers ---------------------------------------------------------------------

    def customer(self, name="Customer", user=None, connection=None, **values):
        """A company with its salesperson, bound to a 1C counterparty."""
        partner = self.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "user_id": (user or self.salesman).id if user is not False else False,
                **values,
            }
        )
        self.bind(partner, connection)
        return partner

    def bind(self, partner, connection=None):
        ref = f"cp-{next(REFS)}"
        return self.env["onec.counterparty"].create(
            {
                "connection_id": (connection or self.connection).id,
                "ref": ref,
                "name": partner.name,
                "partner_id": partner.id,
            }
        )

    def counterparty(self, partner, connection=None):
        connection = connection or self.connection
        return self.env["onec.counterparty"].search(
            [("partner_id", "=", partner.id), ("connection_id", "=", connection.id)],
            limit=1,
        )

    def settle(self, partner, overdue, currency="RUB", connection=None):
        binding = self.counterparty(partner, connection)
        return self.env["onec.settlement"].create(
            {
                "connection_id": binding.connection_id.id,
                "counterparty_id": binding.id,
                "counterparty_ref": binding.ref,
                "currency_code": currency,
                "balance": overdue,
                "overdue": overdue,
            }
        )

    def document(self, model, partner, date, amount=1000.0, **values):
        binding = self.counterparty(partner, values.pop("connection", None))
        return self.env[model].create(
            {
                "connection_id": binding.connection_id.id,
                "counterparty_id": binding.id,
                "ref": f"doc-{next(REFS)}",
                "date": date,
                "amount": amount,
                "currency_code": "RUB",
                "posted": True,
                **values,
            }
        )

    def order(self, partner, days_ago, **values):
        return self.document(
            "onec.order", partner, self.now - timedelta(days=days_ago), **values
        )

    def ship(self, partner, day, amount, **values):
        return self.document(
            "onec.shipment", partner, datetime.combine(day, time(12)), amount, **values
        )

    def log_call(self, record, days_ago, activity_type=None):
        return self.env["mail.message"].create(
            {
                "model": record._name,
                "res_id": record.id,
                "message_type": "notification",
                "mail_activity_type_id": (activity_type or self.call_type).id,
                "date": self.now - timedelta(days=days_ago),
            }
        )

    def build(self, companies=None):
        self.env["crm.sme.call.item"]._build_call_lists(companies or self.company)

    def items(self, partner, rule=None, state="open"):
        domain = [("partner_id", "=", partner.id), ("state", "=", state)]
        if rule:
            domain.append(("rule", "=", rule))
        return self.env["crm.sme.call.item"].search(domain)

    def format_rub(self, amount):
        return self.env["crm.sme.call.item"]._format_money(
            amount, {"currency_id": self.env.ref("base.RUB").id}
        )

    def assertNamed(self, partner, rule, figures=None):
        items = self.items(partner)
        self.assertEqual(items.mapped("rule"), [rule], partner.name)
        if figures is not None:
            self.assertEqual(items.figures, figures)
        return items

    def assertNotNamed(self, partner):
        self.assertFalse(self.items(partner), partner.name)

    def assertResolved(self, item):
        self.assertEqual(item.state, "resolved")
        self.assertFalse(item.activity_id)
        self.assertFalse(
            self.env["mail.activity"].search(
                [("res_model", "=", "res.partner"), ("res_id", "=", item.partner_id.id)]
            )
        )

    # ---- overdue debt, no contact ----------------------------------------------------

    def test_overdue_above_the_amount_per_currency(self):
        above = self.customer("Above")
        self.settle(above, 10000.01)
        at = self.customer("At the amount")
        self.settle(at, 10000)
        currencies = self.customer("Two currencies")
        self.settle(currencies, 6000)
        self.settle(currencies, 6000, "USD")
        # two counterparties of one customer: their debts add up
        branches = self.customer("Branches")
        self.bind(branches)
        for binding in self.env["onec.counterparty"].search(
            [("partner_id", "=", branches.id)]
        ):
            self.env["onec.settlement"].create(
                {
                    "connection_id": self.connection.id,
                    "counterparty_id": binding.id,
                    "counterparty_ref": binding.ref,
                    "currency_code": "RUB",
                    "overdue": 5500,
                }
            )
        rub = self.env.ref("base.RUB")
        self.build()
        self.assertNamed(
            above,
            "overdue_no_contact",
            {
                "amount": 10000.01,
                "currency": "RUB",
                "currency_id": rub.id,
                "last_contact": None,
            },
        )
        self.assertNotNamed(at)
        self.assertNotNamed(currencies)
        item = self.assertNamed(branches, "overdue_no_contact")
        self.assertEqual(item.figures["amount"], 11000)
        self.assertEqual(
            item.reason,
            f"Overdue debt in 1C: {self.format_rub(11000)}; no call or meeting "
            "logged ever.",
        )

    def test_recent_contact_keeps_the_debtor_off_the_list(self):
        company = self.env["res.partner"]
        for name in ("Call", "Lead call", "Meeting", "Lead meeting", "Old", "Todo"):
            company |= self.customer(name)
            self.settle(company[-1], 20000)
        call, lead_call, meeting, lead_meeting, old, todo = company
        person = self.env["res.partner"].create({"name": "Buyer", "parent_id": call.id})
        self.log_call(person, 13)
        lead = self.env["crm.lead"].create(
            {"name": "Deal", "partner_id": lead_call.id, "user_id": self.salesman.id}
        )
        self.log_call(lead, 2)
        self.env["calendar.event"].create(
            {
                "name": "Visit",
                "start": self.now - timedelta(days=3),
                "stop": self.now - timedelta(days=3, hours=-1),
                "partner_ids": [(4, meeting.id)],
            }
        )
        deal = self.env["crm.lead"].create(
            {
                "name": "Deal 2",
                "partner_id": lead_meeting.id,
                "user_id": self.salesman.id,
            }
        )
        self.env["calendar.event"].create(
            {
                "name": "Visit 2",
                "start": self.now - timedelta(hours=1),
                "stop": self.now,
                "opportunity_id": deal.id,
            }
        )
        # a meeting to come, an old call, a to-do done: no recent contact
        self.env["calendar.event"].create(
            {
                "name": "Later",
                "start": self.now + timedelta(days=1),
                "stop": self.now + timedelta(days=1, hours=1),
                "partner_ids": [(4, old.id)],
            }
        )
        self.log_call(old, 15)
        self.log_call(todo, 1, self.env.ref("mail.mail_activity_data_todo"))
        self.build()
        for partner in (call, lead_call, meeting, lead_meeting):
            self.assertNotNamed(partner)
        item = self.assertNamed(old, "overdue_no_contact")
        day = self.today - timedelta(days=15)
        self.assertEqual(item.figures["last_contact"], fields.Date.to_string(day))
        self.assertIn(
            f"no call or meeting logged since {format_date(self.env, day)} (15 days)",
            item.reason,
        )
        self.assertNamed(todo, "overdue_no_contact")

        # the call is logged: the reason has gone at the next run
        self.log_call(old, 0)
        self.build()
        self.assertResolved(item)

    def test_debt_paid_resolves_and_a_second_run_gives_nothing_new(self):
        partner = self.customer("Debtor")
        settlement = self.settle(partner, 50000)
        self.build()
        item = self.assertNamed(partner, "overdue_no_contact")
        activity = item.activity_id
        self.build()
        self.assertEqual(self.items(partner), item)
        self.assertEqual(item.activity_id, activity)
        self.assertEqual(
            self.env["crm.sme.call.item"].search_count(
                [("partner_id", "=", partner.id)]
            ),
            1,
        )
        # a bigger debt: the same item, its figures follow
        settlement.overdue = 60000
        self.build()
        self.assertEqual(self.items(partner), item)
        self.assertEqual(item.figures["amount"], 60000)
        self.assertIn("60,000.00", item.activity_id.note)

        settlement.overdue = 0
        self.build()
        self.assertResolved(item)

    def test_archived_connection_still_names_what_the_card_shows(self):
        partner = self.customer("Debtor")
        self.settle(partner, 50000)
        self.connection.active = False
        self.build()
        self.assertEqual(self.items(partner).rule, "overdue_no_contact")
        self.assertEqual(partner.onec_overdue, 50000)

    # ---- ordering rhythm -------------------------------------------------------------

    def orders_every(self, partner, days, last_days_ago, orders=4, **values):
        return [
            self.order(partner, last_days_ago + days * i, **values)
            for i in range(orders)
        ]

    def test_broken_rhythm(self):
        late = self.customer("Late")
        self.orders_every(late, 21, 43)
        on_time = self.customer("On time")
        self.orders_every(on_time, 21, 42)
        few = self.customer("Few orders")
        self.orders_every(few, 21, 43, orders=3)
        unposted = self.customer("Unposted")
        self.orders_every(unposted, 21, 43, orders=3)
        self.order(unposted, 43 + 63, posted=False)
        marked = self.customer("Marked for deletion")
        self.orders_every(marked, 21, 43, orders=3)
        self.order(marked, 43 + 63, active=False)
        # one order beyond the year does not count
        old = self.customer("A year ago")
        self.orders_every(old, 21, 43, orders=3)
        self.order(old, 366)
        # the median, not the mean: one long gap does not hide the rhythm
        irregular = self.customer("Irregular")
        for days_ago in (25, 35, 45, 55, 200):
            self.order(irregular, days_ago)
        self.build()
        item = self.assertNamed(
            late,
            "broken_rhythm",
            {
                "median_days": 21,
                "last_order": fields.Date.to_string(self.today - timedelta(days=43)),
            },
        )
        self.assertEqual(
            item.reason,
            "Usually orders every 3 weeks (21 days); nothing since "
            f"{format_date(self.env, self.today - timedelta(days=43))} (43 days).",
        )
        for partner in (on_time, few, unposted, marked, old):
            self.assertNotNamed(partner)
        item = self.assertNamed(irregular, "broken_rhythm")
        self.assertEqual(item.figures["median_days"], 10)
        self.assertTrue(item.reason.startswith("Usually orders every 10 days;"))

        # an order arrives
        self.order(late, 0)
        self.build()
        self.assertResolved(self.items(late, state="resolved"))

    # ---- falling turnover ------------------------------------------------------------

    def months(self):
        """The first days of the last three complete months."""
        first = self.today.replace(day=1)
        return [first - relativedelta(months=i) for i in (3, 2, 1)]

    def sales(self, partner, recent, before, **values):
        """``recent`` sold over the last three months, ``before`` over the
        same months a year before, a third each month."""
        for month in self.months():
            if recent:
                self.ship(partner, month + timedelta(days=9), recent / 3, **values)
            if before:
                self.ship(partner, month - relativedelta(years=1), before / 3, **values)

    def test_falling_turnover(self):
        falling = self.customer("Falling")
        self.sales(falling, 2097, 3000)  # 69.9 %
        steady = self.customer("Steady")
        self.sales(steady, 2100, 3000)  # 70 %
        new = self.customer("New")
        self.sales(new, 100, 0)
        stopped = self.customer("Stopped")
        self.sales(stopped, 0, 3000)
        # neither the current month nor the one before the months a year
        # before count
        this_month = self.customer("Sold this month")
        self.sales(this_month, 0, 3000)
        self.ship(this_month, self.today.replace(day=1), 10000)
        earlier = self.customer("Sold earlier")
        self.sales(earlier, 3000, 3000)
        self.ship(earlier, self.months()[0] - relativedelta(years=1, days=1), 10000)
        unposted = self.customer("Unposted before")
        self.sales(unposted, 3000, 3000)
        self.sales(unposted, 0, 3000, posted=False)
        self.build()
        first, _second, last = self.months()
        item = self.assertNamed(
            falling,
            "falling_turnover",
            {
                "recent": 2097.0,
                "before": 3000.0,
                "currency": "RUB",
                "currency_id": self.env.ref("base.RUB").id,
                "month_from": fields.Date.to_string(first),
                "month_to": fields.Date.to_string(last),
            },
        )
        months = " – ".join(
            format_date(self.env, month, date_format="LLL yyyy")
            for month in (first, last)
        )
        self.assertEqual(
            item.reason,
            f"Sales in 1C of {months}: {self.format_rub(2097)}, 69% of the same "
            f"months a year before ({self.format_rub(3000)}).",
        )
        self.assertNamed(stopped, "falling_turnover")
        self.assertNamed(this_month, "falling_turnover")
        for partner in (steady, new, earlier, unposted):
            self.assertNotNamed(partner)

        # a back-dated shipment lifts the sales over the share
        self.ship(falling, last, 100)
        self.build()
        self.assertResolved(self.items(falling, state="resolved"))

    # ---- new client without an order -------------------------------------------------

    def client(self, name, days_ago, bound=True, **values):
        partner = (
            self.customer(name)
            if bound
            else self.env["res.partner"].create(
                {"name": name, "is_company": True, "user_id": self.salesman.id}
            )
        )
        partner.write(
            {
                "sme_customer_state": "client",
                "sme_client_since": self.now - timedelta(days=days_ago),
                **values,
            }
        )
        return partner

    def test_new_client_waiting(self):
        waiting = self.client("Waiting", 14)
        recent = self.client("Recent", 13)
        unbound = self.client("Not in 1C", 30, bound=False)
        exported = self.client("Exported", 30, bound=False)
        self.env["onec.client.export"].create(
            {
                "connection_id": self.connection.id,
                "partner_id": exported.id,
                "state": "done",
            }
        )
        queued = self.client("Queued", 30, bound=False)
        self.env["onec.client.export"].create(
            {"connection_id": self.connection.id, "partner_id": queued.id}
        )
        ordered = self.client("Ordered", 30)
        self.order(ordered, 30)
        ordered_before = self.client("Ordered as a lead", 30)
        self.order(ordered_before, 31)
        lead = self.customer("Still a lead")
        lead.sme_client_since = self.now - timedelta(days=30)
        self.build()
        since = self.today - timedelta(days=14)
        item = self.assertNamed(
            waiting,
            "new_client_waiting",
            {"client_since": fields.Date.to_string(since)},
        )
        self.assertEqual(
            item.reason,
            f"A client since {format_date(self.env, since)} (14 days), in 1C, and "
            "no order in 1C yet.",
        )
        self.assertNamed(exported, "new_client_waiting")
        self.assertNamed(ordered_before, "new_client_waiting")
        for partner in (recent, unbound, queued, ordered, lead):
            self.assertNotNamed(partner)

        self.order(waiting, 0)
        self.build()
        self.assertResolved(self.items(waiting, state="resolved"))

    # ---- salespeople, companies, the activity ----------------------------------------

    def test_salesperson_of_the_customer_else_of_the_latest_deal(self):
        own = self.customer("Own salesperson")
        by_deal = self.customer("By deal", user=False)
        person = self.env["res.partner"].create(
            {"name": "Buyer", "parent_id": by_deal.id}
        )
        self.env["crm.lead"].create(
            [
                {"name": "Older", "partner_id": person.id, "user_id": self.salesman.id},
                {
                    "name": "Latest",
                    "partner_id": person.id,
                    "user_id": self.salesman2.id,
                },
            ]
        )
        nobody = self.customer("Nobody's", user=False)
        for partner in (own, by_deal, nobody):
            self.settle(partner, 20000)
        self.build()
        self.assertEqual(self.items(own).user_id, self.salesman)
        self.assertEqual(self.items(by_deal).user_id, self.salesman2)
        self.assertNotNamed(nobody)

        # a salesperson sees their own items only
        mine = self.env["crm.sme.call.item"].with_user(self.salesman).search([])
        self.assertIn(self.items(own), mine)
        self.assertEqual(mine.user_id, self.salesman)
        theirs = self.env["crm.sme.call.item"].with_user(self.salesman2).search([])
        self.assertEqual(theirs.partner_id, by_deal)

    def test_thresholds_and_items_per_company(self):
        other = self.env["res.company"].create(
            {"name": "Branch company", "onec_call_overdue_amount": 4000}
        )
        self.salesman.company_ids |= other
        connection = self.make_connection(other)
        there = self.customer("Customer of the branch", connection=connection)
        self.settle(there, 5000, connection=connection)
        here = self.customer("Customer here")
        self.settle(here, 5000)
        both = self.customer("Customer of both")
        self.bind(both, connection)
        self.settle(both, 20000)
        self.settle(both, 20000, connection=connection)

        self.build()
        self.assertNotNamed(there)
        self.assertNotNamed(here)
        self.assertEqual(self.items(both).company_id, self.company)

        self.build(self.company | other)
        self.assertEqual(self.items(there).company_id, other)
        self.assertNotNamed(here)
        self.assertEqual(self.items(both).company_id, self.company | other)
        # the salesperson's list shows the companies they work in
        calls = (
            self.env["crm.sme.call.item"]
            .with_user(self.salesman)
            .with_context(allowed_company_ids=self.company.ids)
        )
        self.assertNotIn(other, calls.search([]).company_id)

    def test_activity_for_the_salesperson_in_their_language(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(
            ["crm_sme_kpi", "accounting_1c_connector"], ["ru_RU"], overwrite=True
        )
        self.salesman.lang = "ru_RU"
        partner = self.customer("Debtor")
        self.settle(partner, 50000)
        self.log_call(partner, 20)
        self.build()
        item = self.assertNamed(partner, "overdue_no_contact")
        activity = item.activity_id
        self.assertEqual(
            activity.activity_type_id,
            self.env.ref("crm_sme_kpi.mail_activity_type_sme_call"),
        )
        self.assertEqual(
            (activity.res_model, activity.res_id), ("res.partner", partner.id)
        )
        self.assertEqual(activity.user_id, self.salesman)
        self.assertEqual(activity.date_deadline, self.today)
        russian = item.with_context(lang="ru_RU")
        self.assertEqual(activity.summary, russian._rule_label())
        self.assertEqual(activity.summary, "Просроченный долг, давно не звонили")
        self.assertIn("Просроченный долг в 1С:", activity.note)
        self.assertEqual(
            russian.name, f"Позвонить: {partner.name}", "the type's Russian name"
        )
        day = format_date(
            self.env(context={"lang": "ru_RU"}), self.today - timedelta(days=20)
        )
        self.assertIn(day, activity.note)
        self.assertNotIn(day, item.reason)  # the reader's language: English

        activity.with_user(self.salesman).action_feedback("Promised to pay")
        self.assertEqual(item.state, "done")
        self.assertTrue(item.worked_same_day)
        # worked: not given again while the call rests
        self.build()
        self.assertNotNamed(partner)

    def test_queries_do_not_grow_with_customers(self):
        def queries():
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.env["crm.sme.call.item"]._call_candidates(self.company, self.now)
            return self.env.cr.sql_log_count - before

        def customers(n):
            for i in range(n):
                partner = self.customer(f"C{i}")
                self.settle(partner, 20000)
                self.orders_every(partner, 10, 30)
                self.sales(partner, 100, 3000)

        customers(1)
        one = queries()
        customers(5)
        self.assertEqual(queries(), one)


@tagged("post_install", "-at_install")
class TestCallListFromStandIn(OnecCase):
    """The stand-in's overdue debt over OData names the customer; the payment
    an accountant posts in 1C takes them off the list."""

    def test_overdue_debt_named_then_paid(self):
        salesman = new_test_user(
            self.env, "standin_salesman", groups="sales_team.group_sale_salesman"
        )
        counterparty = self.store.legal_entity()
        # shipped 60 days ago: due after the profile's 14 days, long overdue
        order = self.store.post_order(counterparty["ref"], 50000, date=self.recent(60))
        self.store.post_shipment(order["ref"], date=self.recent(60))
        partner = self.make_partner(counterparty, user_id=salesman.id)
        self.run_exchange()
        overdue = sum(
            self.env["onec.settlement"]
            .search([("partner_id", "=", partner.id)])
            .mapped("overdue")
        )
        self.assertGreaterEqual(overdue, 50000)

        calls = self.env["crm.sme.call.item"]
        calls._build_call_lists(self.connection.company_id)
        item = calls.search(
            [
                ("partner_id", "=", partner.id),
                ("rule", "=", "overdue_no_contact"),
                ("state", "=", "open"),
            ]
        )
        self.assertEqual(item.user_id, salesman)
        self.assertEqual(item.figures["amount"], overdue)
        activity = item.activity_id
        self.assertTrue(activity)

        # the accountant receives the whole debt in 1C (the stand-in's control
        # interface, over HTTP); the next exchange reads the balance of the
        # customer whose payments changed
        debt = self.store.receivables()[counterparty["ref"]]
        answer = requests.post(
            f"{self.standin.url}_standin/payments",
            json={"counterparty_ref": counterparty["ref"], "amount": str(debt)},
            # 1C logins are Cyrillic: UTF-8, as 1C's web server reads them
            auth=("Администратор".encode(), "пароль".encode()),
            timeout=20,
        )
        self.assertEqual(answer.status_code, 201, answer.text)
        self.run_exchange()
        self.assertFalse(
            any(
                self.env["onec.settlement"]
                .search([("partner_id", "=", partner.id)])
                .mapped("overdue")
            )
        )
        calls._build_call_lists(self.connection.company_id)
        self.assertEqual(item.state, "resolved")
        self.assertFalse(activity.exists())
