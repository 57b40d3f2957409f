# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""The checklist on the assessment form: one Answer column, by category."""

from lxml import etree

from odoo import Command
from odoo.tests import Form, tagged

from .sme_readiness_common import ReadinessCase

ANSWER_FIELDS = {
    "answer_yes_no", "answer_scale", "answer_option_id", "answer_number",
    "answer_text",
}  # fmt: skip


@tagged("post_install", "-at_install")
class TestReadinessChecklist(ReadinessCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for lang in ("en_US", "ru_RU"):
            cls.env["res.lang"]._activate_lang(lang)
        cls.env = cls.env(context=dict(cls.env.context, lang="en_US"))

    def _checklist_views(self):
        view = self.env.ref("crm_sme_kpi.sme_readiness_assessment_view_form")
        result = (
            self.env["sme.readiness.assessment"]
            .with_user(self.consultant)
            .get_views([(view.id, "form")])
        )
        arch = etree.fromstring(result["views"]["form"]["arch"])
        (checklist,) = arch.xpath("//field[@name='answer_ids']")
        return checklist, result["models"]["sme.readiness.answer"]["fields"]

    def test_one_answer_column(self):
        checklist, fields = self._checklist_views()
        (columns,) = checklist.xpath("./list")
        visible = [
            field
            for field in columns.xpath("./field")
            if field.get("column_invisible") not in ("1", "True")
        ]
        headers = [field.get("string") or fields[field.get("name")]["string"]
                   for field in visible]  # fmt: skip
        self.assertEqual(headers.count("Answer"), 1, headers)
        self.assertIn("answer_display", [field.get("name") for field in visible])
        self.assertFalse(ANSWER_FIELDS & {field.get("name") for field in visible})
        # the category is read, not edited, in the list
        (category,) = columns.xpath("./field[@name='category']")
        self.assertIn(category.get("readonly"), ("1", "True"))
        # a line is answered in its dialog, with the widget of its type
        self.assertFalse(columns.get("editable"))
        (dialog,) = checklist.xpath("./form")
        self.assertEqual(
            {f.get("name") for f in dialog.xpath(".//field")} & ANSWER_FIELDS,
            ANSWER_FIELDS,
        )

    def test_answer_in_dialog_shows_in_column(self):
        assessment = self._assessment()
        with Form(assessment.with_user(self.consultant)) as form:
            types = [line["answer_type"] for line in form.answer_ids._records]
            number, yes_no = types.index("number"), types.index("yes_no")
            with form.answer_ids.edit(number) as line:
                line.answer_number = 2.5
            with form.answer_ids.edit(yes_no) as line:
                line.answer_yes_no = "no"
            # the list's one Answer column shows what the dialogs set
            rows = form.answer_ids._records
            self.assertEqual(rows[number]["answer_display"], "2.5")
            self.assertEqual(rows[yes_no]["answer_display"], "No")
        budget = self._answer(assessment, self.item_budget)
        self.assertEqual(budget.answer_number, 2.5)
        self.assertEqual(budget.answer_display, "2.5")
        self.assertTrue(self._answer(assessment, self.item_head).blocks_verdict)
        self.assertEqual(budget.with_context(lang="ru_RU").answer_display, "2,5")

    def test_lines_by_category(self):
        """A template's items out of category order: the checklist shows each
        category's lines together, in the categories' order."""
        self.template.item_ids = [
            Command.create(
                {"category": "people", "question": "Late people item",
                 "sequence": 500}
            ),
            Command.create(
                {"category": "need", "question": "Early need item", "sequence": 1}
            ),
        ]  # fmt: skip
        expected = ["people"] * 4 + ["money", "technical", "need"]
        assessment = self._assessment()
        self.assertEqual(assessment.answer_ids.mapped("category"), expected)
        self.assertEqual(assessment.answer_ids[3].question, "Late people item")
        assessment.invalidate_recordset(["answer_ids"])
        self.assertEqual(assessment.answer_ids.mapped("category"), expected)
        # the same order in a new form, before the draft is saved
        form = Form(self.env["sme.readiness.assessment"].with_user(self.consultant))
        form.partner_id = self.client_company
        form.template_id = self.template
        self.assertEqual(
            [line["category"] for line in form.answer_ids._records], expected
        )
