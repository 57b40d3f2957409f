# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""The Russian translation covers what the add-on shows."""

from lxml import etree

from odoo.tests import TransactionCase, tagged

# labels spelled the same in both languages
SAME_IN_RUSSIAN = {"ID"}


@tagged("post_install", "-at_install")
class TestRussianTranslation(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for lang in ("en_US", "ru_RU"):
            cls.env["res.lang"]._activate_lang(lang)
        cls.env["ir.module.module"]._load_module_terms(
            ["crm_sme_kpi"], ["ru_RU"], overwrite=True
        )
        cls.ru = cls.env(context=dict(cls.env.context, lang="ru_RU"))

    def _module_records(self, model):
        data = self.env["ir.model.data"].search(
            [("module", "=", "crm_sme_kpi"), ("model", "=", model)]
        )
        return self.env[model].browse(data.mapped("res_id"))

    def test_every_field_label_translated(self):
        """A label shared with another model (Client, Date, Company...) is
        translated on every model that has it, not only on the first."""
        untranslated = [
            f"{field.model}.{field.name}: {field.field_description}"
            for field in self._module_records("ir.model.fields")
            if field.field_description not in SAME_IN_RUSSIAN
            and field.with_env(self.ru).field_description == field.field_description
        ]
        self.assertFalse(untranslated)

    def test_assessment_form_in_russian(self):
        assessment = self.ru["sme.readiness.assessment"]
        fields = assessment.fields_get(["partner_id", "date"], ["string"])
        self.assertEqual(fields["partner_id"]["string"], "Клиент")
        self.assertEqual(fields["date"]["string"], "Дата")
        view = self.env.ref("crm_sme_kpi.sme_readiness_assessment_view_form")
        result = assessment.get_views([(view.id, "form")])
        described = result["models"]["sme.readiness.assessment"]["fields"]
        self.assertEqual(described["partner_id"]["string"], "Клиент")
        self.assertEqual(described["date"]["string"], "Дата")
        arch = etree.fromstring(result["views"]["form"]["arch"])
        self.assertTrue(arch.xpath("//field[@name='partner_id']"))

    def test_creation_message_in_russian(self):
        model = self.ru["ir.model"]._get("sme.readiness.assessment")
        self.assertEqual(model.name, "Оценка готовности к внедрению CRM")
        partner = self.env["res.partner"].create({"name": "Тест", "is_company": True})
        template = self.env["sme.readiness.template"].create({"name": "Тест"})
        assessment = self.ru["sme.readiness.assessment"].create(
            {"partner_id": partner.id, "template_id": template.id}
        )
        bodies = " ".join(str(body) for body in assessment.message_ids.mapped("body"))
        self.assertIn("Оценка готовности к внедрению CRM", bodies)
        self.assertNotIn("Readiness Assessment", bodies)
