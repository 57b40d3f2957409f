# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo import tools


def uninstall_hook(env):
    """Drop the stored figures: Odoo drops views and tables, not materialized views.

    The reports built on them (plain views) go with them.
    """
    tools.drop_view_if_exists(env.cr, env["crm.sme.kpi.report"]._table)
