# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
import base64

from odoo import api, fields, models

from ..components.runner import retry_delay
from .onec_sync_state import STREAMS


class OnecExchangeFailure(models.Model):
    """A record that could not be stored: reason, raw payload (attached),
    retried on later runs with growing delays until it is stored."""

    _name = "onec.exchange.failure"
    _inherit = "onec.connection.mixin"
    _description = "1C Exchange Failed Record"
    _order = "id desc"
    _rec_name = "key"

    run_id = fields.Many2one("onec.exchange.run", ondelete="set null")
    stream = fields.Selection(STREAMS, required=True)
    key = fields.Char(required=True, index=True, help="1C reference or payload hash")
    ref = fields.Char(string="1C Reference")
    reason = fields.Text()
    state = fields.Selection(
        [("open", "To retry"), ("resolved", "Resolved")], default="open", index=True
    )
    attempts = fields.Integer(default=1)
    next_retry_at = fields.Datetime()
    resolved_at = fields.Datetime()
    attachment_id = fields.Many2one("ir.attachment", string="Payload")

    @api.model
    def _onec_create(self, vals, payload):
        failure = self.create(vals)
        failure._onec_attach(payload)
        return failure

    def _onec_attach(self, payload):
        self.ensure_one()
        datas = base64.b64encode(payload.encode())
        if self.attachment_id:
            self.attachment_id.datas = datas
            return
        self.attachment_id = self.env["ir.attachment"].create(
            {
                "name": f"{self.stream}-{self.key}.json",
                "datas": datas,
                "mimetype": "application/json",
                "res_model": self._name,
                "res_id": self.id,
            }
        )

    def _onec_failed_again(self, reason, payload, run_id):
        self.ensure_one()
        attempts = self.attempts + 1
        self.write(
            {
                "attempts": attempts,
                "reason": reason,
                "run_id": run_id or self.run_id.id,
                "next_retry_at": fields.Datetime.now() + retry_delay(attempts),
            }
        )
        self._onec_attach(payload)
