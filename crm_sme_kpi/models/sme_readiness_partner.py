# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    sme_readiness_assessment_ids = fields.One2many(
        "sme.readiness.assessment", "partner_id", string="Readiness Assessments"
    )
    sme_readiness_assessment_count = fields.Integer(
        string="Readiness Assessment Count",
        compute="_compute_sme_readiness_assessment_count",
        groups="crm_sme_kpi.group_sme_readiness_consultant",
    )

    def _compute_sme_readiness_assessment_count(self):
        counts = dict(
            self.env["sme.readiness.assessment"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.sme_readiness_assessment_count = counts.get(partner, 0)

    def action_open_sme_readiness(self):
        """Open the client's assessments, or the start wizard when there is none."""
        self.ensure_one()
        if not self.sme_readiness_assessment_count:
            return self.action_start_sme_readiness()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_sme_kpi.action_sme_readiness_assessment"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def action_start_sme_readiness(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_sme_kpi.action_sme_readiness_start"
        )
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action
