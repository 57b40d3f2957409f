# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo import fields, models

# the company is read with its stored fields at nearly every request: the
# settings below are read together, and only when one of them is
PREFETCH = "sme_kpi_settings"


class ResCompany(models.Model):
    _inherit = "res.company"

    sme_kpi_negotiation_stage_id = fields.Many2one(
        "crm.stage",
        string="Negotiation Stage",
        help="Open deals in this stage give the average deal value at negotiation.",
        prefetch=PREFETCH,
    )
    sme_kpi_low_conversion_pct = fields.Float(
        string="Low Conversion Threshold (%)",
        default=50.0,
        help="Flag a salesperson with at least the team median of incoming leads "
        "whose conversion rate is below this share of the team median rate.",
        prefetch=PREFETCH,
    )
    sme_kpi_high_meetings_pct = fields.Float(
        string="High Meetings Threshold (%)",
        default=150.0,
        help="Flag a salesperson without won deals whose meetings exceed this "
        "share of the team median.",
        prefetch=PREFETCH,
    )
    sme_kpi_first_contact_hours = fields.Integer(
        string="First Contact Deadline (hours)",
        default=24,
        help="Flag new leads left without a first logged contact for longer.",
        prefetch=PREFETCH,
    )
    sme_call_list_hour = fields.Integer(
        string="Call List Hour",
        default=8,
        help="The hour of the morning (the company's time zone) from which the "
        "day's call lists are built.",
        prefetch=PREFETCH,
    )
    sme_call_list_date = fields.Date(
        string="Call Lists Built On",
        readonly=True,
        help="The last day the call lists of this company were built.",
        prefetch=PREFETCH,
    )
    sme_call_repeat_days = fields.Integer(
        string="Call Again After (days)",
        default=7,
        help="A call-list item worked or dismissed is not given again for the "
        "same customer and reason within these days.",
        prefetch=PREFETCH,
    )
    sme_call_lead_days = fields.Integer(
        string="Leads to Contact: Received Within (days)",
        default=30,
        help="The call list names leads still without a first contact when "
        "they were received within these days.",
        prefetch=PREFETCH,
    )
