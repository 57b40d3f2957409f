# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo import fields, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

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
        of them is of the call list's type (already read with them)."""
        # the id is cached (env.ref would query the type's existence each time)
        call_type = self.env["ir.model.data"]._xmlid_to_res_id(
            "crm_sme_kpi.mail_activity_type_sme_call"
        )
        calls = self.filtered(lambda act: act.activity_type_id.id == call_type)
        if not calls:
            return self.env["crm.sme.call.item"]
        return (
            self.env["crm.sme.call.item"]
            .sudo()
            .search([("activity_id", "in", calls.ids), ("state", "=", "open")])
        )
