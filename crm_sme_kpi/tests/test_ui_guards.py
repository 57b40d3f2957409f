# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo.tests import TransactionCase, tagged

from .ui_guards import UiGuardsMixin


@tagged("post_install", "-at_install")
class TestUiGuards(UiGuardsMixin, TransactionCase):
    guarded_module = "crm_sme_kpi"

    def test_salesperson_sees_no_flags_or_readiness_menus(self):
        menus = self._visible_menus(self.role_users["salesperson"])
        xmlids = set(menus.get_external_id().values())
        self.assertIn("crm_sme_kpi.crm_sme_kpi_summary_menu", xmlids)
        self.assertIn("crm_sme_kpi.crm_sme_call_item_menu", xmlids)
        self.assertNotIn("crm_sme_kpi.crm_kpi_flag_menu", xmlids)
        self.assertNotIn("crm_sme_kpi.menu_sme_readiness_root", xmlids)

    def test_user_form_keeps_selections_for_sales_and_readiness(self):
        """The consultant group must not turn Sales into checkboxes."""
        kinds = {
            app: kind
            for app, kind, _groups, _name in self.env[
                "res.groups"
            ].get_groups_by_application()
        }
        for category in (
            "base.module_category_sales_sales",
            "crm_sme_kpi.module_category_sme_readiness",
        ):
            with self.subTest(category=category):
                self.assertEqual(kinds[self.env.ref(category)], "selection")
