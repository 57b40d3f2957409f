# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""A lead's contacts, as the figures and the call list both read them.

Apart from the models: the reports and the models import it, and a model
module importing the reports would register their views before the fields
they read.
"""

from odoo.tools import SQL

# the done activities (of any type) of the lead ``l`` since it was assigned:
# the first is its first contact; the call list names the leads without one
LEAD_CONTACTS = SQL(
    """FROM mail_message m
      WHERE m.model = 'crm.lead' AND m.res_id = l.id
        AND m.mail_activity_type_id IS NOT NULL
        AND m.date >= l.date_open"""
)
