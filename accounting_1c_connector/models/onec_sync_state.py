# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo import fields, models

STREAMS = [
    ("counterparty", "Counterparties"),
    ("order", "Orders"),
    ("shipment", "Shipments"),
    ("payment", "Payments"),
    ("settlement", "Settlements"),
    ("sales", "Sales by Month"),
    ("export", "New clients to 1C"),
]


class OnecSyncState(models.Model):
    """The cursor of one stream of one connection (the model keeps its
    first name, ``onec.sync.state``).

    ``cursor`` is the latest document date stored, in 1C's own (local) time;
    the next run reads from ``cursor`` minus the connection's overlap.
    """

    _name = "onec.sync.state"
    _description = "1C Exchange Cursor"

    connection_id = fields.Many2one(
        "onec.connection", required=True, ondelete="cascade"
    )
    stream = fields.Selection(STREAMS, required=True)
    cursor = fields.Datetime(string="Cursor (1C time)")
    last_done_at = fields.Datetime()

    _sql_constraints = [
        (
            "stream_uniq",
            "unique(connection_id, stream)",
            "One cursor per connection and stream.",
        )
    ]
