# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo import api, fields, models


class OnecCustomerMixin(models.AbstractModel):
    """A 1C figure about one customer, in one currency.

    The contact comes from the 1C counterparty's binding, so re-linking a
    counterparty re-links all its figures at once.
    """

    _name = "onec.customer.mixin"
    _inherit = "onec.connection.mixin"
    _description = "1C Figure of a Customer"

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
    currency_code = fields.Char(readonly=True)
    currency_id = fields.Many2one(
        "res.currency", compute="_compute_currency_id", store=True, precompute=True
    )

    @api.depends("currency_code")
    def _compute_currency_id(self):
        """``currency_id`` from the ISO code 1C sent (one query for a batch)."""
        codes = set(self.mapped("currency_code"))
        currencies = {
            currency.name: currency
            for currency in self.env["res.currency"]
            .with_context(active_test=False)
            .search([("name", "in", list(codes))])
        }
        for record in self:
            record.currency_id = currencies.get(record.currency_code, False)
