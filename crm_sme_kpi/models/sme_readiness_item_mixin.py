# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""The settings of a checklist item, shared by template items and answers.

An answer holds its own copy of these fields (taken from its item when the
assessment is created), so template edits do not rewrite existing answers.
"""

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
# what an answer copies from its item: every field of the mixin
ITEM_SETTING_FIELDS = (
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


class SmeReadinessItemMixin(models.AbstractModel):
    _name = "sme.readiness.item.mixin"
    _description = "Readiness Checklist Item Settings"

    sequence = fields.Integer(default=10)
    category = fields.Selection(CATEGORIES, required=True, default="other")
    category_sequence = fields.Integer(
        compute="_compute_category_sequence",
        store=True,
        help="Place of the category in the checklist: its items are shown "
        "together, in the order of the categories.",
    )
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

    @api.depends("category")
    def _compute_category_sequence(self):
        places = {key: place for place, (key, _label) in enumerate(CATEGORIES)}
        for item in self:
            item.category_sequence = places.get(item.category, len(places))

    def _sorted_by_category(self):
        """The items in checklist order: by category, then by sequence."""
        return self.sorted(
            lambda i: (i.category_sequence, i.sequence, i._origin.id or 0)
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
