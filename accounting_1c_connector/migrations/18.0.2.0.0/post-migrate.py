# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""18.0.2.0.0: orders linked to another customer's deal (a deal code was
followed whatever the customer) follow the deal rule again; the journal
lists them for a person."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    orders = (
        env["onec.order"]
        .with_context(active_test=False)
        .search([("lead_id", "!=", False)])
    )
    astray = orders.filtered(
        lambda order: (
            order.lead_id.partner_id.commercial_partner_id
            != order.partner_id.commercial_partner_id
        )
    )
    astray._onec_link_deals()
