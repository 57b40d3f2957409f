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

    def test_administrators_reach_1c_from_crm_configuration(self):
        """The 1C section sits in CRM > Configuration, every screen of it
        reachable without developer mode (each ancestor visible too)."""
        section = self.env.ref("accounting_1c_connector.menu_onec_technical")
        self.assertEqual(section.parent_id, self.env.ref("crm.crm_menu_config"))
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(
            [self.guarded_module], ["ru_RU"], overwrite=True
        )
        self.assertEqual(section.with_context(lang="ru_RU").name, "1С")  # Cyrillic
        screens = section.child_id
        self.assertEqual(
            set(screens.get_external_id().values()),
            {
                "accounting_1c_connector.menu_onec_connections",
                "accounting_1c_connector.menu_onec_journal",
                "accounting_1c_connector.menu_onec_failures",
                "accounting_1c_connector.menu_onec_client_exports",
            },
        )
        for role, user in self.role_users.items():
            visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            for screen in screens:
                chain = screen
                while chain[-1:].parent_id:
                    chain |= chain[-1:].parent_id
                with self.subTest(role=role, menu=screen.complete_name):
                    self.assertEqual(set(chain.ids) <= visible, role == "administrator")
