# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo.tests import tagged

from odoo.addons.crm_sme_kpi.tests import smoke_tours

from .common import standin_connection_values, start_standin

# the demo client whose card the tours open: a salesperson's own customer
LINKED_CONTACT = "Anna customer 10-1"


@tagged("post_install", "-at_install")
class TestSmokeTours(smoke_tours.SmokeTourCase):
    """The demo connection points at a stand-in and has exchanged once, with
    one demo client linked to its 1C counterparty by INN."""

    tour_prefix = "accounting_1c_connector"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        standin = start_standin(cls, counterparties=6, orders=20)
        connection = cls.env.ref("accounting_1c_connector.onec_connection_demo")
        connection.write({**standin_connection_values(standin), "active": True})
        counterparty = standin.store.legal_entity()
        cls.env["res.partner"].search([("name", "=", LINKED_CONTACT)]).write(
            {"vat": counterparty["inn"], "onec_kpp": counterparty["kpp"] or False}
        )
        # sales of this month, for the bar chart of the card's 1C tab
        order = standin.store.post_order(counterparty["ref"], 4200)
        standin.store.post_shipment(order["ref"])
        connection._onec_run()
