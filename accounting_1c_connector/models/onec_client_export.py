# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo import api, fields, models

from .onec_retry_mixin import RETRY, RETRY_STATES, WAITING_FOR_PERSON

EXPORT_STATES = [
    ("pending", "To send"),
    ("done", "In 1C"),
    *RETRY_STATES,
    ("invalid", "Invalid INN/KPP"),
]
TO_SEND_STATES = ("pending", RETRY)  # the next exchange sends them (when due)
# queued: not in 1C yet, and not to be queued again
QUEUED_STATES = (*TO_SEND_STATES, WAITING_FOR_PERSON, "invalid")


class OnecClientExport(models.Model):
    """The outbox: a contact that became a client, to create in 1C."""

    _name = "onec.client.export"
    _inherit = "onec.retry.mixin"
    _description = "New Client to 1C"
    _order = "id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", required=True, ondelete="cascade", index=True
    )
    state = fields.Selection(
        EXPORT_STATES, default="pending", required=True, index=True
    )
    onec_ref = fields.Char(string="1C Reference")
    note = fields.Char()
    done_at = fields.Datetime()

    @api.model
    def _onec_queue(self, partners):
        """Queue ``partners`` (commercial) on the active connections of their
        company that export clients; a partner already queued is not again."""
        connections = (
            self.env["onec.connection"].sudo().search([("export_clients", "=", True)])
        )
        queued = self.sudo().search(
            [
                ("partner_id", "in", partners.ids),
                ("state", "in", QUEUED_STATES),
            ]
        )
        seen = {(export.partner_id.id, export.connection_id.id) for export in queued}
        values = [
            {"connection_id": connection.id, "partner_id": partner.id}
            for partner in partners
            for connection in connections
            if (partner.id, connection.id) not in seen
            and (not partner.company_id or partner.company_id == connection.company_id)
        ]
        return self.sudo().create(values)

    @api.model
    def _onec_due(self, connection):
        """The clients of ``connection`` to send now, in the order queued."""
        return self.search(
            [
                ("connection_id", "=", connection.id),
                ("state", "in", TO_SEND_STATES),
                "|",
                ("next_try_at", "=", False),
                ("next_try_at", "<=", fields.Datetime.now()),
            ],
            order="id",
        )

    def _onec_done(self, ref, note):
        self.write(
            {
                "state": "done",
                "onec_ref": ref,
                "note": note,
                "error": False,
                "done_at": fields.Datetime.now(),
            }
        )

    def _onec_invalid(self, problem):
        self.write({"state": "invalid", "error": problem})
