# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo.tests import tagged

from .sme_readiness_common import ReadinessCase


@tagged("post_install", "-at_install")
class TestReadinessScoring(ReadinessCase):
    def test_answers_copied_from_template(self):
        assessment = self._assessment()
        self.assertEqual(len(assessment.answer_ids), 5)
        self.assertEqual(assessment.answer_ids.item_id, self.template.item_ids)
        head = self._answer(assessment, self.item_head)
        self.assertEqual(head.question, "Head of sales supports it?")
        self.assertEqual(head.weight, 3)
        self.assertTrue(head.blocking)
        self.assertEqual(head.blocking_sentence, "The head of sales resists.")

    def test_weighted_score(self):
        assessment = self._assessment()
        self._answer(assessment, self.item_head).answer_yes_no = "yes"  # 3 x 1
        self._answer(assessment, self.item_staff).answer_scale = "4"  # 2 x 0.8
        self._answer(assessment, self.item_boycott).answer_option_id = self.opt_medium
        self._answer(assessment, self.item_budget).answer_number = 3  # 1 x 1
        # text answers are not scored: (3 + 1.6 + 1 + 1) / (3 + 2 + 2 + 1)
        self.assertAlmostEqual(assessment.score, 82.5)

    def test_unanswered_scores_zero(self):
        assessment = self._assessment()
        self.assertEqual(assessment.score, 0.0)
        self.assertFalse(any(assessment.answer_ids.mapped("is_answered")))
        self._answer(assessment, self.item_head).answer_yes_no = "yes"
        self.assertAlmostEqual(assessment.score, 100.0 * 3 / 8)

    def test_blocking_per_answer_type(self):
        assessment = self._assessment()
        head = self._answer(assessment, self.item_head)
        staff = self._answer(assessment, self.item_staff)
        boycott = self._answer(assessment, self.item_boycott)
        budget = self._answer(assessment, self.item_budget)
        head.answer_yes_no = "no"
        staff.answer_scale = "1"  # under the threshold 2
        boycott.answer_option_id = self.opt_high
        budget.answer_number = 1  # under the threshold 2, but not a blocking item
        self.assertTrue(head.blocks_verdict)
        self.assertTrue(staff.blocks_verdict)
        self.assertTrue(boycott.blocks_verdict)
        self.assertTrue(budget.is_failed)
        self.assertFalse(budget.blocks_verdict)
        staff.answer_scale = "2"
        boycott.answer_option_id = self.opt_medium
        self.assertFalse(staff.blocks_verdict)
        self.assertFalse(boycott.blocks_verdict)

    def test_good_answer_no(self):
        """A risk question whose good answer is 'no'."""
        self.item_head.positive_answer = "no"
        assessment = self._assessment()
        head = self._answer(assessment, self.item_head)
        head.answer_yes_no = "no"
        self.assertFalse(head.blocks_verdict)
        self.assertEqual(head.score_fraction, 1.0)
        head.answer_yes_no = "yes"
        self.assertTrue(head.blocks_verdict)
        self.assertEqual(head.answer_display, "Yes")
