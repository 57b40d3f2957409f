# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo import fields, models


class OnecOrder(models.Model):
    """A customer order from 1C, linked to its customer and, when the rule
    finds one, to a deal (one deal can hold many orders)."""

    _name = "onec.order"
    _inherit = "onec.document.mixin"
    _description = "1C Order"
    _order = "date desc, id desc"

    status = fields.Char(readonly=True)
    comment = fields.Text(readonly=True)
    line_count = fields.Integer(string="Lines", readonly=True)
    lines_summary = fields.Text(readonly=True)
    lead_id = fields.Many2one(
        "crm.lead", string="Deal", readonly=True, index=True, ondelete="set null"
    )

    _sql_constraints = [
        ("ref_uniq", "unique(connection_id, ref)", "A 1C order is stored once.")
    ]
