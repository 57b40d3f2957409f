# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo import api, fields, models

from .onec_document_mixin import compute_currency_by_code


class OnecSettlement(models.Model):
    """What a customer owes in 1C (positive) or has prepaid (negative), per
    currency; as of the connection's last settlements snapshot."""

    _name = "onec.settlement"
    _inherit = "onec.connection.mixin"
    _description = "1C Settlement"
    _order = "balance desc"
    _rec_name = "counterparty_ref"

    counterparty_ref = fields.Char(string="1C Counterparty", readonly=True, index=True)
    counterparty_id = fields.Many2one(
        "onec.counterparty", readonly=True, index=True, ondelete="set null"
    )
    partner_id = fields.Many2one(
        related="counterparty_id.partner_id",
        store=True,
        precompute=True,
        index=True,
        string="Customer",
    )
    balance = fields.Monetary(readonly=True, aggregator="sum")
    overdue = fields.Monetary(string="Overdue Debt", readonly=True, aggregator="sum")
    currency_code = fields.Char(readonly=True)
    currency_id = fields.Many2one(
        "res.currency", compute="_compute_currency_id", store=True, precompute=True
    )
    as_of = fields.Datetime(related="connection_id.settlements_as_of", string="As Of")

    _sql_constraints = [
        (
            "counterparty_uniq",
            "unique(connection_id, counterparty_ref, currency_code)",
            "One balance per counterparty and currency.",
        )
    ]

    @api.depends("currency_code")
    def _compute_currency_id(self):
        compute_currency_by_code(self)
