# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo.tests import tagged

from .sme_readiness_common import ReadinessCase


@tagged("post_install", "-at_install")
class TestReadinessVerdict(ReadinessCase):
    def _ready(self, **values):
        assessment = self._assessment()
        self._answer_all_well(assessment)
        assessment.write(values)
        return assessment

    def assertExplains(self, assessment, *fragments):
        text = str(assessment.verdict_explanation)
        for fragment in fragments:
            self.assertIn(fragment, text)

    def test_go(self):
        assessment = self._ready()
        self.assertEqual(assessment.score, 100.0)
        self.assertEqual(assessment.verdict, "go")
        self.assertExplains(
            assessment,
            "Payback is clear",
            "ratio 10.0, at least 5.0",
            "Deal volume is enough to analyse: 20.0 a week",
            "no answer blocks",
        )

    def test_prepare_on_blocking_answer(self):
        assessment = self._ready()
        self._answer(assessment, self.item_head).answer_yes_no = "no"
        self.assertEqual(assessment.verdict, "prepare")
        self.assertExplains(
            assessment, "The head of sales resists. (Head of sales supports it?: No)"
        )

    def test_prepare_on_blocking_choice_and_scale(self):
        assessment = self._ready()
        self._answer(assessment, self.item_boycott).answer_option_id = self.opt_high
        self._answer(assessment, self.item_staff).answer_scale = "1"
        self.assertEqual(assessment.verdict, "prepare")
        self.assertExplains(
            assessment, "(Boycott risk: High)", "(Staff readiness: 1/5)"
        )

    def test_prepare_on_unanswered_blocking_item(self):
        assessment = self._ready()
        self._answer(assessment, self.item_staff).answer_scale = False
        self.assertEqual(assessment.verdict, "prepare")
        self.assertExplains(
            assessment, "Blocking question not answered yet: Staff readiness"
        )

    def test_prepare_on_low_score(self):
        assessment = self._ready(go_min_score=90)
        self._answer(assessment, self.item_budget).answer_number = 1  # not blocking
        self.assertAlmostEqual(assessment.score, 87.5)
        self.assertEqual(assessment.verdict, "prepare")
        self.assertExplains(assessment, "The score 87.5 is under the 90.0 needed")

    def test_prepare_on_marginal_payback(self):
        assessment = self._ready(seat_cost_monthly=7500)  # 30,000 / 7,500 = 4
        self.assertEqual(assessment.payback_status, "marginal")
        self.assertEqual(assessment.verdict, "prepare")
        self.assertExplains(assessment, "Payback is marginal", "ratio 4.0")

    def test_prepare_on_missing_figures(self):
        assessment = self._ready(
            seat_cost_monthly=0,
            deals_per_week_use_manual=False,
            deals_per_week_manual=0,
        )
        self.assertEqual(assessment.payback_status, "incomplete")
        self.assertEqual(assessment.deal_volume_source, "none")
        self.assertEqual(assessment.verdict, "prepare")
        self.assertExplains(assessment, "Payback not computed", "Deal volume unknown")

    def test_postpone_on_payback(self):
        # the article: about 20,000 per salesperson against a seat of 10,000
        assessment = self._ready(revenue_amount=200000, seat_cost_monthly=10000)
        self.assertEqual(assessment.verdict, "postpone")
        self.assertExplains(
            assessment, "Payback fails", "ratio 2.0, at most 3.0", "cheaper option"
        )

    def test_postpone_on_deal_volume(self):
        assessment = self._ready(deals_per_week_manual=7.5)
        self.assertEqual(assessment.verdict, "postpone")
        self.assertExplains(
            assessment, "Too few deals to analyse: 7.5 a week (Entered by hand)"
        )

    def test_postpone_wins_over_prepare_and_lists_both(self):
        assessment = self._ready(deals_per_week_manual=7)
        self._answer(assessment, self.item_head).answer_yes_no = "no"
        self.assertEqual(assessment.verdict, "postpone")
        text = str(assessment.verdict_explanation)
        self.assertLess(text.index("Too few deals"), text.index("head of sales"))

    def test_thresholds_are_inclusive(self):
        assessment = self._ready(seat_cost_monthly=6000)  # ratio exactly 5
        self.assertEqual(assessment.payback_status, "ok")
        assessment.seat_cost_monthly = 10000  # ratio exactly 3
        self.assertEqual(assessment.payback_status, "fails")
        assessment.write({"seat_cost_monthly": 3000, "deals_per_week_manual": 8})
        self.assertEqual(assessment.verdict, "go")

    def test_data_storage_is_not_judged(self):
        assessment = self._ready()
        for answer in ("russia", "abroad", "unknown"):
            assessment.data_storage = answer
            self.assertEqual(assessment.verdict, "go")
            self.assertEqual(assessment.score, 100.0)
