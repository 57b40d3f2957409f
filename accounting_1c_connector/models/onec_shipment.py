# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo import fields, models


class OnecShipment(models.Model):
    """A sale (goods or services shipped) from 1C."""

    _name = "onec.shipment"
    _inherit = "onec.document.mixin"
    _description = "1C Shipment"
    _order = "date desc, id desc"

    order_ref = fields.Char(string="1C Order Reference", readonly=True)
    line_count = fields.Integer(string="Lines", readonly=True)
    lines_summary = fields.Text(readonly=True)

    _sql_constraints = [
        ("ref_uniq", "unique(connection_id, ref)", "A 1C shipment is stored once.")
    ]
