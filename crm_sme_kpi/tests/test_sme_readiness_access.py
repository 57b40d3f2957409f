# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .sme_readiness_common import ReadinessCase


@tagged("post_install", "-at_install")
class TestReadinessAccess(ReadinessCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company_vals = {"company_id": cls.company.id, "company_ids": [cls.company.id]}
        cls.sales_manager = new_test_user(
            cls.env,
            login="readiness_sales_manager",
            groups="sales_team.group_sale_manager",
            **company_vals,
        )
        cls.salesman = new_test_user(
            cls.env,
            login="readiness_salesman",
            groups="sales_team.group_sale_salesman",
            **company_vals,
        )
        cls.assessment = cls._assessment(cls)

    def test_consultant_crud(self):
        env = self.env(user=self.consultant)
        assessment = env["sme.readiness.assessment"].create(
            {"partner_id": self.client_company.id, "template_id": self.template.id}
        )
        self.assertEqual(assessment.company_id, self.company)
        self.assertEqual(assessment.consultant_id, self.consultant)
        assessment.answer_ids[0].answer_yes_no = "yes"
        assessment.action_start()
        template = env["sme.readiness.template"].create({"name": "Mine"})
        item = env["sme.readiness.template.item"].create(
            {"template_id": template.id, "question": "Q?", "answer_type": "choice"}
        )
        env["sme.readiness.item.option"].create({"item_id": item.id, "name": "A"})
        template.unlink()
        assessment.unlink()

    def test_sales_manager_reads_only(self):
        assessment = self.assessment.with_user(self.sales_manager)
        self.assertTrue(assessment.verdict)
        self.assertTrue(assessment.answer_ids.mapped("question"))
        self.assertTrue(self.template.with_user(self.sales_manager).item_ids)
        with self.assertRaises(AccessError):
            assessment.write({"notes": "no"})
        with self.assertRaises(AccessError):
            self.template.with_user(self.sales_manager).name = "no"

    def test_salesman_has_no_access(self):
        with self.assertRaises(AccessError):
            self.assessment.with_user(self.salesman).read(["verdict"])
        with self.assertRaises(AccessError):
            self.template.with_user(self.salesman).read(["name"])

    def test_multi_company_rule(self):
        other = self.env["res.company"].create({"name": "Not mine"})
        foreign = self._assessment(company_id=other.id)
        Assessment = self.env["sme.readiness.assessment"].with_user(self.consultant)
        visible = Assessment.search([("partner_id", "=", self.client_company.id)])
        self.assertIn(self.assessment, visible)
        self.assertNotIn(foreign, visible)

    def test_wizard_from_contact(self):
        client = self.env["res.partner"].create(
            {"name": "New Client", "is_company": True}
        )
        partner = client.with_user(self.consultant)
        action = partner.action_open_sme_readiness()
        self.assertEqual(action["res_model"], "sme.readiness.start")
        wizard_form = Form(
            self.env["sme.readiness.start"]
            .with_user(self.consultant)
            .with_context(**action["context"])
        )
        wizard_form.template_id = self.template
        result = wizard_form.save().action_start()
        assessment = self.env["sme.readiness.assessment"].browse(result["res_id"])
        self.assertEqual(assessment.partner_id, client)
        self.assertEqual(assessment.consultant_id, self.consultant)
        self.assertEqual(assessment.state, "in_progress")
        self.assertEqual(len(assessment.answer_ids), 5)
        partner.invalidate_recordset(["sme_readiness_assessment_count"])
        self.assertEqual(partner.sme_readiness_assessment_count, 1)
        action = partner.action_open_sme_readiness()
        self.assertEqual(action["res_model"], "sme.readiness.assessment")

    def test_form_flow_as_consultant(self):
        Assessment = self.env["sme.readiness.assessment"].with_user(self.consultant)
        form = Form(Assessment)
        form.partner_id = self.client_company
        form.template_id = self.template
        self.assertEqual(form.min_deals_per_week, 8)
        self.assertEqual(len(form.answer_ids), 5)
        form.revenue_amount = 300000
        form.salesperson_count = 10
        form.seat_cost_monthly = 3000
        self.assertEqual(form.payback_ratio, 10)
        assessment = form.save()
        self.assertEqual(len(assessment.answer_ids), 5)
        with Form(assessment) as form:
            with form.answer_ids.edit(0) as line:
                line.answer_yes_no = "no"
        self.assertTrue(assessment.answer_ids[0].blocks_verdict)
        self.assertEqual(assessment.verdict, "prepare")
        copy = assessment.copy()
        self.assertEqual(copy.state, "draft")
        self.assertEqual(len(copy.answer_ids), 5)
        self.assertFalse(copy.answer_ids[0].answer_yes_no)
