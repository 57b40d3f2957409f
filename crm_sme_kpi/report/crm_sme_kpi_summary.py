# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""Each salesperson beside the team median, per week, month and quarter.

Rows group ``crm.sme.kpi.report`` by salesperson, team, company and period;
the ratios are computed per row and the team medians (``percentile_cont``) are
taken over the salespeople of the team that have figures in the period.
"""

from odoo import fields, models, tools
from odoo.tools import SQL

PERIOD_TYPES = [("week", "Week"), ("month", "Month"), ("quarter", "Quarter")]


class CrmSmeKpiSummary(models.Model):
    _name = "crm.sme.kpi.summary"
    _description = "Sales Effectiveness: Salesperson vs Team Median"
    _auto = False
    _order = "date desc, team_id, user_id"

    period_type = fields.Selection(PERIOD_TYPES, string="Period", readonly=True)
    date = fields.Date(string="Period Start", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    leads_received = fields.Integer(readonly=True, aggregator="sum")
    leads_converted = fields.Integer(
        string="Leads Became Clients", readonly=True, aggregator="sum"
    )
    conversion_rate = fields.Float(
        string="Conversion Rate (%)", readonly=True, aggregator="avg"
    )
    calls = fields.Integer(string="Calls Made", readonly=True, aggregator="sum")
    meetings = fields.Integer(string="Meetings Held", readonly=True, aggregator="sum")
    opportunities_created = fields.Integer(readonly=True, aggregator="sum")
    won_count = fields.Integer(string="Won Deals", readonly=True, aggregator="sum")
    lost_count = fields.Integer(string="Lost Deals", readonly=True, aggregator="sum")
    won_revenue = fields.Float(readonly=True, aggregator="sum")
    meetings_per_won = fields.Float(
        string="Meetings per Won Deal", readonly=True, aggregator="avg"
    )
    calls_per_won = fields.Float(
        string="Calls per Won Deal", readonly=True, aggregator="avg"
    )
    won_per_meeting = fields.Float(
        string="Won Deals per Meeting", readonly=True, aggregator="avg"
    )
    negotiation_value = fields.Float(
        string="Average Deal at Negotiation", readonly=True, aggregator="avg"
    )
    first_contact_hours = fields.Float(
        string="Hours to First Contact", readonly=True, aggregator="avg"
    )
    late_first_contact = fields.Integer(
        string="Leads Contacted Late", readonly=True, aggregator="sum"
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

    _depends = {
        "crm.sme.kpi.report": [
            "date", "user_id", "team_id", "company_id", "leads_received",
            "leads_converted", "calls", "meetings",
        ],
    }  # fmt: skip

    def _grouped(self):
        """Figures per salesperson, team, company and period."""
        return SQL(
            """
            SELECT p.period_type, date_trunc(p.period_type, r.date)::date AS date,
                   r.user_id, r.team_id, r.company_id,
                   SUM(r.leads_received) AS leads_received,
                   SUM(r.leads_converted) AS leads_converted,
                   SUM(r.calls) AS calls, SUM(r.meetings) AS meetings,
                   SUM(r.opportunities_created) AS opportunities_created,
                   SUM(r.won_count) AS won_count, SUM(r.lost_count) AS lost_count,
                   SUM(r.won_revenue) AS won_revenue,
                   AVG(r.negotiation_value) AS negotiation_value,
                   AVG(r.first_contact_hours) AS first_contact_hours,
                   SUM(r.late_first_contact) AS late_first_contact
              FROM crm_sme_kpi_report r
             CROSS JOIN (VALUES ('week'), ('month'), ('quarter')) AS p(period_type)
             GROUP BY 1, 2, 3, 4, 5
            """
        )

    def _query(self):
        return SQL(
            """
            WITH g AS (
                SELECT g0.*,
                       100.0 * g0.leads_converted / NULLIF(g0.leads_received, 0)
                           AS conversion_rate
                  FROM (%(grouped)s) g0
            ), med AS (
                SELECT period_type, date, team_id, COUNT(*) AS team_size,
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY leads_received)
                           AS median_leads_received,
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY conversion_rate)
                           AS median_conversion_rate,
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY calls)
                           AS median_calls,
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY meetings)
                           AS median_meetings,
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY won_count)
                           AS median_won_count,
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY won_revenue)
                           AS median_won_revenue
                  FROM g GROUP BY period_type, date, team_id
            )
            SELECT ROW_NUMBER() OVER (
                       ORDER BY g.period_type, g.date, g.team_id, g.user_id,
                                g.company_id) AS id,
                   g.*,
                   g.meetings::float / NULLIF(g.won_count, 0) AS meetings_per_won,
                   g.calls::float / NULLIF(g.won_count, 0) AS calls_per_won,
                   g.won_count::float / NULLIF(g.meetings, 0) AS won_per_meeting,
                   med.team_size, med.median_leads_received,
                   med.median_conversion_rate, med.median_calls,
                   med.median_meetings, med.median_won_count,
                   med.median_won_revenue
              FROM g
              LEFT JOIN med ON med.period_type = g.period_type
                           AND med.date = g.date
                           AND med.team_id IS NOT DISTINCT FROM g.team_id
            """,
            grouped=self._grouped(),
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._query(),
            )
        )
