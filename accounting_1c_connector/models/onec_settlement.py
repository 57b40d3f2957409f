# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo import fields, models


class OnecSettlement(models.Model):
    """What a customer owes in 1C (positive) or has prepaid (negative), per
    currency; as of the connection's last settlements snapshot."""

    _name = "onec.settlement"
    _inherit = "onec.customer.mixin"
    _description = "1C Settlement"
    _order = "balance desc"
    _rec_name = "counterparty_ref"

    counterparty_ref = fields.Char(string="1C Counterparty", readonly=True, index=True)
    balance = fields.Monetary(readonly=True, aggregator="sum")
    overdue = fields.Monetary(string="Overdue Debt", readonly=True, aggregator="sum")
    overdue_estimated = fields.Boolean(
        string="Overdue Estimated",
        readonly=True,
        help="Estimated from the profile's payment terms: this 1C configuration "
        "keeps no due dates.",
    )
    as_of = fields.Datetime(related="connection_id.settlements_as_of", string="As Of")

    _sql_constraints = [
        (
            "counterparty_uniq",
            "unique(connection_id, counterparty_ref, currency_code)",
            "One balance per counterparty and currency.",
        )
    ]
