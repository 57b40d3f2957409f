# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""One answer of an assessment: a copy of its checklist item plus the value.

The item's settings (question, type, weight, what blocks) are copied when the
assessment is created, so later template edits leave this answer alone.
"""

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.misc import formatLang, get_lang

from .sme_readiness_item_mixin import SCALE_MAX, YES_NO

SCALE = [(str(value), str(value)) for value in range(SCALE_MAX + 1)]
ANSWER_FIELDS = {
    "yes_no": "answer_yes_no",
    "scale": "answer_scale",
    "choice": "answer_option_id",
    "number": "answer_number",
    "text": "answer_text",
}


class SmeReadinessAnswer(models.Model):
    _name = "sme.readiness.answer"
    _inherit = ["sme.readiness.item.mixin"]
    _description = "Readiness Assessment Answer"
    _order = "assessment_id, category_sequence, sequence, id"
    _rec_name = "question"

    assessment_id = fields.Many2one(
        "sme.readiness.assessment", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="assessment_id.company_id", store=True)
    item_id = fields.Many2one(
        "sme.readiness.template.item", string="Template Item", ondelete="set null"
    )
    # ---- the answer ----
    answer_yes_no = fields.Selection(YES_NO, string="Yes / No")
    answer_scale = fields.Selection(SCALE, string="Scale 0-5")
    answer_option_id = fields.Many2one(
        "sme.readiness.item.option",
        string="Option",
        domain="[('item_id', '=', item_id)]",
        ondelete="set null",
    )
    answer_number = fields.Float(string="Number")
    answer_text = fields.Text(string="Text")
    note = fields.Text(string="Consultant's Note")
    # ---- evaluation ----
    is_answered = fields.Boolean(compute="_compute_evaluation", store=True)
    is_scored = fields.Boolean(compute="_compute_evaluation", store=True)
    is_failed = fields.Boolean(compute="_compute_evaluation", store=True)
    blocks_verdict = fields.Boolean(
        string="Blocks the Verdict",
        compute="_compute_evaluation",
        store=True,
        help="The answer fails an item that blocks: the verdict is Prepare first.",
    )
    score_fraction = fields.Float(
        compute="_compute_evaluation", store=True, help="0 to 1 of the weight."
    )
    score_points = fields.Float(compute="_compute_evaluation", store=True)
    answer_display = fields.Char(string="Answer", compute="_compute_answer_display")

    # The option's score and blocking flag are read when the option is chosen:
    # depending on answer_option_id only (not on its fields) keeps later edits
    # of the template's options from rewriting existing answers.
    @api.depends(
        "answer_type",
        "weight",
        "positive_answer",
        "threshold",
        "blocking",
        "answer_yes_no",
        "answer_scale",
        "answer_option_id",
        "answer_number",
        "answer_text",
    )
    def _compute_evaluation(self):
        for answer in self:
            answered, fraction, failed = answer._evaluate()
            answer.is_answered = answered
            answer.is_scored = answer.answer_type != "text" and answer.weight > 0
            answer.is_failed = failed
            answer.blocks_verdict = answer.blocking and failed
            answer.score_fraction = fraction if answer.is_scored else 0.0
            answer.score_points = answer.score_fraction * answer.weight

    @api.depends_context("lang")
    @api.depends(
        "answer_type",
        "answer_yes_no",
        "answer_scale",
        "answer_option_id",
        "answer_number",
        "answer_text",
    )
    def _compute_answer_display(self):
        yes_no = dict(self._fields["answer_yes_no"]._description_selection(self.env))
        for answer in self:
            kind, value = answer.answer_type, answer._answer_value()
            if not value:
                display = ""
            elif kind == "yes_no":
                display = yes_no[value]
            elif kind == "scale":
                display = f"{value}/{SCALE_MAX}"
            elif kind == "choice":
                display = value.name
            elif kind == "number":
                display = answer._format_number(value)
            else:
                display = value
            answer.answer_display = display

    def _format_number(self, value):
        """A number in the reader's language, without trailing zeros."""
        lang = get_lang(self.env)
        text = formatLang(self.env, value, digits=6)
        return text.rstrip("0").rstrip(lang.decimal_point)

    # ---- CRUD ----

    @api.model_create_multi
    def create(self, vals_list):
        """Complete the values with the item's settings, in every language.

        A form sends only the fields its view shows: what is missing comes
        from the item.
        """
        Item = self.env["sme.readiness.template.item"]
        for vals in vals_list:
            if vals.get("item_id"):
                item_values = Item.browse(vals["item_id"])._prepare_answer_values()
                for name, value in item_values.items():
                    vals.setdefault(name, value)
        answers = super().create(vals_list)
        answers.filtered("item_id")._copy_item_translations()
        return answers

    # ---- business methods ----

    def _evaluate(self):
        """Return (answered, score fraction 0-1, failed) of this answer.

        Yes/No: the good answer scores 1 and passes. Scale: value / 5, fails
        under the threshold. Number: scores 1 at or above the threshold, fails
        under it; 0 counts as not answered. Choice: the option's score, fails
        when the option is marked blocking. Text: answered when filled, never
        scored or failed. Unanswered items score 0 and do not fail (the
        verdict lists unanswered blocking items apart).
        """
        self.ensure_one()
        value = self._answer_value()
        if not value:
            return False, 0.0, False
        kind = self.answer_type
        if kind == "yes_no":
            good = value == self.positive_answer
            return True, float(good), not good
        if kind == "scale":
            level = int(value)
            return True, level / SCALE_MAX, level < self.threshold
        if kind == "number":
            passed = value >= self.threshold
            return True, float(passed), not passed
        if kind == "choice":
            return True, value.score / 100.0, value.blocking
        return True, 0.0, False

    def _answer_value(self):
        """The value of the field that holds this answer's type."""
        return self[ANSWER_FIELDS[self.answer_type]]

    def _copy_item_translations(self):
        """Copy every language of the item's texts, not only the current one."""
        if not self:
            return
        self.env["sme.readiness.template.item"].flush_model(
            ["question", "explanation", "blocking_sentence"]
        )
        self.flush_recordset()
        self.env.cr.execute(
            SQL(
                """
                UPDATE sme_readiness_answer AS answer
                   SET question = item.question,
                       explanation = item.explanation,
                       blocking_sentence = item.blocking_sentence
                  FROM sme_readiness_template_item AS item
                 WHERE answer.item_id = item.id AND answer.id IN %s
                """,
                tuple(self.ids),
            )
        )
        self.invalidate_recordset(["question", "explanation", "blocking_sentence"])
