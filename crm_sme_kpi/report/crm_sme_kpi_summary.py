# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""Each salesperson beside the team median, per week, month and quarter.

Rows group ``crm.sme.kpi.report`` (the live daily figures) by salesperson,
team, company and period;
the ratios are computed per row and the team medians (``percentile_cont``) are
taken over the salespeople of the team that have figures in the period.
"""

from odoo import fields, models
from odoo.tools import SQL

from ..periods import PERIOD_TYPES, period_interval

# figures of which each row carries the team median (column median_<figure>)
MEDIAN_FIGURES = [
    "leads_received", "conversion_rate", "calls", "meetings", "won_count",
    "won_revenue", "meetings_per_won", "calls_per_won", "negotiation_value",
    "first_contact_hours",
]  # fmt: skip


class CrmSmeKpiSummary(models.Model):
    _name = "crm.sme.kpi.summary"
    _description = "Sales Effectiveness: Salesperson vs Team Median"
    _inherit = "crm.sme.kpi.figures.mixin"
    _auto = False
    _order = "date desc, team_id, user_id"

    period_type = fields.Selection(PERIOD_TYPES, string="Period", readonly=True)
    date = fields.Date(string="Period Start", readonly=True)
    conversion_rate = fields.Float(
        string="Conversion Rate (%)", readonly=True, aggregator="avg"
    )
    meetings_per_won = fields.Float(
        string="Meetings per Won Deal", readonly=True, aggregator="avg"
    )
    calls_per_won = fields.Float(
        string="Calls per Won Deal", readonly=True, aggregator="avg"
    )
    won_per_meeting = fields.Float(
        string="Won Deals per Meeting", readonly=True, aggregator="avg"
    )
    team_size = fields.Integer(readonly=True, aggregator="max")
    median_leads_received = fields.Float(
        string="Team Median Leads Received", readonly=True, aggregator="avg"
    )
    median_conversion_rate = fields.Float(
        string="Team Median Conversion Rate (%)", readonly=True, aggregator="avg"
    )
    median_calls = fields.Float(
        string="Team Median Calls", readonly=True, aggregator="avg"
    )
    median_meetings = fields.Float(
        string="Team Median Meetings", readonly=True, aggregator="avg"
    )
    median_won_count = fields.Float(
        string="Team Median Won Deals", readonly=True, aggregator="avg"
    )
    median_won_revenue = fields.Float(
        string="Team Median Won Revenue", readonly=True, aggregator="avg"
    )
    median_meetings_per_won = fields.Float(
        string="Team Median Meetings per Won Deal", readonly=True, aggregator="avg"
    )
    median_calls_per_won = fields.Float(
        string="Team Median Calls per Won Deal", readonly=True, aggregator="avg"
    )
    median_negotiation_value = fields.Float(
        string="Team Median Average Deal at Negotiation",
        readonly=True,
        aggregator="avg",
    )
    median_first_contact_hours = fields.Float(
        string="Team Median Hours to First Contact", readonly=True, aggregator="avg"
    )

    _depends = {
        "crm.sme.kpi.rollup": [
            "date", "user_id", "team_id", "company_id", "leads_received",
            "leads_converted", "calls", "meetings",
        ],
    }  # fmt: skip

    def _grouped(self, period_type):
        """Figures per salesperson, team, company and period of a type.

        The days of each period are read by their date, so that a filter on
        the period reaches only its days (the rollup's date index), not all.
        """
        return SQL(
            """
            SELECT %(period_type)s::varchar AS period_type, p.start AS date,
                   r.user_id, r.team_id, r.company_id,
                   SUM(r.leads_received) AS leads_received,
                   SUM(r.leads_converted) AS leads_converted,
                   SUM(r.calls) AS calls, SUM(r.meetings) AS meetings,
                   SUM(r.opportunities_created) AS opportunities_created,
                   SUM(r.won_count) AS won_count, SUM(r.lost_count) AS lost_count,
                   SUM(r.won_revenue) AS won_revenue,
                   SUM(r.negotiation_value_sum) / NULLIF(SUM(r.negotiation_count), 0)
                       AS negotiation_value,
                   SUM(r.first_contact_hours_sum)
                       / NULLIF(SUM(r.first_contact_count), 0) AS first_contact_hours,
                   SUM(r.late_first_contact) AS late_first_contact
              FROM (SELECT d::date AS start
                      FROM generate_series(
                               date_trunc(%(period_type)s, (
                                   SELECT MIN(date) FROM crm_sme_kpi_rollup
                               )::timestamp),
                               (SELECT MAX(date) FROM crm_sme_kpi_rollup),
                               %(step)s::interval) d) p
              JOIN crm_sme_kpi_report r
                ON r.date >= p.start
               AND r.date < (p.start + %(step)s::interval)::date
             GROUP BY 2, 3, 4, 5
            """,
            period_type=period_type,
            step=period_interval(period_type),
        )

    def _query(self):
        """One scan per period type: a filter on the type skips the others.

        Ids and medians come from windows partitioned by period, so filters on
        the period reach the grouping below them.

        The team medians come from window aggregates (arrays of the team's
        values) so the figures are grouped once.
        """
        grouped = SQL(" UNION ALL ").join(
            self._grouped(period_type) for period_type, _label in PERIOD_TYPES
        )
        medians = SQL(", ").join(
            SQL(
                "(SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY v)"
                " FROM unnest(w.%s) v) AS %s",
                SQL.identifier(f"all_{fname}"),
                SQL.identifier(f"median_{fname}"),
            )
            for fname in MEDIAN_FIGURES
        )
        arrays = SQL(", ").join(
            SQL(
                "array_agg(g.%s) OVER team_period AS %s",
                SQL.identifier(fname),
                SQL.identifier(f"all_{fname}"),
            )
            for fname in MEDIAN_FIGURES
        )
        return SQL(
            """
            SELECT ((w.date - DATE '1970-01-01') * 3
                    + CASE w.period_type WHEN 'week' THEN 0 WHEN 'month' THEN 1
                      ELSE 2 END) * 10000
                   + ROW_NUMBER() OVER (
                       PARTITION BY w.period_type, w.date
                       ORDER BY w.team_id, w.user_id, w.company_id) AS id,
                   w.period_type, w.date, w.user_id, w.team_id, w.company_id,
                   w.leads_received, w.leads_converted, w.conversion_rate,
                   w.calls, w.meetings, w.opportunities_created, w.won_count,
                   w.lost_count, w.won_revenue, w.negotiation_value,
                   w.first_contact_hours, w.late_first_contact, w.team_size,
                   w.meetings_per_won, w.calls_per_won, w.won_per_meeting,
                   %(medians)s
              FROM (
                SELECT g.*, COUNT(*) OVER team_period AS team_size, %(arrays)s
                  FROM (
                    SELECT g0.*, 100.0 * g0.leads_converted
                                 / NULLIF(g0.leads_received, 0) AS conversion_rate,
                           g0.meetings::float / NULLIF(g0.won_count, 0)
                               AS meetings_per_won,
                           g0.calls::float / NULLIF(g0.won_count, 0)
                               AS calls_per_won,
                           g0.won_count::float / NULLIF(g0.meetings, 0)
                               AS won_per_meeting
                      FROM (%(grouped)s) g0
                  ) g
                WINDOW team_period AS (PARTITION BY g.period_type, g.date, g.team_id)
              ) w
            """,
            medians=medians,
            arrays=arrays,
            grouped=grouped,
        )
