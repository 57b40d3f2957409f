# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo import _, api, fields, models


class CrmLead(models.Model):
    """A deal holds the 1C orders of its customer that were linked to it."""

    _inherit = "crm.lead"

    onec_deal_code = fields.Char(
        string="Deal Code for 1C",
        compute="_compute_onec_deal_code",
        help="Dictate it to the accountant: written in the 1C order's comment, "
        "it links the order to this deal.",
    )
    onec_order_ids = fields.One2many("onec.order", "lead_id", string="1C Orders")
    onec_order_count = fields.Integer(
        string="1C Order Count", compute="_compute_onec_orders"
    )
    onec_order_amount = fields.Float(
        string="1C Orders Amount", compute="_compute_onec_orders", digits=(16, 2)
    )

    @api.model
    def _onec_single_open_deals(self, partner_ids):
        """``{commercial partner id: its only open deal}`` (``id`` and
        ``create_date``), for the partners that have exactly one."""
        if not partner_ids:
            return {}
        deals = self.search_read(
            [
                ("type", "=", "opportunity"),
                ("probability", "<", 100),
                ("partner_id", "child_of", list(partner_ids)),
            ],
            ["partner_id", "create_date"],
        )
        commercial = {
            partner.id: partner.commercial_partner_id.id
            for partner in self.env["res.partner"].browse(
                {deal["partner_id"][0] for deal in deals}
            )
        }
        found = {}
        for deal in deals:
            found.setdefault(commercial[deal["partner_id"][0]], []).append(deal)
        return {
            partner: deals[0] for partner, deals in found.items() if len(deals) == 1
        }

    @api.depends()
    def _compute_onec_deal_code(self):
        for lead in self:
            lead.onec_deal_code = f"CRM-{lead.id}" if lead.id else False

    def _compute_onec_orders(self):
        figures = {
            lead.id: (count, amount)
            for lead, count, amount in self.env["onec.order"]._read_group(
                [("lead_id", "in", self.ids)], ["lead_id"], ["__count", "amount:sum"]
            )
        }
        for lead in self:
            lead.onec_order_count, lead.onec_order_amount = figures.get(
                lead.id, (0, 0.0)
            )

    def action_onec_orders(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("1C Orders"),
            "res_model": "onec.order",
            "view_mode": "list,pivot,form",
            "domain": [("lead_id", "=", self.id)],
            "context": {"create": False},
        }
