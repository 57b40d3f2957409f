# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from collections import defaultdict

from odoo import api, fields, models

from ..deal_linker import DealLinker, OrderToLink


class OnecOrder(models.Model):
    """A customer order from 1C, linked to its customer and, when the deal
    rule finds one, to a deal (one deal can hold many orders)."""

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

    def _onec_to_link(self):
        """What the deal rule reads of this order."""
        self.ensure_one()
        return OrderToLink(
            name=self.name,
            partner_id=self.partner_id.id,
            comment=self.comment,
            date=self.date,
            lead_id=self.lead_id.id,
        )

    def _onec_link_deals(self):
        """Apply the deal rule to these orders again; its notes for a person
        go to the journal of their connection."""
        links = {order: order._onec_to_link() for order in self}
        linker = DealLinker(self.env, links.values())
        by_deal = defaultdict(self.browse)
        notes = defaultdict(list)
        for order, link in links.items():
            lead_id, order_notes = linker.deal_for(link)
            if lead_id != order.lead_id.id:
                by_deal[lead_id] |= order
            notes[order.connection_id] += order_notes
        for lead_id, orders in by_deal.items():
            orders.lead_id = lead_id  # one write per deal, not per order
        for connection, lines in notes.items():
            if lines:
                self.env["onec.exchange.run"]._onec_journal_notes(
                    connection, "order", lines
                )
