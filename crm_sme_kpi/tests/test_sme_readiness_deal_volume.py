# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from datetime import datetime

from odoo.tests import tagged

from .sme_readiness_common import ReadinessCase


@tagged("post_install", "-at_install")
class TestReadinessDealVolume(ReadinessCase):
    """Deals per week from this database's opportunities of the company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.env["res.company"].create({"name": "Other Co"})

    def _leads(self, count, created, company=None, **values):
        Lead = self.env["crm.lead"]
        leads = Lead.create(
            [
                dict(
                    {
                        "name": f"Deal {index}",
                        "type": "opportunity",
                        "company_id": (company or self.company).id,
                        "team_id": False,
                        "user_id": False,
                    },
                    **values,
                )
                for index in range(count)
            ]
        )
        leads.flush_recordset()
        self.env.cr.execute(
            "UPDATE crm_lead SET create_date = %s WHERE id IN %s",
            (created, tuple(leads.ids)),
        )
        leads.invalidate_recordset(["create_date"])
        return leads

    def test_computed_from_crm_records(self):
        in_window = datetime(2026, 6, 10, 10, 0)
        self._leads(22, in_window)
        self._leads(1, datetime(2026, 6, 30, 23, 59))  # last minute of the window
        lost = self._leads(1, in_window)
        lost.action_set_lost()  # archived: still a deal of the period
        self._leads(5, in_window, type="lead")  # leads are not deals
        self._leads(7, in_window, company=self.other_company)
        self._leads(4, datetime(2026, 4, 6, 23, 0))  # before the 12 weeks
        self._leads(3, datetime(2026, 7, 1, 0, 0))  # after the assessment date
        assessment = self._assessment(date="2026-06-30")
        self.assertEqual(assessment.deal_lookback_weeks, 12)
        self.assertEqual(assessment.deal_count_crm, 24)
        self.assertEqual(assessment.deals_per_week_crm, 2.0)
        self.assertEqual(assessment.deal_volume_source, "crm")
        self.assertEqual(assessment.deals_per_week, 2.0)
        self.assertEqual(assessment.verdict, "postpone")
        self.assertIn(
            "Too few deals to analyse: 2.0 a week (CRM of this database)",
            str(assessment.verdict_explanation),
        )
        # a shorter window: the 24 deals in the last 4 weeks
        assessment.deal_lookback_weeks = 4
        self.assertEqual(assessment.deals_per_week, 6.0)

    def test_refresh_takes_new_deals(self):
        assessment = self._assessment(date="2026-06-30")
        self.assertEqual(assessment.deal_volume_source, "none")
        self._leads(120, datetime(2026, 6, 15, 12, 0))
        self.assertEqual(assessment.deal_count_crm, 0, "kept as a snapshot")
        # a consultant need not read the CRM: the count is the business's figure
        assessment.with_user(self.consultant).action_refresh_deal_volume()
        self.assertEqual(assessment.deal_count_crm, 120)
        self.assertEqual(assessment.deals_per_week, 10.0)

    def test_manual_when_no_crm_data_or_forced(self):
        assessment = self._assessment(date="2026-06-30", deals_per_week_manual=12)
        self.assertEqual(assessment.deal_volume_source, "manual")
        self.assertEqual(assessment.deals_per_week, 12)
        self._leads(12, datetime(2026, 6, 15, 12, 0))
        assessment.action_refresh_deal_volume()
        self.assertEqual(assessment.deal_volume_source, "crm")
        self.assertEqual(assessment.deals_per_week, 1.0)
        assessment.deals_per_week_use_manual = True
        self.assertEqual(assessment.deal_volume_source, "manual")
        self.assertEqual(assessment.deals_per_week, 12)
