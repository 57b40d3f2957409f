# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo import api, fields, models


class OnecDocumentMixin(models.AbstractModel):
    """What every read-only mirror of a 1C document has.

    Only the exchange writes these records (as superuser); everyone else
    reads them, within the record rules. ``active`` is False when the
    document is marked for deletion in 1C.
    """

    _name = "onec.document.mixin"
    _inherit = "onec.connection.mixin"
    _description = "1C Document (mirror)"
    _order = "date desc, id desc"

    ref = fields.Char(string="1C Reference", required=True, readonly=True)
    entity = fields.Char(readonly=True)
    name = fields.Char(string="Number", readonly=True)
    date = fields.Datetime(readonly=True, index=True)
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
    amount = fields.Monetary(readonly=True, aggregator="sum")
    currency_code = fields.Char(string="Currency Code", readonly=True)
    currency_id = fields.Many2one(
        "res.currency", compute="_compute_currency_id", store=True, precompute=True
    )
    posted = fields.Boolean(readonly=True)
    data_version = fields.Char(readonly=True)
    active = fields.Boolean(default=True, readonly=True)

    @api.depends("currency_code")
    def _compute_currency_id(self):
        compute_currency_by_code(self)


def compute_currency_by_code(records):
    """``currency_id`` from the ISO code 1C sent (one query for a batch)."""
    codes = set(records.mapped("currency_code"))
    currencies = {
        currency.name: currency
        for currency in records.env["res.currency"]
        .with_context(active_test=False)
        .search([("name", "in", list(codes))])
    }
    for record in records:
        record.currency_id = currencies.get(record.currency_code, False)
