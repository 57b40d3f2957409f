# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo import fields, models

RETRY = "failed"  # tried and failed: tried again at ``next_try_at``
WAITING_FOR_PERSON = "waiting_for_person"  # out of tries: a person decides
RETRY_STATES = [
    (RETRY, "Failed, will retry"),
    (WAITING_FOR_PERSON, "Waiting for a person"),
]


class OnecRetryMixin(models.AbstractModel):
    """Something the exchange tries again until it succeeds (a record that
    could not be stored, a client to create in 1C).

    One retry policy, the connection's: growing delays, then, after its
    maximum number of tries, the record waits for a person, who may try it
    again (:meth:`action_try_again`). The models add ``RETRY_STATES`` to
    their ``state``.
    """

    _name = "onec.retry.mixin"
    _inherit = "onec.connection.mixin"
    _description = "1C Exchange Retried Until Done"

    error = fields.Text(readonly=True)
    try_count = fields.Integer(string="Tries", readonly=True)
    next_try_at = fields.Datetime(string="Next Try", readonly=True)

    def action_try_again(self):
        """Button: one more try at the next exchange."""
        self.write({"state": RETRY, "next_try_at": fields.Datetime.now()})

    def _onec_tried_and_failed(self, error, **values):
        """Count a failed try: the next one after the connection's delay, or,
        out of tries, none until a person decides."""
        now = fields.Datetime.now()
        for record in self:
            connection = record.connection_id
            try_count = record.try_count + 1
            waits = connection._onec_out_of_tries(try_count)
            record.write(
                {
                    **values,
                    "state": WAITING_FOR_PERSON if waits else RETRY,
                    "error": error,
                    "try_count": try_count,
                    "next_try_at": not waits
                    and now + connection._onec_retry_delay(try_count),
                }
            )
