# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo import api, fields, models


class OnecOrder(models.Model):
    """A customer order from 1C, linked to its customer and, when the rule
    finds one, to a deal (one deal can hold many orders)."""

    _name = "onec.order"
    _inherit = "onec.document.mixin"
    _description = "1C Order"
    _order = "date desc, id desc"

    status = fields.Char(
        string="1C Status",
        readonly=True,
        help="The status as 1C names it (the enumeration value).",
    )
    status_label = fields.Char(
        string="Status",
        compute="_compute_status_label",
        help="The status in the reader's language, from the connection's profile.",
    )
    comment = fields.Text(readonly=True)
    line_count = fields.Integer(string="Lines", readonly=True)
    lines_summary = fields.Text(readonly=True)
    lead_id = fields.Many2one(
        "crm.lead", string="Deal", readonly=True, index=True, ondelete="set null"
    )

    _sql_constraints = [
        ("ref_uniq", "unique(connection_id, ref)", "A 1C order is stored once.")
    ]

    @api.depends("status", "connection_id")
    @api.depends_context("lang")
    def _compute_status_label(self):
        """1C's enumeration names (``КОтгрузке``) as words; an unknown one
        shows as 1C sent it."""
        lang = self.env.lang or "en_US"
        profiles = {}
        for order in self:
            connection = order.connection_id
            if connection not in profiles:
                profiles[connection] = connection and connection._onec_profile()
            profile = profiles[connection]
            order.status_label = (
                profile.field_label("order", "status", order.status, lang)
                if profile and order.status
                else order.status
            )
