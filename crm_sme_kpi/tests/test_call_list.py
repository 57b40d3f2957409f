# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import KpiCase


@tagged("post_install", "-at_install")
class TestCallList(KpiCase):
    """The call list's engine and its own rule: a lead left without its first
    contact past the company's deadline."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.items = cls.env["crm.sme.call.item"]
        cls.call_today = cls.env.ref("crm_sme_kpi.mail_activity_type_sme_call")
        cls.anna = cls._user("call_anna")
        cls.boris = cls._user("call_boris")
        cls.company.write(
            {
                "sme_kpi_first_contact_hours": 24,
                "sme_call_lead_days": 30,
                "sme_call_repeat_days": 7,
            }
        )
        cls.now = fields.Datetime.now()

    def _opened(self, hours_ago, user=None, **kwargs):
        return self._lead(
            user or self.anna, self.now - timedelta(hours=hours_ago), **kwargs
        )

    def _build(self, companies=None):
        return self.items._build_call_lists(companies or self.company)

    def _items(self, leads, **domain):
        return self.items.search(
            [("lead_id", "in", leads.ids)]
            + [(name, "=", value) for name, value in domain.items()]
        )

    # ---- the rule ------------------------------------------------------------

    def test_lead_past_its_deadline_is_listed_for_its_salesperson(self):
        late = self._opened(30)
        self._build()
        item = self._items(late)
        self.assertRecordValues(
            item,
            [
                {
                    "rule": "no_first_contact",
                    "user_id": self.anna.id,
                    "company_id": self.company.id,
                    "partner_id": late.partner_id.id,
                    "state": "open",
                    "date": fields.Date.context_today(self.items),
                }
            ],
        )
        self.assertRecordValues(
            item.activity_id,
            [
                {
                    "activity_type_id": self.call_today.id,
                    "res_model": "crm.lead",
                    "res_id": late.id,
                    "user_id": self.anna.id,
                    "date_deadline": item.date,
                    "summary": "Lead without first contact",
                }
            ],
        )
        self.assertEqual(item.name, f"Call Today: {late.name}")
        self.assertIn("the first contact was due within 24 hours", item.reason)
        self.assertIn(item.reason, item.activity_id.note)

    def test_leads_not_listed(self):
        within_deadline = self._opened(20)
        too_old = self._opened(31 * 24)
        won = self._opened(30, won=self.now)
        contacted = self._opened(30)
        self._done(contacted, self.anna, self.call_type, self.now - timedelta(hours=2))
        unassigned = self._opened(30)
        unassigned.user_id = False
        self._build()
        leads = within_deadline | too_old | won | contacted | unassigned
        self.assertFalse(self._items(leads))

    def test_deadline_and_window_follow_the_company(self):
        lead = self._opened(30)
        self.company.sme_kpi_first_contact_hours = 48
        self._build()
        self.assertFalse(self._items(lead))
        self.company.write({"sme_kpi_first_contact_hours": 24, "sme_call_lead_days": 1})
        self._build()
        self.assertFalse(self._items(lead))
        self.company.sme_call_lead_days = 2
        self._build()
        self.assertEqual(len(self._items(lead)), 1)

    # ---- the run -------------------------------------------------------------

    def test_second_run_gives_nothing_twice(self):
        lead = self._opened(30)
        given, _closed = self._build()
        self.assertIn(lead, given.lead_id)
        given, closed = self._build()
        self.assertFalse(given)
        self.assertFalse(closed)
        self.assertEqual(len(self._items(lead)), 1)
        self.assertEqual(
            len(
                lead.activity_ids.filtered(
                    lambda a: a.activity_type_id == self.call_today
                )
            ),
            1,
        )

    def test_item_closes_by_itself_when_the_lead_is_contacted(self):
        lead = self._opened(30)
        self._build()
        item = self._items(lead)
        activity = item.activity_id
        self._done(lead, self.anna, self.email_type, self.now)
        _given, closed = self._build()
        self.assertEqual(closed, item)
        self.assertEqual(item.state, "resolved")
        self.assertFalse(activity.exists())
        self.assertFalse(item.worked_same_day)

    def test_marking_the_activity_done_works_the_item(self):
        lead = self._opened(30)
        self._build()
        item = self._items(lead)
        item.activity_id.with_user(self.anna).action_feedback(feedback="Called")
        self.assertEqual(item.state, "done")
        self.assertTrue(item.worked_same_day)
        self.assertTrue(item.closed_at)
        # the done call is the lead's first contact: nothing to give again
        given, _closed = self._build()
        self.assertNotIn(lead, given.lead_id)

    def test_activity_not_given_by_the_call_list_reads_no_item(self):
        """A "Call Today" activity scheduled by hand is no item's: marking it
        done or deleting it does not look for one."""
        lead = self._opened(30)
        self._build()
        item = self._items(lead)
        self.assertTrue(item.activity_id.sme_call_listed)
        by_hand = [
            lead.activity_schedule(
                activity_type_id=self.call_today.id, user_id=self.anna.id
            )
            for _i in range(2)
        ]
        for activity in by_hand:
            self.assertFalse(activity.sme_call_listed)
        with self.assertQueryCount(0):
            self.assertFalse(by_hand[0]._sme_open_call_items())
        by_hand[0].action_feedback(feedback="Called")
        by_hand[1].unlink()
        self.assertEqual(item.state, "open")
        self.assertTrue(item.activity_id.exists())

    def test_done_another_day_is_not_worked_the_same_day(self):
        lead = self._opened(30)
        self._build()
        item = self._items(lead)
        later = self.now + timedelta(days=1)
        with patch.object(fields.Datetime, "now", return_value=later):
            item.activity_id.action_feedback()
        self.assertEqual(item.state, "done")
        self.assertFalse(item.worked_same_day)

    def test_deleted_activity_dismisses_and_rests_for_the_repeat_days(self):
        lead = self._opened(30)
        self._build()
        item = self._items(lead)
        item.activity_id.unlink()
        self.assertEqual(item.state, "dismissed")
        given, _closed = self._build()
        self.assertNotIn(lead, given.lead_id)
        self.company.sme_call_repeat_days = 0
        given, _closed = self._build()
        self.assertEqual(given.lead_id, lead)
        self.assertEqual(len(self._items(lead, state="open")), 1)

    def test_reassigned_lead_moves_its_item(self):
        lead = self._opened(30)
        self._build()
        item = self._items(lead)
        lead.user_id = self.boris
        # a reassigned lead is received again: still late for the test
        self._set_dates(lead, date_open=self.now - timedelta(hours=30))
        self._build()
        self.assertEqual(item.state, "open")
        self.assertEqual(item.user_id, self.boris)
        self.assertEqual(item.activity_id.user_id, self.boris)

    # ---- companies, rights, schedule -----------------------------------------

    def test_each_company_gets_its_own_list(self):
        other = self.env["res.company"].create({"name": "Call Co 2"})
        other.sme_kpi_first_contact_hours = 100
        clara = self._user("call_clara", company=other)
        here = self._opened(30)
        there = self._opened(30, user=clara, company=other)
        self._build()
        self.assertFalse(self._items(there))
        self._build(other)
        self.assertFalse(self._items(there), "the other company's deadline applies")
        other.sme_kpi_first_contact_hours = 24
        self._build(other)
        self.assertEqual(self._items(there).company_id, other)
        self.assertEqual(self._items(here).company_id, self.company)

    def test_salesperson_sees_only_their_own_items(self):
        mine = self._opened(30)
        theirs = self._opened(30, user=self.boris)
        self._build()
        seen = self.items.with_user(self.anna).search([])
        self.assertEqual(seen.lead_id, mine)
        self.assertEqual(
            self.items.with_user(self.manager)
            .search([("lead_id", "in", (mine | theirs).ids)])
            .lead_id,
            mine | theirs,
        )

    def test_cron_builds_once_a_day_from_the_company_hour(self):
        lead = self._opened(30)
        self.company.partner_id.tz = "UTC"
        self.company.write({"sme_call_list_date": False})
        hour = self.now.hour
        if hour == 23:
            self.skipTest("no later hour today to test with")
        self.company.sme_call_list_hour = hour + 1
        self.items._cron_build_call_lists()
        self.assertFalse(self._items(lead))
        self.company.sme_call_list_hour = hour
        self.items._cron_build_call_lists()
        self.assertEqual(len(self._items(lead)), 1)
        self.assertEqual(
            self.company.sme_call_list_date, fields.Date.context_today(self.items)
        )
        self._items(lead).activity_id.unlink()
        self.company.sme_call_repeat_days = 0
        self.items._cron_build_call_lists()
        self.assertFalse(self._items(lead, state="open"), "built once a day")

    def test_only_managers_build_by_hand(self):
        self._opened(30)
        action = self.items.with_user(self.manager).action_build_call_lists()
        self.assertEqual(action["tag"], "display_notification")
        with self.assertRaises(AccessError):
            self.items.with_user(self.anna).action_build_call_lists()

    # ---- the dashboard's counts ----------------------------------------------

    def test_given_and_worked_counts(self):
        first, second, third = (self._opened(30) for _i in range(3))
        other = self._opened(30, user=self.boris)
        self._build()
        self._items(first).activity_id.action_feedback()
        self._items(second).activity_id.unlink()
        today = fields.Date.context_today(self.items)
        counts = self.items._worked_counts(
            self.anna | self.boris, today, today + timedelta(days=1)
        )
        anna_given = self.items.search_count(
            [("user_id", "=", self.anna.id), ("date", "=", today)]
        )
        self.assertEqual(counts[self.anna.id], (anna_given, 1))
        self.assertEqual(counts[self.boris.id][1], 0)
        self.assertTrue(self._items(third | other, state="open"))

    def test_dashboard_row_shows_the_list_worked(self):
        team = self._team("Call Team", self.anna | self.boris, leader=self.manager)
        first, _second = self._opened(30), self._opened(30)
        self._build()
        self._items(first).activity_id.action_feedback()
        today = fields.Date.context_today(self.items)
        board = (
            self.env["crm.sme.kpi.dashboard"]
            .with_user(self.manager)
            .get_dashboard(team.id, "month", fields.Date.to_string(today))
        )
        rows = {row["user"]["id"]: row for row in board["rows"]}
        self.assertEqual(rows[self.anna.id]["call_list"], {"given": 2, "worked": 1})
        self.assertEqual(rows[self.boris.id]["call_list"], {"given": 0, "worked": 0})
