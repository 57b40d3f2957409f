# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""18.0.2.0.0: what a new install gets, for databases installed before.

* Internal users' contacts lose the "Lead" status they were given.
* The customers of deals won before the first install become clients (the
  install hook, now run once on these databases too).
* Flags stored their sentences; they now store the figures the sentences name
  and write them when read. The figures of older flags are taken again from
  the CRM history, the thresholds from the company's current settings.
"""

from collections import defaultdict

from odoo import SUPERUSER_ID, api

from odoo.addons.crm_sme_kpi.hooks import post_init_hook


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    _internal_contacts_lose_status(env)
    post_init_hook(env)
    _fill_flag_figures(env)


def _internal_contacts_lose_status(env):
    internal = (
        env["res.users"]
        .with_context(active_test=False)
        .search([("share", "=", False)])
        .partner_id
    )
    env.add_to_compute(env["res.partner"]._fields["sme_customer_state"], internal)
    internal.flush_recordset(["sme_customer_state"])


def _fill_flag_figures(env):
    env.cr.execute("SELECT id FROM crm_kpi_flag WHERE threshold IS NULL")
    flags = env["crm.kpi.flag"].browse(row[0] for row in env.cr.fetchall())
    groups = defaultdict(lambda: env["crm.kpi.flag"])
    for flag in flags:
        groups[flag.period_start, flag.period_type, flag.company_id] |= flag
    for (period_start, period_type, company), group in groups.items():
        rows = group._period_figures(period_start, period_type, company)
        row_by_user = {row["user_id"]: row for row in rows}
        for flag in group:
            # no history left for the salesperson: figures at zero
            row = row_by_user.get(flag.user_id) or defaultdict(float)
            vals = flag._rule_figures(flag.rule, row, company)
            flag.write({"threshold": 0.0, **vals})
