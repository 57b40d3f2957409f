# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo.tests import tagged

from .sme_readiness_common import ReadinessCase


@tagged("post_install", "-at_install")
class TestReadinessPayback(ReadinessCase):
    def _payback(self, **values):
        vals = {"revenue_period_months": 1, "salesperson_count": 10}
        vals.update(values)
        return self._assessment(**vals)

    def test_article_clear_go(self):
        """30,000 per salesperson against a 3,000 seat: an easy yes."""
        assessment = self._payback(revenue_amount=300000, seat_cost_monthly=3000)
        self.assertEqual(assessment.revenue_per_salesperson, 30000)
        self.assertEqual(assessment.cost_per_seat_monthly, 3000)
        self.assertEqual(assessment.payback_ratio, 10.0)
        self.assertEqual(assessment.payback_status, "ok")

    def test_article_cheaper_or_wait(self):
        """About 20,000 against a seat of up to 10,000: cheaper tool or wait."""
        assessment = self._payback(revenue_amount=200000, seat_cost_monthly=10000)
        self.assertEqual(assessment.revenue_per_salesperson, 20000)
        self.assertEqual(assessment.payback_ratio, 2.0)
        self.assertEqual(assessment.payback_status, "fails")
        self.assertEqual(assessment.verdict, "postpone")

    def test_period_and_implementation_spread(self):
        # 900,000 over 3 months by 10 people; 120,000 spread over 12 months
        assessment = self._payback(
            revenue_amount=900000,
            revenue_period_months=3,
            seat_cost_monthly=3000,
            implementation_cost=120000,
            payback_horizon_months=12,
        )
        self.assertEqual(assessment.revenue_per_salesperson, 30000)
        self.assertEqual(assessment.cost_per_seat_monthly, 4000)
        self.assertEqual(assessment.payback_ratio, 7.5)
        self.assertEqual(assessment.payback_status, "ok")

    def test_incomplete(self):
        assessment = self._payback(revenue_amount=300000, salesperson_count=0)
        self.assertEqual(assessment.payback_status, "incomplete")
        self.assertEqual(assessment.payback_ratio, 0.0)

    def test_thresholds_from_template(self):
        self.template.write({"payback_go_ratio": 12, "payback_postpone_ratio": 4})
        assessment = self._payback(revenue_amount=300000, seat_cost_monthly=3000)
        self.assertEqual(assessment.payback_go_ratio, 12)
        self.assertEqual(assessment.payback_status, "marginal")
