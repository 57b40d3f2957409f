# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""18.0.3.3.0: an activity says whether the call list gave it
(``sme_call_listed``), so that marking another one done or deleting it looks
for no item. The activities of the items still open get the mark."""

from odoo.tools import SQL


def migrate(cr, version):
    cr.execute(
        SQL(
            """UPDATE mail_activity a SET sme_call_listed = TRUE
                 FROM crm_sme_call_item i
                WHERE i.activity_id = a.id AND i.state = 'open'"""
        )
    )
