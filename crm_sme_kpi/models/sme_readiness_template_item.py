# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo import fields, models

from .sme_readiness_item_mixin import ITEM_SETTING_FIELDS


class SmeReadinessTemplateItem(models.Model):
    _name = "sme.readiness.template.item"
    _inherit = ["sme.readiness.item.mixin"]
    _description = "Readiness Checklist Item"
    _order = "template_id, sequence, id"
    _rec_name = "question"

    template_id = fields.Many2one(
        "sme.readiness.template", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="template_id.company_id", store=True)
    option_ids = fields.One2many(
        "sme.readiness.item.option", "item_id", string="Options", copy=True
    )

    def _prepare_answer_values(self):
        """The values of a new answer: a copy of this item's settings."""
        self.ensure_one()
        values = {name: self[name] for name in ITEM_SETTING_FIELDS}
        values["item_id"] = self.id
        return values
