# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""Server-side guards of every screen an add-on adds, for every role.

What a browser does first when a person opens a screen is load its views
(``get_views``), describe its fields (``fields_get``) and, for a menu bound to
a server action, run that action. A screen that fails there shows a person an
error dialog however many model tests pass, so these guards do exactly that,
as each role, for every view, model and menu of the add-on under test. They
are fast stand-ins for the browser tours, which click the same screens.

A test class sets ``guarded_module`` and inherits ``UiGuardsMixin`` (before
``TransactionCase``).
"""

from odoo.tests import new_test_user

# role -> the groups a user of that role is given
ROLES = {
    "administrator": "base.group_system,sales_team.group_sale_manager",
    "sales_manager": "sales_team.group_sale_manager",
    "salesperson": "sales_team.group_sale_salesman",
    "consultant": "sales_team.group_sale_salesman,"
    "crm_sme_kpi.group_sme_readiness_consultant",
}


class UiGuardsMixin:
    guarded_module = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.role_users = {
            role: new_test_user(
                cls.env, login=f"guard_{cls.guarded_module}_{role}", groups=groups
            )
            for role, groups in ROLES.items()
        }

    # ---- what the module adds ------------------------------------------------

    def _module_records(self, model):
        data = self.env["ir.model.data"].search(
            [("module", "=", self.guarded_module), ("model", "=", model)]
        )
        return self.env[model].browse(data.mapped("res_id")).exists()

    def _module_models(self):
        return self._module_records("ir.model").mapped("model")

    def _visible_menus(self, user):
        """The module's menus the user sees (Odoo's own visibility rules)."""
        menus = self._module_records("ir.ui.menu")
        visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
        return menus.filtered(lambda menu: menu.id in visible)

    # ---- the guards ------------------------------------------------------------

    def test_ui_guard_every_view_loads_for_every_role(self):
        """get_views of every primary view, as every role that reads its model."""
        views = self._module_records("ir.ui.view").filtered(
            lambda v: v.mode == "primary" and v.type != "qweb"
        )
        self.assertTrue(views, "the module adds no view?")
        for role, user in self.role_users.items():
            for view in views:
                model = self.env[view.model].with_user(user)
                if not model.has_access("read"):
                    continue
                with self.subTest(role=role, view=view.xml_id or view.name):
                    result = model.get_views([(view.id, view.type)])
                    self.assertIn(view.type, result["views"])

    def test_ui_guard_fields_get_for_every_role(self):
        for role, user in self.role_users.items():
            for name in self._module_models():
                model = self.env[name].with_user(user)
                if not model.has_access("read"):
                    continue
                with self.subTest(role=role, model=name):
                    self.assertTrue(model.fields_get(attributes=["type", "string"]))

    def test_ui_guard_every_visible_menu_opens(self):
        """Every menu a role sees opens: its window action's model is readable,
        its server action runs and returns something to show."""
        for role, user in self.role_users.items():
            for menu in self._visible_menus(user):
                action = menu.action
                if not action:
                    continue
                with self.subTest(role=role, menu=menu.complete_name):
                    if action._name == "ir.actions.server":
                        result = action.with_user(user).run()
                        self.assertTrue(result, "the menu's action shows nothing")
                        model = result.get("res_model")
                    else:
                        model = action.sudo().res_model
                    if model:
                        self.assertTrue(
                            self.env[model].with_user(user).has_access("read"),
                            f"{role} sees the menu but cannot read {model}",
                        )
