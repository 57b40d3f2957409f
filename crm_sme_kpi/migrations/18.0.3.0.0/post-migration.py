# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""18.0.3.0.0: live figures instead of a materialized view refreshed hourly.

The update itself drops the materialized view ``crm_sme_kpi_report`` (the
report is now a plain view over ``crm_sme_kpi_rollup``) and puts the triggers
on the CRM's tables. Here the rollup is counted from the whole history, so
the figures are those the last refresh showed, and up to date; the hourly
refresh, its time stamp and the old view's indexes go.
"""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

OLD_INDEXES = [
    "mail_message_sme_kpi_done_activity_type_index",
    "mail_message_sme_kpi_first_contact_index",
    "calendar_event_sme_kpi_user_start_index",
]


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["crm.sme.kpi.rollup"]._rebuild()
    cron = env.ref("crm_sme_kpi.ir_cron_refresh_kpi_figures", raise_if_not_found=False)
    if cron:
        cron.unlink()
    env["ir.config_parameter"].search(
        [("key", "=", "crm_sme_kpi.figures_refreshed_at")]
    ).unlink()
    for name in OLD_INDEXES:
        cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(name)))
