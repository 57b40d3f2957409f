from odoo.modules.module import get_manifest
from odoo.tests import TransactionCase, tagged

# Orders, stock and invoices live in the accounting system: the add-ons must
# never pull in Odoo's own order management.
FORBIDDEN_DEPENDENCIES = {"sale", "stock", "account", "purchase"}


class ModuleChecks:
    """Checks every add-on of the product must pass; mixed into a test case."""

    module_name = None

    def test_installed(self):
        module = self.env["ir.module.module"].search([("name", "=", self.module_name)])
        self.assertEqual(module.state, "installed")

    def test_no_order_management_dependency(self):
        module = self.env["ir.module.module"].search([("name", "=", self.module_name)])
        upstream = module.upstream_dependencies(exclude_states=("uninstallable",))
        names = set(upstream.mapped("name"))
        # walk the whole dependency closure, not only direct dependencies
        while upstream:
            upstream = upstream.upstream_dependencies(exclude_states=("uninstallable",))
            names |= set(upstream.mapped("name"))
        self.assertFalse(names & FORBIDDEN_DEPENDENCIES, names & FORBIDDEN_DEPENDENCIES)
        # OCA: the Odoo series, then the add-on's own x.y.z
        self.assertRegex(
            get_manifest(self.module_name)["version"], r"^18\.0\.\d+\.\d+\.\d+$"
        )


@tagged("post_install", "-at_install")
class TestModule(ModuleChecks, TransactionCase):
    module_name = "crm_sme_kpi"
