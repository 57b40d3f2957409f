# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    sme_kpi_negotiation_stage_id = fields.Many2one(
        "crm.stage",
        string="Negotiation Stage",
        help="Open deals in this stage give the average deal value at negotiation.",
    )
    sme_kpi_low_conversion_pct = fields.Float(
        string="Low Conversion Threshold (%)",
        default=50.0,
        help="Flag a salesperson with at least the team median of incoming leads "
        "whose conversion rate is below this share of the team median rate.",
    )
    sme_kpi_high_meetings_pct = fields.Float(
        string="High Meetings Threshold (%)",
        default=150.0,
        help="Flag a salesperson without won deals whose meetings exceed this "
        "share of the team median.",
    )
    sme_kpi_first_contact_hours = fields.Integer(
        string="First Contact Deadline (hours)",
        default=24,
        help="Flag new leads left without a first logged contact for longer.",
    )
