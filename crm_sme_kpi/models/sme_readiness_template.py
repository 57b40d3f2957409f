# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""Checklist templates of the implementation-readiness assessment.

A template is data a consultant edits: its items (questions, answer types,
weights, what blocks) and the thresholds of the verdict (payback ratios,
minimum deal volume, minimum score). An assessment copies both when it is
created, so editing a template changes the next assessments, never the
finished ones.
"""

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SmeReadinessTemplate(models.Model):
    _name = "sme.readiness.template"
    _description = "Readiness Checklist Template"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        help="Leave empty to offer the template in every company.",
    )
    description = fields.Text(translate=True)
    item_ids = fields.One2many(
        "sme.readiness.template.item", "template_id", string="Items", copy=True
    )
    item_count = fields.Integer(compute="_compute_item_count")
    deal_lookback_weeks = fields.Integer(
        string="Deal Look-back (weeks)",
        default=12,
        help="Deals per week are the opportunities created in this many weeks "
        "before the assessment date, divided by the number of weeks.",
    )
    min_deals_per_week = fields.Float(
        string="Minimum Deals per Week",
        default=8.0,
        help="Under this deal volume there is too little to analyse: "
        "the verdict is Postpone.",
    )
    payback_go_ratio = fields.Float(
        string="Payback Ratio for Go",
        default=5.0,
        help="Monthly revenue per salesperson divided by the monthly cost of a "
        "seat: at or above this ratio the CRM clearly pays.",
    )
    payback_postpone_ratio = fields.Float(
        string="Payback Ratio for Postpone",
        default=3.0,
        help="At or below this ratio the CRM does not pay: look for a cheaper "
        "option or wait (verdict Postpone). Between the two ratios the payback "
        "is marginal (verdict Prepare first).",
    )
    go_min_score = fields.Float(
        string="Minimum Score for Go",
        default=60.0,
        help="Under this score (0-100) the verdict is at best Prepare first.",
    )

    @api.depends("item_ids")
    def _compute_item_count(self):
        for template in self:
            template.item_count = len(template.item_ids)

    @api.constrains(
        "deal_lookback_weeks",
        "min_deals_per_week",
        "payback_go_ratio",
        "payback_postpone_ratio",
        "go_min_score",
    )
    def _check_thresholds(self):
        for template in self:
            if template.deal_lookback_weeks < 1:
                raise ValidationError(
                    self.env._("The look-back must be a week or more.")
                )
            if template.min_deals_per_week < 0:
                raise ValidationError(
                    self.env._("The minimum deals per week cannot be negative.")
                )
            if not 0 <= template.payback_postpone_ratio < template.payback_go_ratio:
                raise ValidationError(
                    self.env._(
                        "The payback ratio for Postpone must be at least zero and "
                        "below the ratio for Go."
                    )
                )
            if not 0 <= template.go_min_score <= 100:
                raise ValidationError(
                    self.env._("The minimum score must be between 0 and 100.")
                )

    def _prepare_assessment_thresholds(self):
        """Values an assessment copies from its template (see its compute)."""
        self.ensure_one()
        return {
            "deal_lookback_weeks": self.deal_lookback_weeks,
            "min_deals_per_week": self.min_deals_per_week,
            "payback_go_ratio": self.payback_go_ratio,
            "payback_postpone_ratio": self.payback_postpone_ratio,
            "go_min_score": self.go_min_score,
        }
