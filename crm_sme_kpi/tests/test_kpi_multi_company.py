# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from datetime import date

from odoo.tests import tagged

from .common import KpiCase, dt

MARCH = date(2025, 3, 1)


@tagged("post_install", "-at_install")
class TestKpiMultiCompany(KpiCase):
    """Figures, medians, thresholds and flags stay inside their company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company2 = cls.env["res.company"].create(
            {"name": "KPI Company 2", "sme_kpi_first_contact_hours": 1}
        )
        cls.company.sme_kpi_first_contact_hours = 24
        cls.manager2 = cls._user(
            "kpi_manager2", "sales_team.group_sale_manager", company=cls.company2
        )
        cls.seller1 = cls._user("kpi_mc_seller1")
        cls.seller2 = cls._user("kpi_mc_seller2", company=cls.company2)
        cls.team1 = cls._team("KPI MC 1", cls.seller1, leader=cls.manager)
        cls.team2 = cls._team(
            "KPI MC 2", cls.seller2, leader=cls.manager2, company=cls.company2
        )
        # the same history in both companies: first call two hours after assignment
        for seller, company in (
            (cls.seller1, cls.company),
            (cls.seller2, cls.company2),
        ):
            lead = cls._lead(seller, dt(2025, 3, 3, 9), company=company)
            cls._done(lead, seller, cls.call_type, dt(2025, 3, 3, 11))

    def _rows(self, user):
        return (
            self.env["crm.sme.kpi.summary"]
            .with_user(user)
            .search(
                [
                    ("period_type", "=", "month"),
                    ("date", "=", MARCH),
                    ("user_id", "in", (self.seller1 | self.seller2).ids),
                ]
            )
        )

    def test_rows_per_company(self):
        self.assertEqual(self._rows(self.manager).user_id, self.seller1)
        self.assertEqual(self._rows(self.manager2).user_id, self.seller2)
        row2 = self._rows(self.manager2)
        self.assertEqual((row2.company_id, row2.team_id), (self.company2, self.team2))
        self.assertEqual((row2.leads_received, row2.calls, row2.team_size), (1, 1, 1))

    def test_thresholds_per_company(self):
        flags = self.env["crm.kpi.flag"]._evaluate_flags(MARCH)
        flags = flags.filtered(lambda f: f.user_id in self.seller1 | self.seller2)
        self.assertEqual(
            [(f.user_id, f.rule, f.company_id) for f in flags],
            [(self.seller2, "slow_first_contact", self.company2)],
        )
        self.assertIn("1 hours", flags.with_context(lang="en_US").explanation)
        self.assertEqual(flags.activity_ids.user_id, self.manager2)
        flag_model = self.env["crm.kpi.flag"]
        domain = [("id", "=", flags.id)]
        self.assertFalse(flag_model.with_user(self.manager).search(domain))
        self.assertEqual(flag_model.with_user(self.manager2).search(domain), flags)
