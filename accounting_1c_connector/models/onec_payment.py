# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo import fields, models


class OnecPayment(models.Model):
    """Money received from a customer (bank transfer or cash) in 1C."""

    _name = "onec.payment"
    _inherit = "onec.document.mixin"
    _description = "1C Payment"
    _order = "date desc, id desc"

    kind = fields.Selection([("bank", "Bank"), ("cash", "Cash")], readonly=True)
    order_ref = fields.Char(string="1C Order Reference", readonly=True)

    _sql_constraints = [
        ("ref_uniq", "unique(connection_id, ref)", "A 1C payment is stored once.")
    ]
