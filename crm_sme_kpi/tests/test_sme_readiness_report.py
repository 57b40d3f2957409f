# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""The PDF report, rendered for real by wkhtmltopdf, in English and Russian.

An HttpCase: wkhtmltopdf loads the report's assets over HTTP from the test
server (``web.base.url`` points at it), so the PDF is the one users get.
"""

import io
import logging
import os
import re
import tempfile
from contextlib import contextmanager
from unittest.mock import patch

from odoo.tests import HttpCase, tagged
from odoo.tools.pdf import PdfFileReader

from .sme_readiness_common import ReadinessFixtures

REPORT = "crm_sme_kpi.action_report_sme_readiness_assessment"
REPORT_LOGGER = "odoo.addons.base.models.ir_actions_report"
# Debian's wkhtmltopdf is built on an unpatched Qt: it ignores the header and
# footer switches Odoo always passes and says so on stderr, which Odoo logs as
# a warning. Only these notices are tolerated (and kept out of the log);
# anything else wkhtmltopdf or the report says fails the test.
UNPATCHED_QT_NOTICE = re.compile(
    r"The switch --[\w-]+, is not support using unpatched qt, and will be ignored\."
)


@tagged("post_install", "-at_install")
class TestReadinessReport(ReadinessFixtures, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("ru_RU")
        cls.env["ir.module.module"]._load_module_terms(
            ["crm_sme_kpi"], ["ru_RU"], overwrite=True
        )
        template = cls.env.ref("crm_sme_kpi.sme_readiness_template_default")
        cls.assessment = cls.env["sme.readiness.assessment"].create(
            {
                "partner_id": cls.client_company.id,
                "company_id": cls.company.id,
                "consultant_id": cls.consultant.id,
                "template_id": template.id,
                "date": "2026-06-30",
                "revenue_amount": 200000,
                "revenue_period_months": 1,
                "salesperson_count": 10,
                "seat_cost_monthly": 10000,
                "deals_per_week_use_manual": True,
                "deals_per_week_manual": 7,
                "data_storage": "russia",
            }
        )
        head = cls.env.ref("crm_sme_kpi.sme_readiness_item_sales_head")
        cls.assessment.answer_ids.filtered(
            lambda a: a.item_id == head
        ).answer_yes_no = "no"

    @contextmanager
    def _wkhtmltopdf_warnings(self):
        """Collect the report's warnings instead of logging them."""
        records = []
        handler = logging.Handler(logging.WARNING)
        handler.emit = records.append
        logger = logging.getLogger(REPORT_LOGGER)
        logger.addHandler(handler)
        propagate, logger.propagate = logger.propagate, False
        # without it Qt warns that XDG_RUNTIME_DIR is not set
        runtime_dir = tempfile.mkdtemp(prefix="readiness-xdg-")
        try:
            with patch.dict(os.environ, {"XDG_RUNTIME_DIR": runtime_dir}):
                yield records
        finally:
            logger.propagate = propagate
            logger.removeHandler(handler)
            os.rmdir(runtime_dir)

    def _pdf_text(self, lang):
        self.consultant.lang = lang
        report = self.env["ir.actions.report"].with_user(self.consultant)
        with self._wkhtmltopdf_warnings() as warnings:
            pdf, kind = report.with_context(
                lang=self.consultant.lang, force_report_rendering=True
            )._render_qweb_pdf(REPORT, self.assessment.ids)
        for record in warnings:
            leftover = UNPATCHED_QT_NOTICE.sub("", record.getMessage())
            self.assertFalse(
                leftover.removeprefix("wkhtmltopdf:").strip(), record.getMessage()
            )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        reader = PdfFileReader(io.BytesIO(pdf))
        text = " ".join(page.extract_text() for page in reader.pages)
        return " ".join(text.split())

    def test_pdf_english(self):
        text = self._pdf_text("en_US")
        for fragment in (
            "CRM implementation readiness: Tutoring Ltd",
            "Verdict: Postpone or choose a cheaper tool",
            "Payback fails",
            "Too few deals to analyse: 7.0 a week (Entered by hand)",
            "The head of sales does not support the project",
            "Does the head of sales support the CRM project?: No",
            "Is a specialist implementer engaged?",
            "Servers in Russia",
            "152-FZ",
        ):
            self.assertIn(fragment, text)

    def test_pdf_russian(self):
        text = self._pdf_text("ru_RU")
        for fragment in (
            "Готовность к внедрению CRM: Tutoring Ltd",
            "Вердикт: Отложить или выбрать более дешёвый инструмент",
            "Окупаемости нет",
            "Слишком мало сделок для анализа: 7,0 в неделю (Введено вручную)",
            "Руководитель отдела продаж не поддерживает проект",
            "Поддерживает ли руководитель отдела продаж проект CRM?: Нет",
            "Привлечён ли специалист-внедренец?",
            "Серверы в России",
            "152-ФЗ",
        ):
            self.assertIn(fragment, text)
        self.assertNotIn("Payback fails", text)
