# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""Sales effectiveness facts: one row per counted event, grouped by the ORM.

Each row is one event of one salesperson, dated when it happened:

* ``lead``: a lead or opportunity assigned to the salesperson (``date_open``),
  with whether its customer is a client now or the deal is won (cohort), the
  hours to the first logged contact and whether that contact came late;
* ``opportunity``: an opportunity created or converted from a lead;
* ``won`` / ``lost``: a deal closed (``date_closed``), with the won revenue;
* ``negotiation``: an open deal now in the company's negotiation stage;
* ``call``: a done activity of category "phonecall" on a deal or contact;
* ``meeting``: a past calendar meeting of the salesperson linked to a deal or a
  contact, or a done activity of category "meeting" on a deal or contact for
  which no such calendar meeting exists (so one meeting never counts twice).

The salesperson's team is their first sales team membership (the team they
report to), so every figure of one person falls in one team.
"""

from odoo import api, fields, models, tools
from odoo.tools import SQL

KINDS = [
    ("lead", "Lead received"),
    ("opportunity", "Opportunity created"),
    ("won", "Won deal"),
    ("lost", "Lost deal"),
    ("negotiation", "Deal in negotiation"),
    ("call", "Call"),
    ("meeting", "Meeting"),
]


class CrmSmeKpiReport(models.Model):
    _name = "crm.sme.kpi.report"
    _description = "Sales Effectiveness Analysis"
    _auto = False
    _rec_name = "date"
    _order = "date desc"

    date = fields.Datetime(readonly=True)
    kind = fields.Selection(KINDS, readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    lead_id = fields.Many2one("crm.lead", string="Deal", readonly=True)
    leads_received = fields.Integer(readonly=True, aggregator="sum")
    leads_converted = fields.Integer(
        string="Leads Became Clients", readonly=True, aggregator="sum"
    )
    late_first_contact = fields.Integer(
        string="Leads Contacted Late", readonly=True, aggregator="sum"
    )
    first_contact_hours = fields.Float(
        string="Hours to First Contact", readonly=True, aggregator="avg"
    )
    opportunities_created = fields.Integer(readonly=True, aggregator="sum")
    won_count = fields.Integer(string="Won Deals", readonly=True, aggregator="sum")
    lost_count = fields.Integer(string="Lost Deals", readonly=True, aggregator="sum")
    won_revenue = fields.Float(readonly=True, aggregator="sum")
    negotiation_value = fields.Float(
        string="Average Deal at Negotiation", readonly=True, aggregator="avg"
    )
    calls = fields.Integer(string="Calls Made", readonly=True, aggregator="sum")
    meetings = fields.Integer(string="Meetings Held", readonly=True, aggregator="sum")

    _depends = {
        "crm.lead": [
            "user_id", "team_id", "company_id", "date_open", "date_closed",
            "date_conversion", "type", "stage_id", "active", "probability",
            "expected_revenue", "partner_id",
        ],
        "res.partner": ["commercial_partner_id", "sme_customer_state"],
        "mail.message": [
            "model", "res_id", "date", "author_id", "mail_activity_type_id",
            "record_company_id",
        ],
        "mail.activity.type": ["category"],
        "calendar.event": [
            "user_id", "start", "res_model", "res_id", "opportunity_id", "active",
        ],
        "crm.team.member": ["user_id", "crm_team_id", "active"],
        "res.company": ["sme_kpi_negotiation_stage_id", "sme_kpi_first_contact_hours"],
    }  # fmt: skip

    # ---- SQL pieces ----------------------------------------------------------

    def _salesperson(self):
        """Users with their first team (sub-query, aliased by the caller)."""
        return SQL(
            """
            SELECT u.id, u.partner_id, u.company_id, tm.crm_team_id AS team_id
              FROM res_users u
              LEFT JOIN LATERAL (
                    SELECT crm_team_id FROM crm_team_member
                     WHERE user_id = u.id AND active ORDER BY create_date, id
                     LIMIT 1) tm ON TRUE
            """
        )

    def _select_leads(self):
        return SQL(
            """
            SELECT l.id * 10 + 1 AS id, 'lead' AS kind, l.date_open AS date,
                   l.user_id, l.id AS lead_id,
                   COALESCE(l.company_id, sp.company_id) AS company_id,
                   COALESCE(sp.team_id, l.team_id) AS team_id,
                   1 AS leads_received,
                   CASE WHEN s.is_won OR cp.sme_customer_state = 'client'
                        THEN 1 ELSE 0 END AS leads_converted,
                   CASE WHEN COALESCE(fc.date, NOW() AT TIME ZONE 'UTC')
                             - l.date_open > make_interval(
                                 hours => COALESCE(c.sme_kpi_first_contact_hours, 24))
                        THEN 1 ELSE 0 END AS late_first_contact,
                   EXTRACT(EPOCH FROM fc.date - l.date_open) / 3600.0
                       AS first_contact_hours,
                   0 AS opportunities_created, 0 AS won_count, 0 AS lost_count,
                   0.0 AS won_revenue, NULL::float AS negotiation_value,
                   0 AS calls, 0 AS meetings
              FROM crm_lead l
              JOIN (%(salesperson)s) sp ON sp.id = l.user_id
              LEFT JOIN res_company c ON c.id = COALESCE(l.company_id, sp.company_id)
              LEFT JOIN crm_stage s ON s.id = l.stage_id
              LEFT JOIN res_partner p ON p.id = l.partner_id
              LEFT JOIN res_partner cp ON cp.id = p.commercial_partner_id
              LEFT JOIN LATERAL (
                    SELECT MIN(m.date) AS date FROM mail_message m
                     WHERE m.model = 'crm.lead' AND m.res_id = l.id
                       AND m.mail_activity_type_id IS NOT NULL
                       AND m.date >= l.date_open) fc ON TRUE
             WHERE l.date_open IS NOT NULL
            """,
            salesperson=self._salesperson(),
        )

    def _select_deals(self):
        """Opportunities created, deals won or lost, deals in negotiation."""
        return SQL(
            """
            SELECT l.id * 10 + k.n AS id, k.kind, k.date, l.user_id,
                   l.id AS lead_id,
                   COALESCE(l.company_id, sp.company_id) AS company_id,
                   COALESCE(sp.team_id, l.team_id) AS team_id,
                   0 AS leads_received, 0 AS leads_converted,
                   0 AS late_first_contact, NULL::float AS first_contact_hours,
                   (k.kind = 'opportunity')::int AS opportunities_created,
                   (k.kind = 'won')::int AS won_count,
                   (k.kind = 'lost')::int AS lost_count,
                   CASE WHEN k.kind = 'won' THEN l.expected_revenue ELSE 0.0 END
                       AS won_revenue,
                   CASE WHEN k.kind = 'negotiation' THEN l.expected_revenue END
                       AS negotiation_value,
                   0 AS calls, 0 AS meetings
              FROM crm_lead l
              JOIN (%(salesperson)s) sp ON sp.id = l.user_id
              LEFT JOIN crm_stage s ON s.id = l.stage_id
              LEFT JOIN res_company c ON c.id = COALESCE(l.company_id, sp.company_id)
              CROSS JOIN LATERAL (VALUES
                 (2, 'opportunity', CASE WHEN l.type = 'opportunity'
                     THEN COALESCE(l.date_conversion, l.create_date) END),
                 (3, 'won', CASE WHEN s.is_won AND l.active THEN l.date_closed END),
                 (4, 'lost', CASE WHEN NOT l.active AND l.probability = 0
                     THEN l.date_closed END),
                 (5, 'negotiation', CASE WHEN l.active AND NOT COALESCE(s.is_won, FALSE)
                     AND l.stage_id = c.sme_kpi_negotiation_stage_id
                     THEN l.date_last_stage_update END)
              ) AS k(n, kind, date)
             WHERE k.date IS NOT NULL
            """,
            salesperson=self._salesperson(),
        )

    def _select_done_activities(self):
        """Calls, and meetings logged only as done activities."""
        return SQL(
            """
            SELECT m.id * 10 + 6 AS id,
                   CASE WHEN t.category = 'phonecall' THEN 'call' ELSE 'meeting' END
                       AS kind,
                   m.date, sp.id AS user_id,
                   CASE WHEN m.model = 'crm.lead' THEN m.res_id END AS lead_id,
                   COALESCE(m.record_company_id, sp.company_id) AS company_id,
                   sp.team_id,
                   0 AS leads_received, 0 AS leads_converted,
                   0 AS late_first_contact, NULL::float AS first_contact_hours,
                   0 AS opportunities_created, 0 AS won_count, 0 AS lost_count,
                   0.0 AS won_revenue, NULL::float AS negotiation_value,
                   (t.category = 'phonecall')::int AS calls,
                   (t.category = 'meeting')::int AS meetings
              FROM mail_message m
              JOIN mail_activity_type t ON t.id = m.mail_activity_type_id
              JOIN (SELECT DISTINCT ON (s.partner_id) s.*
                      FROM (%(salesperson)s) s ORDER BY s.partner_id, s.id) sp
                ON sp.partner_id = m.author_id
             WHERE m.mail_activity_type_id IS NOT NULL
               AND m.model IN ('crm.lead', 'res.partner')
               AND t.category IN ('phonecall', 'meeting')
               AND NOT (t.category = 'meeting' AND EXISTS (
                    SELECT 1 FROM calendar_event e
                     WHERE e.user_id = sp.id AND e.active
                       AND e.start BETWEEN m.date - INTERVAL '7 days'
                                       AND m.date + INTERVAL '1 day'
                       AND ((e.res_model = m.model AND e.res_id = m.res_id)
                            OR (m.model = 'crm.lead' AND e.opportunity_id = m.res_id))))
            """,
            salesperson=self._salesperson(),
        )

    def _select_meetings(self):
        """Past calendar meetings of a salesperson about a deal or a contact."""
        return SQL(
            """
            SELECT e.id * 10 + 7 AS id, 'meeting' AS kind, e.start AS date,
                   e.user_id,
                   COALESCE(e.opportunity_id, CASE WHEN e.res_model = 'crm.lead'
                            THEN e.res_id END) AS lead_id,
                   sp.company_id, sp.team_id,
                   0 AS leads_received, 0 AS leads_converted,
                   0 AS late_first_contact, NULL::float AS first_contact_hours,
                   0 AS opportunities_created, 0 AS won_count, 0 AS lost_count,
                   0.0 AS won_revenue, NULL::float AS negotiation_value,
                   0 AS calls, 1 AS meetings
              FROM calendar_event e
              JOIN (%(salesperson)s) sp ON sp.id = e.user_id
             WHERE e.active AND e.start < NOW() AT TIME ZONE 'UTC'
               AND (e.opportunity_id IS NOT NULL
                    OR e.res_model IN ('crm.lead', 'res.partner'))
            """,
            salesperson=self._salesperson(),
        )

    def _query(self):
        return SQL(" UNION ALL ").join(
            [
                self._select_leads(),
                self._select_deals(),
                self._select_done_activities(),
                self._select_meetings(),
            ]
        )

    @api.model
    def _create_indexes(self):
        """Indexes the view needs on big tables (done activities, meetings)."""
        tools.create_index(
            self.env.cr,
            "mail_message_sme_kpi_done_activity_index",
            "mail_message",
            ["date", "author_id", "mail_activity_type_id"],
            where="mail_activity_type_id IS NOT NULL",
        )
        tools.create_index(
            self.env.cr,
            "mail_message_sme_kpi_first_contact_index",
            "mail_message",
            ["res_id", "date"],
            where="model = 'crm.lead' AND mail_activity_type_id IS NOT NULL",
        )
        tools.create_index(
            self.env.cr,
            "calendar_event_sme_kpi_user_start_index",
            "calendar_event",
            ["user_id", "start"],
        )

    def init(self):
        self._create_indexes()
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._query(),
            )
        )
