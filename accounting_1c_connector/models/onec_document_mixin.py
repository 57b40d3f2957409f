# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo import fields, models


class OnecDocumentMixin(models.AbstractModel):
    """What every read-only mirror of a 1C document has.

    Only the exchange writes these records (as superuser); everyone else
    reads them, within the record rules. ``active`` is False when the
    document is marked for deletion in 1C.
    """

    _name = "onec.document.mixin"
    _inherit = "onec.customer.mixin"
    _description = "1C Document (mirror)"
    _order = "date desc, id desc"

    ref = fields.Char(string="1C Reference", required=True, readonly=True)
    entity = fields.Char(readonly=True)
    name = fields.Char(string="Number", readonly=True)
    date = fields.Datetime(readonly=True, index=True)
    amount = fields.Monetary(readonly=True, aggregator="sum")
    posted = fields.Boolean(readonly=True)
    data_version = fields.Char(readonly=True)
    active = fields.Boolean(default=True, readonly=True)
