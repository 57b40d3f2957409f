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
* ``call``: done activities of category "phonecall" on deals or contacts (one
  row per salesperson and day);
* ``meeting``: a past calendar meeting of the salesperson linked to a deal or a
  contact, or a done activity of category "meeting" on a deal or contact for
  which no such calendar meeting exists (so one meeting never counts twice).

The salesperson's team is their first sales team membership (the team they
report to), so every figure of one person falls in one team.

The rows are stored: the view is a PostgreSQL materialized view, computed
again by ``_refresh_figures`` (hourly scheduled action, "Refresh Figures"
button); the anomaly run reads the live query of its period instead
(``sme_kpi_live`` in the context). Counting millions of done activities at
each read takes seconds; reading the stored rows takes a fraction of one. The
time of the last refresh is kept in the system parameter
``crm_sme_kpi.figures_refreshed_at`` and shown on the reports.
"""

from odoo import _, api, fields, models, tools
from odoo.tools import SQL, format_datetime

FIGURES_REFRESHED_PARAM = "crm_sme_kpi.figures_refreshed_at"

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
    _inherit = "crm.sme.kpi.figures.mixin"
    _auto = False
    _rec_name = "date"
    _order = "date desc"

    date = fields.Datetime(readonly=True)
    kind = fields.Selection(KINDS, readonly=True)
    lead_id = fields.Many2one("crm.lead", string="Deal", readonly=True)

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

    def _select_deal(self, n, kind, date, where):
        """One kind of deal event, dated by ``date`` (an SQL expression)."""
        return SQL(
            """
            SELECT l.id * 10 + %(n)s AS id, %(kind)s::varchar AS kind,
                   %(date)s AS date, l.user_id, l.id AS lead_id,
                   COALESCE(l.company_id, sp.company_id) AS company_id,
                   COALESCE(sp.team_id, l.team_id) AS team_id,
                   0 AS leads_received, 0 AS leads_converted,
                   0 AS late_first_contact, NULL::float AS first_contact_hours,
                   (%(kind)s = 'opportunity')::int AS opportunities_created,
                   (%(kind)s = 'won')::int AS won_count,
                   (%(kind)s = 'lost')::int AS lost_count,
                   CASE WHEN %(kind)s = 'won' THEN l.expected_revenue ELSE 0.0 END
                       AS won_revenue,
                   CASE WHEN %(kind)s = 'negotiation' THEN l.expected_revenue END
                       AS negotiation_value,
                   0 AS calls, 0 AS meetings
              FROM crm_lead l
              JOIN (%(salesperson)s) sp ON sp.id = l.user_id
              LEFT JOIN crm_stage s ON s.id = l.stage_id
              LEFT JOIN res_company c ON c.id = COALESCE(l.company_id, sp.company_id)
             WHERE %(date)s IS NOT NULL AND %(where)s
            """,
            n=n,
            kind=kind,
            date=date,
            where=where,
            salesperson=self._salesperson(),
        )

    def _select_deals(self):
        """Opportunities created, deals won or lost, deals in negotiation.

        One branch per kind, each dated by a plain column, so that a filter on
        the date reaches the lead table.
        """
        return [
            self._select_deal(
                2,
                "opportunity",
                SQL("COALESCE(l.date_conversion, l.create_date)"),
                SQL("l.type = 'opportunity'"),
            ),
            self._select_deal(
                3, "won", SQL("l.date_closed"), SQL("s.is_won AND l.active")
            ),
            self._select_deal(
                4,
                "lost",
                SQL("l.date_closed"),
                SQL("NOT l.active AND l.probability = 0"),
            ),
            self._select_deal(
                5,
                "negotiation",
                SQL("l.date_last_stage_update"),
                SQL(
                    "l.active AND NOT COALESCE(s.is_won, FALSE)"
                    " AND l.stage_id = c.sme_kpi_negotiation_stage_id"
                ),
            ),
        ]

    def _select_done_activities(self, category):
        """Done activities of one type category ("phonecall" or "meeting").

        The biggest source (millions of messages): counted per salesperson and
        day in the view already, so the reports group far fewer rows. A done
        meeting activity counts only when no calendar meeting of the same
        salesperson about the same record started in the 7 days before it was
        marked done or the day after; the two anti-joins compare equal keys so
        PostgreSQL can hash them.
        """
        dedupe = SQL("")
        if category == "meeting":
            dedupe = SQL(
                """
               AND NOT EXISTS (
                    SELECT 1 FROM calendar_event e
                     WHERE e.user_id = sp.id AND e.active
                       AND e.res_model = m.model AND e.res_id = m.res_id
                       AND e.start BETWEEN m.date - INTERVAL '7 days'
                                       AND m.date + INTERVAL '1 day')
               AND NOT EXISTS (
                    SELECT 1 FROM calendar_event e
                     WHERE e.user_id = sp.id AND e.active
                       AND e.opportunity_id = m.res_id AND m.model = 'crm.lead'
                       AND e.start BETWEEN m.date - INTERVAL '7 days'
                                       AND m.date + INTERVAL '1 day')
                """
            )
        is_call = category == "phonecall"
        return SQL(
            """
            SELECT MIN(m.id) * 10 + %(n)s AS id, %(kind)s::varchar AS kind,
                   date_trunc('day', m.date) AS date, sp.id AS user_id,
                   NULL::integer AS lead_id,
                   COALESCE(m.record_company_id, sp.company_id) AS company_id,
                   sp.team_id,
                   0 AS leads_received, 0 AS leads_converted,
                   0 AS late_first_contact, NULL::float AS first_contact_hours,
                   0 AS opportunities_created, 0 AS won_count, 0 AS lost_count,
                   0.0 AS won_revenue, NULL::float AS negotiation_value,
                   %(calls)s AS calls, %(meetings)s AS meetings
              FROM mail_message m
              JOIN mail_activity_type t ON t.id = m.mail_activity_type_id
              JOIN (SELECT DISTINCT ON (s.partner_id) s.*
                      FROM (%(salesperson)s) s ORDER BY s.partner_id, s.id) sp
                ON sp.partner_id = m.author_id
             WHERE m.mail_activity_type_id IS NOT NULL
               AND m.model IN ('crm.lead', 'res.partner')
               AND t.category = %(category)s
               %(dedupe)s
             GROUP BY date_trunc('day', m.date), sp.id,
                      COALESCE(m.record_company_id, sp.company_id), sp.team_id
            """,
            n=6 if is_call else 8,
            kind="call" if is_call else "meeting",
            calls=SQL("COUNT(*)") if is_call else SQL("0"),
            meetings=SQL("0") if is_call else SQL("COUNT(*)"),
            category=category,
            dedupe=dedupe,
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
                *self._select_deals(),
                self._select_done_activities("phonecall"),
                self._select_done_activities("meeting"),
                self._select_meetings(),
            ]
        )

    @api.model
    def _create_indexes(self):
        """Indexes the view needs on big tables (done activities, meetings)."""
        tools.create_index(
            self.env.cr,
            "mail_message_sme_kpi_done_activity_type_index",
            "mail_message",
            ["mail_activity_type_id", "date"],
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

    def _create_view(self):
        """Store the rows in a materialized view, indexed for the reports.

        The unique index on ``id`` lets the refresh run ``CONCURRENTLY``: the
        reports keep reading the previous figures meanwhile.
        """
        self._compute_figures(
            SQL(
                "CREATE MATERIALIZED VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._query(),
            )
        )
        cr = self.env.cr
        tools.create_unique_index(cr, f"{self._table}_id_index", self._table, ["id"])
        tools.create_index(cr, f"{self._table}_date_index", self._table, ["date"])
        self._set_figures_refreshed_at()

    def init(self):
        self._create_indexes()
        return super().init()

    # ---- freshness -----------------------------------------------------------

    @property
    def _table_query(self):
        """With ``sme_kpi_live`` in the context, read the history itself.

        The query of the view is then read instead of its stored rows: exact
        up to now, and cheap for a short period (a filter on the date reaches
        the indexes of the base tables), as the anomaly run needs.
        """
        if self.env.context.get("sme_kpi_live"):
            return self._query()
        return None

    @api.model
    def _refresh_figures(self):
        """Compute the stored figures again from the CRM history.

        :return: the time the figures are as of (UTC)
        """
        self.env.flush_all()
        self._compute_figures(
            SQL(
                "REFRESH MATERIALIZED VIEW CONCURRENTLY %s", SQL.identifier(self._table)
            )
        )
        self.invalidate_model()
        self.env["crm.sme.kpi.summary"].invalidate_model()
        return self._set_figures_refreshed_at()

    @api.model
    def _compute_figures(self, statement):
        """Run ``statement`` (that computes the view's query) without JIT.

        JIT compilation costs seconds on this query and saves far less. The
        refresh hashes and sorts hundreds of thousands of rows: with the
        default 4 MB of working memory they spill to disk (measured 9 s
        against 7 s with 64 MB on 2 million activities). Only the current
        transaction is affected.
        """
        self.env.cr.execute(SQL("SET LOCAL jit = off"))
        self.env.cr.execute(SQL("SET LOCAL work_mem = '64MB'"))
        self.env.cr.execute(statement)

    @api.model
    def _set_figures_refreshed_at(self):
        refreshed_at = self.env.cr.now()
        self.env["ir.config_parameter"].sudo().set_param(
            FIGURES_REFRESHED_PARAM, fields.Datetime.to_string(refreshed_at)
        )
        return refreshed_at

    @api.model
    def _figures_refreshed_at(self):
        """When the stored figures were last computed (UTC), else ``False``."""
        value = (
            self.env["ir.config_parameter"].sudo().get_param(FIGURES_REFRESHED_PARAM)
        )
        return fields.Datetime.to_datetime(value) if value else False

    @api.model
    def _cron_refresh_figures(self):
        """Hourly: keep the stored figures at most an hour old."""
        return self._refresh_figures()

    @api.model
    def _action_figures(self, xmlid):
        """The window action ``xmlid`` titled with the figures' freshness."""
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        refreshed_at = self._figures_refreshed_at()
        if refreshed_at:
            action["display_name"] = action["name"] = _(
                "%(report)s (figures as of %(time)s)",
                report=action["name"],
                time=format_datetime(self.env, refreshed_at, dt_format="short"),
            )
        return action

    @api.model
    def action_open_figures(self):
        """Menu: open the report, titled with the figures' freshness."""
        return self._action_figures("crm_sme_kpi.crm_sme_kpi_report_action")

    def action_refresh_figures(self):
        """Button: compute the figures now and open the report again."""
        self.check_access("read")
        self.sudo()._refresh_figures()
        action = self.action_open_figures()
        action["target"] = "main"
        return action
