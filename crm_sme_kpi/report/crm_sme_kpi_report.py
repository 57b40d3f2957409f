# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""Sales effectiveness figures, one row per salesperson, local day, company
and team, grouped by the ORM (pivot, graph, list, flags, readiness).

The rows are the live rollup (``crm.sme.kpi.rollup``, see there what each
figure counts) less what it counts ahead of time: the leads still within
their first-contact deadline are not late yet, the meetings still to come
are not held yet.
"""

from odoo import fields, models
from odoo.tools import SQL

# averages kept as a sum and a count, so that any grouping weighs them right
WEIGHTED_AVERAGES = {
    "first_contact_hours": ("first_contact_hours_sum", "first_contact_count"),
    "negotiation_value": ("negotiation_value_sum", "negotiation_count"),
}


class CrmSmeKpiReport(models.Model):
    _name = "crm.sme.kpi.report"
    _description = "Sales Effectiveness Analysis"
    _inherit = "crm.sme.kpi.figures.mixin"
    _auto = False
    _rec_name = "date"
    _order = "date desc"

    date = fields.Date(readonly=True)

    _depends = {
        "crm.sme.kpi.rollup": [
            "date", "user_id", "company_id", "team_id", "leads_received",
            "leads_converted", "late_first_contact", "first_contact_hours_sum",
            "first_contact_count", "opportunities_created", "won_count",
            "lost_count", "won_revenue", "negotiation_value_sum",
            "negotiation_count", "calls", "meetings",
        ],
    }  # fmt: skip

    def _query(self):
        rollup = self.env["crm.sme.kpi.rollup"]
        averages = SQL(", ").join(
            SQL(
                "r.%s, r.%s, r.%s / NULLIF(r.%s, 0) AS %s",
                SQL.identifier(total),
                SQL.identifier(count),
                SQL.identifier(total),
                SQL.identifier(count),
                SQL.identifier(fname),
            )
            for fname, (total, count) in WEIGHTED_AVERAGES.items()
        )
        return SQL(
            """
            SELECT r.id, r.date, r.user_id, r.team_id, r.company_id,
                   r.leads_received, r.leads_converted,
                   (r.late_first_contact - COALESCE(p.late_first_contact, 0))::int
                       AS late_first_contact,
                   r.opportunities_created, r.won_count, r.lost_count,
                   r.won_revenue, r.calls,
                   (r.meetings - COALESCE(p.meetings, 0))::int AS meetings,
                   %(averages)s
              FROM crm_sme_kpi_rollup r
              LEFT JOIN (%(pending)s) p
                ON p.user_id = r.user_id AND p.date = r.date
               AND p.company_id = r.company_id
               AND COALESCE(p.team_id, 0) = COALESCE(r.team_id, 0)
             -- a day of meetings still to come only: nothing to show yet
             WHERE r.leads_received + r.opportunities_created + r.won_count
                   + r.lost_count + r.negotiation_count + r.calls
                   + r.meetings - COALESCE(p.meetings, 0) > 0
            """,
            averages=averages,
            pending=rollup._pending(),
        )

    def _read_group_select(self, aggregate_spec, query):
        """An average over several days weighs each day by its count."""
        fname, _sep, func = aggregate_spec.partition(":")
        if fname in WEIGHTED_AVERAGES and func == "avg":
            total, count = WEIGHTED_AVERAGES[fname]
            return SQL(
                "SUM(%s) / NULLIF(SUM(%s), 0)",
                SQL.identifier(self._table, total),
                SQL.identifier(self._table, count),
            )
        return super()._read_group_select(aggregate_spec, query)
