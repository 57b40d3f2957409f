# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo import api, fields, models
from odoo.exceptions import ValidationError

CATEGORIES = [
    ("people", "People"),
    ("money", "Money"),
    ("technical", "Technical"),
    ("need", "Need"),
    ("other", "Other"),
]
ANSWER_TYPES = [
    ("yes_no", "Yes / No"),
    ("scale", "Scale 0-5"),
    ("choice", "Choice"),
    ("number", "Number"),
    ("text", "Text"),
]
YES_NO = [("yes", "Yes"), ("no", "No")]
SCALE_MAX = 5

# the fields an answer copies from its item when the assessment is created
ITEM_FIELDS_COPIED = (
    "sequence",
    "category",
    "question",
    "explanation",
    "answer_type",
    "weight",
    "positive_answer",
    "threshold",
    "blocking",
    "blocking_sentence",
)


class SmeReadinessTemplateItem(models.Model):
    _name = "sme.readiness.template.item"
    _description = "Readiness Checklist Item"
    _order = "template_id, sequence, id"
    _rec_name = "question"

    template_id = fields.Many2one(
        "sme.readiness.template", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="template_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    category = fields.Selection(CATEGORIES, required=True, default="other")
    question = fields.Char(required=True, translate=True)
    explanation = fields.Text(
        translate=True, help="Why the question matters; printed under it."
    )
    answer_type = fields.Selection(ANSWER_TYPES, required=True, default="yes_no")
    weight = fields.Float(
        default=1.0,
        help="Share of the item in the score; 0 keeps it out of the score. "
        "Text answers are never scored.",
    )
    positive_answer = fields.Selection(
        YES_NO,
        string="Good Answer",
        default="yes",
        help="Yes/No items: the answer that scores and does not block.",
    )
    threshold = fields.Float(
        string="Pass Threshold",
        help="Scale and number items: an answer under this value fails "
        "(and blocks when the item blocks).",
    )
    blocking = fields.Boolean(
        help="A failing answer blocks the Go verdict (Prepare first). "
        "Yes/No: the answer other than the good one; scale and number: under "
        "the threshold; choice: the options marked as blocking.",
    )
    blocking_sentence = fields.Text(
        translate=True, help="Sentence of the verdict when this item blocks."
    )
    option_ids = fields.One2many(
        "sme.readiness.item.option", "item_id", string="Options", copy=True
    )

    @api.constrains("answer_type", "threshold", "weight")
    def _check_values(self):
        for item in self:
            if item.weight < 0:
                raise ValidationError(self.env._("A weight cannot be negative."))
            if item.answer_type == "scale" and not 0 <= item.threshold <= SCALE_MAX:
                raise ValidationError(
                    self.env._(
                        "The threshold of a scale item must be between 0 and %(max)s.",
                        max=SCALE_MAX,
                    )
                )

    def _prepare_answer_values(self):
        """The values of a new answer: a copy of this item's settings."""
        self.ensure_one()
        values = {name: self[name] for name in ITEM_FIELDS_COPIED}
        values["item_id"] = self.id
        return values
