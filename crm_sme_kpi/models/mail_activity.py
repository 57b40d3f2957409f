# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo import fields, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    # read with the activity: marking any other activity done or deleting it
    # costs no query for the call list
    sme_call_listed = fields.Boolean(
        string="On the Call List",
        readonly=True,
        copy=False,
        help="Given by the call list: marking it done works its item.",
    )

    def _action_done(self, feedback=False, attachment_ids=None):
        """Marking a call-list activity done works its item."""
        self._sme_open_call_items()._mark_worked(fields.Datetime.now())
        return super()._action_done(feedback=feedback, attachment_ids=attachment_ids)

    def unlink(self):
        """Deleting a call-list activity (not done) dismisses its item."""
        self._sme_open_call_items().write(
            {"state": "dismissed", "closed_at": fields.Datetime.now()}
        )
        return super().unlink()

    def _sme_open_call_items(self):
        """The open call-list items of these activities; no query unless one
        of them was given by the call list."""
        calls = self.filtered("sme_call_listed")
        if not calls:
            return self.env["crm.sme.call.item"]
        return (
            self.env["crm.sme.call.item"]
            .sudo()
            .search([("activity_id", "in", calls.ids), ("state", "=", "open")])
        )
