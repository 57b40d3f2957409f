# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
import importlib.util
from datetime import date, timedelta

from odoo import fields
from odoo.modules.module import get_module_path
from odoo.tests import new_test_user, tagged
from odoo.tools.sql import TableKind, table_kind

from .common import KpiCase, dt
from .sme_readiness_common import ReadinessCase


def _migration(version, name):
    path = f"{get_module_path('crm_sme_kpi')}/migrations/{version}/{name}.py"
    spec = importlib.util.spec_from_file_location(f"crm_sme_kpi_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestMigration(KpiCase):
    """A database installed before 18.0.2.0.0 gets what a new install gets."""

    def _sql(self, query, *params):
        self.env.flush_all()
        self.env.cr.execute(query, params)
        self.env.invalidate_all()

    def test_2_0_0(self):
        seller = self._user("kpi_mig_seller")
        employee = new_test_user(self.env, login="kpi_mig_staff", name="Staff")
        customer = self.env["res.partner"].create(
            {"name": "KPI Mig Co", "is_company": True}
        )
        self._lead(seller, dt(2025, 3, 3), partner=customer, won=dt(2025, 3, 20))
        for i in range(3):
            self._lead(seller, dt(2025, 3, 4 + i))
        flag = self.env["crm.kpi.flag"].create(
            {
                "rule": "low_conversion",
                "user_id": seller.id,
                "company_id": self.company.id,
                "period_start": date(2025, 3, 1),
                "value": 25.0,
                "team_median": 50.0,
            }
        )
        # as 18.0.1.0.0 left them
        self._sql(
            "UPDATE res_partner SET sme_customer_state = 'lead', "
            "sme_client_source = NULL WHERE id IN %s",
            (employee.partner_id.id, customer.id),
        )
        self._sql(
            "UPDATE crm_kpi_flag SET threshold = NULL, leads_received = NULL, "
            "team_median_leads = NULL WHERE id = %s",
            flag.id,
        )
        self.assertEqual(employee.partner_id.sme_customer_state, "lead")

        _migration("18.0.2.0.0", "post-migration").migrate(self.env.cr, "18.0.1.0.0")
        self.env.invalidate_all()

        self.assertFalse(employee.partner_id.sme_customer_state)
        self.assertEqual(customer.sme_customer_state, "client")
        self.assertEqual(customer.sme_client_source, "won_deal")
        self.assertEqual((flag.leads_received, flag.team_median_leads), (4, 4.0))
        self.assertEqual(flag.threshold, self.company.sme_kpi_low_conversion_pct)
        self.assertIn("received 4 leads", flag.with_context(lang="en_US").explanation)

    def test_3_0_0(self):
        """The materialized view of 18.0.2.0.0 gives way to the live figures,
        with the same figures; its hourly refresh and time stamp go."""
        seller = self._user("kpi_mig3_seller")
        lead = self._lead(seller, dt(2025, 3, 3, 9), won=dt(2025, 3, 20), revenue=700)
        self._done(lead, seller, self.call_type, dt(2025, 3, 3, 12))
        measures = ["leads_received:sum", "calls:sum", "won_revenue:sum",
                    "first_contact_hours:avg"]  # fmt: skip
        report = self.env["crm.sme.kpi.report"]
        before = report._read_group([("user_id", "=", seller.id)], [], measures)
        # as 18.0.2.0.0 left it
        self._sql("DROP VIEW crm_sme_kpi_report CASCADE")
        self._sql("CREATE MATERIALIZED VIEW crm_sme_kpi_report AS SELECT 1 AS id")
        self._sql("DELETE FROM crm_sme_kpi_rollup")
        cron = self.env["ir.cron"].create(
            {
                "name": "CRM: refresh sales effectiveness figures",
                "model_id": self.env["ir.model"]._get_id("crm.sme.kpi.report"),
                "code": "model.browse()",
            }
        )
        self.env["ir.model.data"].create(
            {
                "module": "crm_sme_kpi",
                "name": "ir_cron_refresh_kpi_figures",
                "model": "ir.cron",
                "res_id": cron.id,
            }
        )
        param = "crm_sme_kpi.figures_refreshed_at"
        self.env["ir.config_parameter"].set_param(param, "2026-11-30 10:00:00")

        # the update: the views are made again, then the migration runs
        for model in ("crm.sme.kpi.report", "crm.sme.kpi.summary"):
            self.env[model].init()
        _migration("18.0.3.0.0", "post-migration").migrate(self.env.cr, "18.0.2.0.0")
        self.env.invalidate_all()

        self.assertEqual(table_kind(self.env.cr, "crm_sme_kpi_report"), TableKind.View)
        self.assertEqual(
            report._read_group([("user_id", "=", seller.id)], [], measures), before
        )
        self.assertEqual(before, [(1, 1, 700.0, 3.0)])
        self.assertFalse(cron.exists())
        self.assertFalse(self.env["ir.config_parameter"].get_param(param))

    def test_3_3_0(self):
        """The activities of the open call-list items get their mark."""
        self.company.write(
            {"sme_kpi_first_contact_hours": 24, "sme_call_lead_days": 30}
        )
        seller = self._user("kpi_mig33_seller")
        self._lead(seller, fields.Datetime.now() - timedelta(hours=30))
        item = self.env["crm.sme.call.item"]._build_call_lists(self.company)[0]
        self.assertTrue(item.activity_id)
        # as 18.0.3.2.0 left it
        self._sql("UPDATE mail_activity SET sme_call_listed = NULL")
        _migration("18.0.3.3.0", "post-migration").migrate(self.env.cr, "18.0.3.2.0")
        self.env.invalidate_all()
        self.assertTrue(item.activity_id.sme_call_listed)


@tagged("post_install", "-at_install")
class TestMigrationReadiness(ReadinessCase):
    def test_3_0_0_answers_keep_whether_they_block(self):
        head = self._answer(self._assessment(), self.item_head)
        head.answer_yes_no = "no"
        self.assertTrue(head.blocks_verdict)
        self.env.flush_all()
        # as 18.0.2.0.0 named it
        self.env.cr.execute(
            "ALTER TABLE sme_readiness_answer"
            " RENAME COLUMN blocks_verdict TO is_blocking"
        )
        _migration("18.0.3.0.0", "pre-migration").migrate(self.env.cr, "18.0.2.0.0")
        self.env.invalidate_all()
        self.assertTrue(head.blocks_verdict)
