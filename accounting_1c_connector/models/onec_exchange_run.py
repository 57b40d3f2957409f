# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo import fields, models

from .onec_sync_state import STREAMS

RUN_STATES = [
    ("running", "Running"),
    ("done", "Done"),
    ("partial", "Done with failed records"),
    ("failed", "Failed"),
    ("skipped", "Skipped"),
]


class OnecExchangeRun(models.Model):
    """The journal: one entry per stream of each exchange run."""

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
    count_failed = fields.Integer(string="Failed", aggregator="sum")
    error = fields.Text()
    failure_ids = fields.One2many("onec.exchange.failure", "run_id")
