# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    onec_call_overdue_amount = fields.Float(
        related="company_id.onec_call_overdue_amount", readonly=False
    )
    onec_call_no_contact_days = fields.Integer(
        related="company_id.onec_call_no_contact_days", readonly=False
    )
    onec_call_rhythm_orders = fields.Integer(
        related="company_id.onec_call_rhythm_orders", readonly=False
    )
    onec_call_rhythm_factor = fields.Float(
        related="company_id.onec_call_rhythm_factor", readonly=False
    )
    onec_call_turnover_share = fields.Float(
        related="company_id.onec_call_turnover_share", readonly=False
    )
    onec_call_new_client_days = fields.Integer(
        related="company_id.onec_call_new_client_days", readonly=False
    )
