# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)


def post_init_hook(env):
    """Back-fill the clients: the customers of deals won before the install.

    The rule is the one a deal being won applies
    (``crm.lead._sme_mark_won_partners_as_clients``), run on the first won deal
    of each customer, so the deal named as the reference is the oldest one.

    :return: the commercial partners that have just become clients
    """
    won = env["crm.lead"].search(
        [("stage_id.is_won", "=", True), ("partner_id", "!=", False)],
        order="date_closed, id",
    )
    first_won = {}
    for lead in won:
        first_won.setdefault(lead.partner_id.commercial_partner_id, lead)
    leads = env["crm.lead"].union(*first_won.values())
    return leads._sme_mark_won_partners_as_clients()


def uninstall_hook(env):
    """Drop what keeps the figures live on the CRM's own tables (triggers,
    their functions, indexes): Odoo drops only the add-on's tables and views.
    """
    env["crm.sme.kpi.rollup"]._drop_from_base_tables()
