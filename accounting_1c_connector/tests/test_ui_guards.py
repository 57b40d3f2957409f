# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo.tests import TransactionCase, tagged

from odoo.addons.crm_sme_kpi.tests.ui_guards import UiGuardsMixin


@tagged("post_install", "-at_install")
class TestUiGuards(UiGuardsMixin, TransactionCase):
    guarded_module = "accounting_1c_connector"

    def test_only_administrators_see_the_connections(self):
        for role, user in self.role_users.items():
            xmlids = set(self._visible_menus(user).get_external_id().values())
            with self.subTest(role=role):
                self.assertEqual(
                    "accounting_1c_connector.menu_onec_connections" in xmlids,
                    role == "administrator",
                )
