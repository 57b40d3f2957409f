# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from datetime import date

from odoo.tests import tagged

from .common import KpiCase, dt


@tagged("post_install", "-at_install")
class TestKpiFigures(KpiCase):
    """Every figure of the effectiveness reports on a hand-built March 2025."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.anna = cls._user("kpi_anna")
        cls.boris = cls._user("kpi_boris")
        cls.solo = cls._user("kpi_solo")
        cls.team = cls._team("KPI Team", cls.anna | cls.boris, leader=cls.manager)
        cls.solo_team = cls._team("KPI Solo", cls.solo)
        # Anna, March: 3 leads received; L1 won, L2's customer made client by
        # hand (and in negotiation), L3 lost and never contacted
        cls.l1 = cls._lead(
            cls.anna, dt(2025, 3, 3, 9), won=dt(2025, 3, 20), revenue=1000
        )
        cls.l2 = cls._lead(
            cls.anna, dt(2025, 3, 10, 9), revenue=2000, stage=cls.nego_stage
        )
        cls._set_dates(cls.l2, date_last_stage_update=dt(2025, 3, 12))
        cls.l2.partner_id.action_mark_as_client()
        cls.l3 = cls._lead(cls.anna, dt(2025, 3, 15, 9), lost=dt(2025, 3, 25))
        # April cohort: won in April
        cls.l4 = cls._lead(cls.anna, dt(2025, 4, 2, 9), won=dt(2025, 4, 9), revenue=500)
        # calls: first contacts of L1 after 3 h and L2 after 1 h, one on a contact
        cls._done(cls.l1, cls.anna, cls.call_type, dt(2025, 3, 3, 12))
        cls._done(cls.l2, cls.anna, cls.call_type, dt(2025, 3, 10, 10))
        cls._done(cls.l2.partner_id, cls.anna, cls.call_type, dt(2025, 3, 11, 10))
        # meetings: a calendar meeting on L1 and its done activity (counted once),
        # a done meeting activity without calendar event on a contact, a
        # calendar meeting on a contact, and a future meeting (not counted)
        cls._meeting(cls.anna, dt(2025, 3, 5, 10), lead=cls.l1)
        cls._done(cls.l1, cls.anna, cls.meeting_type, dt(2025, 3, 5, 17))
        cls._done(cls.l2.partner_id, cls.anna, cls.meeting_type, dt(2025, 3, 12, 15))
        cls._meeting(cls.anna, dt(2025, 3, 18, 10), partner=cls.l3.partner_id)
        cls._meeting(cls.anna, dt(2099, 3, 18, 10), lead=cls.l1)
        # an email is a contact but neither a call nor a meeting
        cls._done(cls.l4, cls.anna, cls.email_type, dt(2025, 4, 2, 11))
        # Boris: a lead and no activity at all
        cls.l5 = cls._lead(cls.boris, dt(2025, 3, 20, 9))
        # a one-person team
        cls.l6 = cls._lead(
            cls.solo, dt(2025, 3, 21, 9), won=dt(2025, 3, 28), revenue=300
        )
        cls._done(cls.l6, cls.solo, cls.call_type, dt(2025, 3, 21, 10))

    def test_salesperson_month(self):
        row = self._summary(self.anna, date(2025, 3, 1))
        expected = {
            "team_id": self.team.id,
            "leads_received": 3,
            "leads_converted": 2,
            "calls": 3,
            "meetings": 3,
            "opportunities_created": 3,
            "won_count": 1,
            "lost_count": 1,
            "won_revenue": 1000.0,
            "negotiation_value": 2000.0,
            "late_first_contact": 1,
        }
        for fname, value in expected.items():
            value_read = row[fname].id if fname == "team_id" else row[fname]
            self.assertEqual(value_read, value, fname)
        self.assertAlmostEqual(row.conversion_rate, 200 / 3, places=4)
        self.assertAlmostEqual(row.first_contact_hours, 2.0, places=4)
        self.assertEqual(row.meetings_per_won, 3.0)
        self.assertEqual(row.calls_per_won, 3.0)
        self.assertAlmostEqual(row.won_per_meeting, 1 / 3, places=4)

    def test_cohort_in_next_month(self):
        row = self._summary(self.anna, date(2025, 4, 1))
        self.assertEqual((row.leads_received, row.leads_converted), (1, 1))
        self.assertEqual((row.won_count, row.won_revenue), (1, 500.0))
        self.assertEqual((row.calls, row.meetings, row.late_first_contact), (0, 0, 0))
        self.assertEqual(row.first_contact_hours, 2.0)
        self.assertFalse(row.meetings_per_won)
        self.assertFalse(row.won_per_meeting)

    def test_team_medians(self):
        anna = self._summary(self.anna, date(2025, 3, 1))
        boris = self._summary(self.boris, date(2025, 3, 1))
        for row in anna | boris:
            self.assertEqual(row.team_size, 2)
            self.assertEqual(row.median_leads_received, 2.0)
            self.assertAlmostEqual(row.median_conversion_rate, 100 / 3, places=4)
            self.assertEqual(row.median_calls, 1.5)
            self.assertEqual(row.median_meetings, 1.5)
            self.assertEqual(row.median_won_count, 0.5)
            self.assertEqual(row.median_won_revenue, 500.0)

    def test_leads_without_activities(self):
        row = self._summary(self.boris, date(2025, 3, 1))
        self.assertEqual(
            (row.leads_received, row.leads_converted, row.conversion_rate),
            (1, 0, 0.0),
        )
        self.assertEqual((row.calls, row.meetings, row.won_count), (0, 0, 0))
        self.assertEqual((row.late_first_contact, row.first_contact_hours), (1, 0.0))

    def test_one_person_team(self):
        row = self._summary(self.solo, date(2025, 3, 1))
        self.assertEqual((row.team_id, row.team_size), (self.solo_team, 1))
        self.assertEqual((row.leads_received, row.leads_converted), (1, 1))
        self.assertEqual(row.median_conversion_rate, 100.0)
        self.assertEqual(row.median_calls, 1.0)
        self.assertEqual(row.first_contact_hours, 1.0)

    def test_empty_period(self):
        self.assertFalse(self._summary(self.anna, date(2025, 2, 1)))
        groups = self.env["crm.sme.kpi.report"]._read_group(
            [("date", ">=", "2025-02-01"), ("date", "<", "2025-03-01"),
             ("user_id", "in", (self.anna | self.boris).ids)],
            ["user_id"], ["leads_received:sum"],
        )  # fmt: skip
        self.assertEqual(groups, [])

    def test_periods(self):
        week = self._summary(self.anna, date(2025, 3, 3), "week")
        self.assertEqual((week.leads_received, week.calls, week.meetings), (1, 1, 1))
        quarter = self._summary(self.anna, date(2025, 1, 1), "quarter")
        self.assertEqual((quarter.leads_received, quarter.calls), (3, 3))
        day = self.env["crm.sme.kpi.report"]._read_group(
            [("user_id", "=", self.anna.id), ("date", ">=", "2025-03-03"),
             ("date", "<", "2025-03-04")],
            ["date:day"], ["leads_received:sum", "calls:sum"],
        )  # fmt: skip
        self.assertEqual([(r[1], r[2]) for r in day], [(1, 1)])

    def test_pivot_salesperson_by_month(self):
        groups = self.env["crm.sme.kpi.report"]._read_group(
            [("user_id", "in", (self.anna | self.boris | self.solo).ids)],
            ["user_id", "date:month"],
            ["leads_received:sum", "calls:sum", "meetings:sum", "won_count:sum"],
        )
        got = {(u.login, d.month): rest for u, d, *rest in groups}
        self.assertEqual(
            got,
            {
                ("kpi_anna", 3): [3, 3, 3, 1],
                ("kpi_anna", 4): [1, 0, 0, 1],
                ("kpi_boris", 3): [1, 0, 0, 0],
                ("kpi_solo", 3): [1, 1, 0, 1],
            },
        )

    def test_client_by_hand_counts_at_once(self):
        """A customer made a client converts its lead in the next read."""
        self.l3.partner_id.sme_customer_state = "client"
        row = self._summary(self.anna, date(2025, 3, 1))
        self.assertEqual(row.leads_converted, 3)
