# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo import api, fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # not tracked (a related field takes its target's tracking): the deal's
    # chatter says it was won, the customer's when it became a client; and
    # a tracked field is read, with its customer, at every write of a lead
    sme_customer_state = fields.Selection(
        related="partner_id.commercial_partner_id.sme_customer_state",
        string="Lead or Client",
        tracking=False,
    )

    # ---- CRUD ----------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        leads._sme_mark_won_partners_as_clients()
        return leads

    def write(self, vals):
        res = super().write(vals)
        if vals.get("stage_id") or vals.get("probability") == 100:
            self._sme_mark_won_partners_as_clients()
        return res

    # ---- business methods ----------------------------------------------------

    def _sme_mark_won_partners_as_clients(self):
        """A won deal makes its customer (commercial partner) a client.

        :return: the commercial partners that have just become clients
        """
        became = self.env["res.partner"]
        for lead in self.filtered(lambda x: x.stage_id.is_won and x.partner_id):
            became |= lead.partner_id._sme_mark_as_client(
                "won_deal", reference=lead.name
            )
        return became
