# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sme_kpi_negotiation_stage_id = fields.Many2one(
        related="company_id.sme_kpi_negotiation_stage_id", readonly=False
    )
    sme_kpi_low_conversion_pct = fields.Float(
        related="company_id.sme_kpi_low_conversion_pct", readonly=False
    )
    sme_kpi_high_meetings_pct = fields.Float(
        related="company_id.sme_kpi_high_meetings_pct", readonly=False
    )
    sme_kpi_first_contact_hours = fields.Integer(
        related="company_id.sme_kpi_first_contact_hours", readonly=False
    )
    sme_call_list_hour = fields.Integer(
        related="company_id.sme_call_list_hour", readonly=False
    )
    sme_call_repeat_days = fields.Integer(
        related="company_id.sme_call_repeat_days", readonly=False
    )
    sme_call_lead_days = fields.Integer(
        related="company_id.sme_call_lead_days", readonly=False
    )
