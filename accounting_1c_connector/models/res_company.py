# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    # the call list's 1C rules (see crm.sme.call.item)
    onec_call_overdue_amount = fields.Float(
        string="Overdue Debt Above",
        default=10000.0,
        help="The call list names a customer whose overdue debt in 1C exceeds "
        "this amount (in any one currency) and who was not called or met lately.",
    )
    onec_call_no_contact_days = fields.Integer(
        string="No Call or Meeting For (days)",
        default=14,
        help="An overdue debtor is named when no call or meeting with them was "
        "logged within these days.",
    )
    onec_call_rhythm_orders = fields.Integer(
        string="Regular Customer: Orders a Year",
        default=4,
        help="A customer with at least this many orders in 1C over the last "
        "365 days has an ordering rhythm.",
    )
    onec_call_rhythm_factor = fields.Float(
        string="Rhythm Broken After (× usual interval)",
        default=2.0,
        help="A regular customer is named when their last order is older than "
        "this many times their median interval between orders.",
    )
    onec_call_turnover_share = fields.Float(
        string="Falling Sales Below (%)",
        default=70.0,
        help="A customer is named when their 1C sales of the last three "
        "complete months are below this share of the same months a year before.",
    )
    onec_call_new_client_days = fields.Integer(
        string="New Client Without Order After (days)",
        default=14,
        help="A client in 1C is named when it has placed no order this many "
        "days after it became a client.",
    )
