# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SmeReadinessItemOption(models.Model):
    _name = "sme.readiness.item.option"
    _description = "Readiness Checklist Answer Option"
    _order = "item_id, sequence, id"

    item_id = fields.Many2one(
        "sme.readiness.template.item", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    score = fields.Float(
        string="Score (%)", default=100.0, help="Share of the item's weight, 0-100."
    )
    blocking = fields.Boolean(
        help="Choosing this option blocks the Go verdict when the item blocks."
    )

    @api.constrains("score")
    def _check_score(self):
        if any(not 0 <= option.score <= 100 for option in self):
            raise ValidationError(self.env._("An option's score is between 0 and 100."))
