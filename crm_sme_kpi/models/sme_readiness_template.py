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

from .sme_readiness_thresholds_mixin import THRESHOLD_FIELDS


class SmeReadinessTemplate(models.Model):
    _name = "sme.readiness.template"
    _inherit = ["sme.readiness.thresholds.mixin"]
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
    # the thresholds (sme.readiness.thresholds.mixin) a new template starts with
    deal_lookback_weeks = fields.Integer(default=12)
    min_deals_per_week = fields.Float(default=8.0)
    payback_go_ratio = fields.Float(default=5.0)
    payback_postpone_ratio = fields.Float(default=3.0)
    go_min_score = fields.Float(default=60.0)

    @api.depends("item_ids")
    def _compute_item_count(self):
        for template in self:
            template.item_count = len(template.item_ids)

    @api.constrains(*THRESHOLD_FIELDS)
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
        return {name: self[name] for name in THRESHOLD_FIELDS}
