# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo import models


class MailMessage(models.Model):
    """Counted by the effectiveness figures (done activities, meetings)."""

    _name = "mail.message"
    _inherit = ["mail.message", "crm.sme.kpi.rollup.source"]
