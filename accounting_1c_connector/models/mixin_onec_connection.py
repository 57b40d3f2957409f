# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo import fields, models


class OnecConnectionMixin(models.AbstractModel):
    """A record that belongs to one 1C connection, and so to its company
    (the multi-company record rules read ``company_id``)."""

    _name = "onec.connection.mixin"
    _description = "Belongs to a 1C Connection"

    connection_id = fields.Many2one(
        "onec.connection", required=True, ondelete="cascade", index=True, readonly=True
    )
    company_id = fields.Many2one(
        related="connection_id.company_id", store=True, precompute=True, index=True
    )
