# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo import api, fields, models

from .onec_sync_state import STREAMS

RUN_STATES = [
    ("running", "Running"),
    ("done", "Done"),
    ("partial", "Done with failed records"),
    ("failed", "Failed"),
    ("skipped", "Skipped"),
]


class OnecExchangeRun(models.Model):
    """The journal: one entry per stream of each exchange run (a run is one
    execution of the exchange of a connection; its entries share ``run_key``).
    """

    _name = "onec.exchange.run"
    _inherit = "onec.connection.mixin"
    _description = "1C Exchange Journal"
    _order = "id desc"
    _rec_name = "run_key"

    run_key = fields.Char(string="Run", index=True)
    stream = fields.Selection([*STREAMS, ("all", "All")], required=True)
    state = fields.Selection(RUN_STATES, required=True, default="running")
    dry_run = fields.Boolean(string="Test Mode")
    started_at = fields.Datetime()
    ended_at = fields.Datetime()
    count_read = fields.Integer(string="Read", aggregator="sum")
    count_created = fields.Integer(string="Created", aggregator="sum")
    count_updated = fields.Integer(string="Updated", aggregator="sum")
    count_unchanged = fields.Integer(string="Unchanged", aggregator="sum")
    count_failed = fields.Integer(string="Failed records", aggregator="sum")
    error = fields.Text()
    notes = fields.Text(
        string="To Check",
        help="What the exchange did but a person should look at, e.g. a 1C order "
        "that names the deal of another customer.",
    )
    failure_ids = fields.One2many("onec.exchange.failure", "journal_id")

    @api.model
    def _onec_run_key(self, connection):
        """What the entries of one run of ``connection`` starting now share."""
        return fields.Datetime.now().strftime("%Y%m%d%H%M%S") + f"-{connection.id}"

    @api.model
    def _onec_journal_notes(self, connection, stream, notes):
        """An entry for notes made outside a run (a counterparty linked to
        another contact by a person)."""
        now = fields.Datetime.now()
        return self.sudo().create(
            {
                "connection_id": connection.id,
                "run_key": self._onec_run_key(connection),
                "stream": stream,
                "state": "done",
                "started_at": now,
                "ended_at": now,
                "notes": "\n".join(notes),
            }
        )
