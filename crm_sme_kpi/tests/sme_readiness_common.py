# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""Shared fixtures of the readiness tests: a template with one item per type."""

from odoo import Command
from odoo.tests import TransactionCase, new_test_user

QUIET = {"tracking_disable": True, "mail_notrack": True, "mail_create_nolog": True}
CONSULTANT_GROUPS = "crm_sme_kpi.group_sme_readiness_consultant"


class ReadinessFixtures:
    """Mixed into a test case (TransactionCase or HttpCase)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **QUIET))
        cls.company = cls.env["res.company"].create({"name": "Readiness Test Co"})
        cls.consultant = new_test_user(
            cls.env,
            login="readiness_consultant",
            groups=f"base.group_user,{CONSULTANT_GROUPS}",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.client_company = cls.env["res.partner"].create(
            {"name": "Tutoring Ltd", "is_company": True}
        )
        cls.template = cls.env["sme.readiness.template"].create(
            {
                "name": "Test checklist",
                "item_ids": [
                    cls._item("people", "Head of sales supports it?", "yes_no", 3),
                    cls._item("people", "Staff readiness", "scale", 2, threshold=2),
                    cls._item("people", "Boycott risk", "choice", 2),
                    cls._item("money", "Budget in months", "number", 1, threshold=2),
                    cls._item("technical", "Accounting system", "text", 0),
                ],
            }
        )
        cls.item_head, cls.item_staff, cls.item_boycott, cls.item_budget, _text = (
            cls.template.item_ids
        )
        cls.item_head.write(
            {"blocking": True, "blocking_sentence": "The head of sales resists."}
        )
        cls.item_staff.blocking = True
        cls.item_boycott.blocking = True
        cls.env["sme.readiness.item.option"].create(
            [
                {"item_id": cls.item_boycott.id, "name": "Low", "score": 100},
                {"item_id": cls.item_boycott.id, "name": "Medium", "score": 50},
                {
                    "item_id": cls.item_boycott.id,
                    "name": "High",
                    "score": 0,
                    "blocking": True,
                },
            ]
        )
        cls.opt_low, cls.opt_medium, cls.opt_high = cls.item_boycott.option_ids

    @classmethod
    def _item(cls, category, question, answer_type, weight, threshold=0):
        cls._sequence = getattr(cls, "_sequence", 0) + 10
        values = {
            "category": category,
            "question": question,
            "answer_type": answer_type,
            "weight": weight,
            "threshold": threshold,
            "sequence": cls._sequence,
        }
        return Command.create(values)

    def _assessment(self, **values):
        vals = {
            "partner_id": self.client_company.id,
            "company_id": self.company.id,
            "consultant_id": self.consultant.id,
            "template_id": self.template.id,
            "date": "2026-06-30",
        }
        vals.update(values)
        return self.env["sme.readiness.assessment"].create(vals)

    def _answer(self, assessment, item):
        return assessment.answer_ids.filtered(lambda a: a.item_id == item)

    def _answer_all_well(self, assessment):
        """Good answers everywhere, the article's clear payback, enough deals."""
        self._answer(assessment, self.item_head).answer_yes_no = "yes"
        self._answer(assessment, self.item_staff).answer_scale = "5"
        self._answer(assessment, self.item_boycott).answer_option_id = self.opt_low
        self._answer(assessment, self.item_budget).answer_number = 6
        assessment.write(
            {
                "revenue_amount": 300000,
                "revenue_period_months": 1,
                "salesperson_count": 10,
                "seat_cost_monthly": 3000,
                "deals_per_week_use_manual": True,
                "deals_per_week_manual": 20,
            }
        )


class ReadinessCase(ReadinessFixtures, TransactionCase):
    pass
