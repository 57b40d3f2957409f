from odoo.tests import TransactionCase, tagged

from odoo.addons.crm_sme_kpi.tests.test_module import ModuleChecks

import onec_exchange


@tagged("post_install", "-at_install")
class TestConnectorModule(ModuleChecks, TransactionCase):
    module_name = "accounting_1c_connector"

    def test_exchange_package_importable(self):
        self.assertTrue(onec_exchange.__version__)
