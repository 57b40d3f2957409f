# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .sme_readiness_common import ReadinessCase


@tagged("post_install", "-at_install")
class TestReadinessTemplate(ReadinessCase):
    def test_shipped_template(self):
        template = self.env.ref("crm_sme_kpi.sme_readiness_template_default")
        categories = set(template.item_ids.mapped("category"))
        self.assertEqual(categories, {"people", "money", "technical", "need", "other"})
        self.assertEqual(
            (template.min_deals_per_week, template.payback_go_ratio),
            (8.0, 5.0),
        )
        self.assertEqual(template.payback_postpone_ratio, 3.0)

    def test_edits_apply_to_new_assessments_only(self):
        old = self._assessment()
        self._answer(old, self.item_head).answer_yes_no = "yes"
        old.action_done()
        # reword, re-weight, change the type, remove an item, add one
        self.item_head.write({"question": "Does the head back it?", "weight": 1})
        self.item_budget.answer_type = "yes_no"
        self.item_staff.unlink()
        self.env["sme.readiness.template.item"].create(
            {
                "template_id": self.template.id,
                "category": "other",
                "question": "Is the catalogue standardized?",
                "sequence": 60,
            }
        )
        self.template.min_deals_per_week = 15
        new = self._assessment()
        self.assertEqual(
            new.answer_ids.mapped("question"),
            [
                "Does the head back it?",
                "Boycott risk",
                "Budget in months",
                "Accounting system",
                "Is the catalogue standardized?",
            ],
        )
        self.assertEqual(self._answer(new, self.item_head).weight, 1)
        self.assertEqual(self._answer(new, self.item_budget).answer_type, "yes_no")
        self.assertEqual(new.min_deals_per_week, 15)
        # the finished assessment keeps what it was answered with
        self.assertEqual(len(old.answer_ids), 5)
        head = self._answer(old, self.item_head)
        self.assertEqual(
            (head.question, head.weight), ("Head of sales supports it?", 3)
        )
        self.assertEqual(old.min_deals_per_week, 8)
        self.assertIn("Staff readiness", old.answer_ids.mapped("question"))
        self.assertAlmostEqual(old.score, 100.0 * 3 / 8)

    def test_option_edits_and_scoring(self):
        self.opt_medium.score = 20
        assessment = self._assessment()
        answer = self._answer(assessment, self.item_boycott)
        answer.answer_option_id = self.opt_medium
        self.assertAlmostEqual(answer.score_fraction, 0.2)

    def test_change_template_of_draft_only(self):
        other = self.template.copy({"name": "Copy"})
        other.item_ids[1:].unlink()
        assessment = self._assessment()
        assessment.template_id = other
        self.assertEqual(len(assessment.answer_ids), 1)
        assessment.action_start()
        with self.assertRaises(UserError):
            assessment.template_id = self.template
        with self.assertRaises(UserError):
            assessment.action_reload_template()

    def test_threshold_constraints(self):
        with self.assertRaises(ValidationError):
            self.template.payback_postpone_ratio = 6
        with self.assertRaises(ValidationError):
            self.item_staff.threshold = 7
