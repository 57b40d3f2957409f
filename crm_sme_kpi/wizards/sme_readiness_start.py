# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo import api, fields, models


class SmeReadinessStart(models.TransientModel):
    _name = "sme.readiness.start"
    _description = "Start a Readiness Assessment"

    partner_id = fields.Many2one("res.partner", string="Client", required=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    template_id = fields.Many2one(
        "sme.readiness.template",
        string="Checklist Template",
        required=True,
        default=lambda self: self._default_template_id(),
        domain="['|', ('company_id', '=', False), ('company_id', '=', company_id)]",
    )
    consultant_id = fields.Many2one(
        "res.users", required=True, default=lambda self: self.env.user
    )
    date = fields.Date(required=True, default=fields.Date.context_today)

    @api.model
    def _default_template_id(self):
        return self.env["sme.readiness.template"].search(
            [("company_id", "in", [self.env.company.id, False])], limit=1
        )

    def action_start(self):
        """Create the assessment (its answers come from the template), start it
        (the consultant asked to start, not to draft) and open it."""
        self.ensure_one()
        assessment = self.env["sme.readiness.assessment"].create(
            {
                "partner_id": self.partner_id.id,
                "company_id": self.company_id.id,
                "template_id": self.template_id.id,
                "consultant_id": self.consultant_id.id,
                "date": self.date,
            }
        )
        assessment.action_start()
        return {
            "type": "ir.actions.act_window",
            "res_model": assessment._name,
            "res_id": assessment.id,
            "view_mode": "form",
            "target": "current",
        }
