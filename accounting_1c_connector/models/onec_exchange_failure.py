# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
import base64

from odoo import api, fields, models

from .onec_retry_mixin import RETRY, RETRY_STATES, WAITING_FOR_PERSON
from .onec_sync_state import STREAMS


class OnecExchangeFailure(models.Model):
    """A record that could not be stored: the error, the raw payload, tried
    again on later runs by the connection's retry policy until it is stored."""

    _name = "onec.exchange.failure"
    _inherit = "onec.retry.mixin"
    _description = "1C Exchange Failed Record"
    _order = "id desc"
    _rec_name = "key"

    journal_id = fields.Many2one(
        "onec.exchange.run", string="Journal Entry", ondelete="set null"
    )
    stream = fields.Selection(STREAMS, required=True)
    key = fields.Char(required=True, index=True, help="1C reference or payload hash")
    ref = fields.Char(string="1C Reference")
    state = fields.Selection(
        [*RETRY_STATES, ("resolved", "Resolved")], default=RETRY, index=True
    )
    resolved_at = fields.Datetime()
    payload = fields.Binary(attachment=True, readonly=True)
    payload_name = fields.Char(compute="_compute_payload_name")

    @api.depends("stream", "key")
    def _compute_payload_name(self):
        for failure in self:
            failure.payload_name = f"{failure.stream}-{failure.key}.json"

    @api.model
    def _onec_not_stored(self, connection, stream):
        """The records of ``stream`` not stored yet (due for a try or not)."""
        return self.search(
            [
                ("connection_id", "=", connection.id),
                ("stream", "=", stream),
                ("state", "in", (RETRY, WAITING_FOR_PERSON)),
            ]
        )

    @api.model
    def _onec_create(self, vals, error, payload):
        """The first failed try of a record."""
        failure = self.create(vals)
        failure._onec_failed_again(error, payload, vals.get("journal_id"))
        return failure

    def _onec_failed_again(self, error, payload, journal_id):
        self.ensure_one()
        self._onec_tried_and_failed(
            error,
            payload=base64.b64encode(payload.encode()),
            journal_id=journal_id or self.journal_id.id,
        )

    def _onec_resolve(self):
        self.write({"state": "resolved", "resolved_at": fields.Datetime.now()})
