# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""The thresholds of the readiness verdict, shared by templates and
assessments (an assessment copies its template's when it is created). The defaults are
the template's: an assessment's values are computed from its template."""

from odoo import fields, models

THRESHOLD_FIELDS = (
    "deal_lookback_weeks",
    "min_deals_per_week",
    "payback_go_ratio",
    "payback_postpone_ratio",
    "go_min_score",
)


class SmeReadinessThresholdsMixin(models.AbstractModel):
    _name = "sme.readiness.thresholds.mixin"
    _description = "Readiness Verdict Thresholds"

    deal_lookback_weeks = fields.Integer(
        string="Deal Look-back (weeks)",
        help="Deals per week are the opportunities created in this many weeks "
        "before the assessment date, divided by the number of weeks.",
    )
    min_deals_per_week = fields.Float(
        string="Minimum Deals per Week",
        help="Under this deal volume there is too little to analyse: "
        "the verdict is Postpone.",
    )
    payback_go_ratio = fields.Float(
        string="Payback Ratio for Go",
        help="Monthly revenue per salesperson divided by the monthly cost of a "
        "seat: at or above this ratio the CRM clearly pays.",
    )
    payback_postpone_ratio = fields.Float(
        string="Payback Ratio for Postpone",
        help="At or below this ratio the CRM does not pay: look for a cheaper "
        "option or wait (verdict Postpone). Between the two ratios the payback "
        "is marginal (verdict Prepare first).",
    )
    go_min_score = fields.Float(
        string="Minimum Score for Go",
        help="Under this score (0-100) the verdict is at best Prepare first.",
    )
