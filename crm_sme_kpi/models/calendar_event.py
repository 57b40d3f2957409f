# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo import models


class CalendarEvent(models.Model):
    """Counted by the effectiveness figures (done activities, meetings)."""

    _name = "calendar.event"
    _inherit = ["calendar.event", "crm.sme.kpi.rollup.source"]
