# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo import fields, models


class OnecSalesMonth(models.Model):
    """A customer's sales of one calendar month, from the sales register of
    1C (its ``Turnovers``): the last twelve months, read with all balances."""

    _name = "onec.sales.month"
    _inherit = "onec.customer.mixin"
    _description = "1C Sales of a Month"
    _order = "month desc"
    _rec_name = "month"

    counterparty_ref = fields.Char(string="1C Counterparty", readonly=True, index=True)
    month = fields.Date(readonly=True, required=True, help="Its first day.")
    amount = fields.Monetary(string="Sales", readonly=True, aggregator="sum")

    _sql_constraints = [
        (
            "month_uniq",
            "unique(connection_id, counterparty_ref, month)",
            "One amount per counterparty and month.",
        )
    ]
