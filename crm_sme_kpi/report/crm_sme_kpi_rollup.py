# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""Live effectiveness figures: one stored row per salesperson and local day.

The figures are counted from the CRM history (leads, deals, done activities,
calendar meetings) by one set of SQL *facts*, one row per counted event:

* a lead assigned to the salesperson (``date_open``), whether its customer is
  a client now or the deal is won (the cohort rule), the hours to its first
  logged contact and whether that contact came late;
* an opportunity created or converted from a lead;
* a deal won or lost (``date_closed``), with the won revenue;
* an open deal now in the company's negotiation stage, with its value;
* a done activity of category "phonecall" (a call) or "meeting" on a deal or
  a contact, the latter only when no calendar meeting of the same salesperson
  about the same record started in the 7 days before it or the day after;
* a calendar meeting of the salesperson linked to a deal or a contact.

The salesperson's team is their first sales team membership, so every figure
of one person falls in one team. Days are the salesperson's local days (their
time zone, else their company's, else UTC).

``crm_sme_kpi_rollup`` keeps the facts summed per salesperson, local day,
company and team, kept exact by PostgreSQL triggers on the tables the facts
read. A change of leads, done activities or customers adds to the stored days
the facts of the changed rows after it less those before it (``_add_facts``).
Any other change notes the salesperson-days it touches in
``crm_sme_kpi_rollup_dirty``; those days are counted again from the facts, in
the same transaction: before the figures are read in it, and by a deferred
trigger when it commits. So the stored rows always equal a full count of the
history, and a read costs the same whatever its size. ``_rebuild`` counts
everything again: a repair command, never needed in normal use.

Two figures depend on the time as well: a lead without a contact becomes
late when its deadline passes, and a calendar meeting counts once it has
started. The rollup counts both as if their time had come; the report
subtracts, when read, the few leads still within their deadline and the
meetings still to come (``_pending``).
"""

from collections import namedtuple

from odoo import _, api, fields, models, tools
from odoo.tools import SQL

from ..lead_contacts import LEAD_CONTACTS

# the figures a fact carries, summed per day: (column, SQL type)
MEASURES = [
    ("leads_received", "integer"),
    ("leads_converted", "integer"),
    ("late_first_contact", "integer"),
    ("first_contact_hours_sum", "float"),
    ("first_contact_count", "integer"),
    ("opportunities_created", "integer"),
    ("won_count", "integer"),
    ("lost_count", "integer"),
    ("won_revenue", "float"),
    ("negotiation_value_sum", "float"),
    ("negotiation_count", "integer"),
    ("calls", "integer"),
    ("meetings", "integer"),
]
# what identifies a fact's row in the rollup, beside its figures
FACT_KEYS = [
    ("user_id", "integer"),
    ("company_id", "integer"),
    ("team_id", "integer"),
    ("tz", "varchar"),
    ("ts", "timestamp"),
]
ROLLUP_KEY = ["user_id", "date", "company_id", "team_id"]
# the figures counted again apart when a change can touch only them (the
# values of crm.sme.kpi.rollup.dirty's facts): one group per date a lead's
# facts are dated by (assigned, converted, closed, last stage change), and the
# done activities and calendar meetings
FACT_GROUPS = {
    "leads": [
        "leads_received", "leads_converted", "late_first_contact",
        "first_contact_hours_sum", "first_contact_count",
    ],
    "opportunities": ["opportunities_created"],
    "closed": ["won_count", "lost_count", "won_revenue"],
    "negotiation": ["negotiation_value_sum", "negotiation_count"],
    "activities": ["calls", "meetings"],
}  # fmt: skip
# the sums of values, each with the count of the facts it sums: a sum is 0
# when its count is, so a day is empty when all its counts are 0
SUM_COUNTS = {
    "first_contact_hours_sum": "first_contact_count",
    "won_revenue": "won_count",
    "negotiation_value_sum": "negotiation_count",
}
COUNTS = [name for name, _type in MEASURES if name not in SUM_COUNTS]
# the columns of a lead its facts read
LEAD_COLUMNS = [
    "user_id", "team_id", "company_id", "partner_id", "stage_id", "type",
    "active", "probability", "expected_revenue", "date_open", "date_conversion",
    "create_date", "date_closed", "date_last_stage_update",
]  # fmt: skip
# a stale range, with its salesperson's columns the facts read
RANGE_COLUMNS = ["user_id", "utc_from", "utc_to", "partner_id", "company_id",
                 "team_id", "tz"]  # fmt: skip
ALWAYS = SQL("TRUE")
# a day without any figure: it has no row
EMPTY_DAY = SQL(" AND ").join(SQL("%s = 0", SQL.identifier(name)) for name in COUNTS)
# the rows facts read (leads, messages): a relation, and the SQL sign of each
# row's figures (``None``: all count; the rows after a change add, those
# before it subtract)
Rows = namedtuple("Rows", ["relation", "sign"])
CRM_LEAD = Rows(SQL("crm_lead"), None)
MAIL_MESSAGE = Rows(SQL("mail_message"), None)
CUSTOMERS = SQL(
    """LEFT JOIN res_partner p ON p.id = l.partner_id
       LEFT JOIN res_partner cp ON cp.id = p.commercial_partner_id"""
)
NO_JOIN = SQL("")
LEADS, ACTIVITIES = SQL("'leads'"), SQL("'activities'")
EVERY_FIGURE = SQL("NULL::varchar")
# a stale range that covers every salesperson, day and figure
EVERYTHING = SQL(
    "NULL::integer, '-infinity'::timestamp, 'infinity'::timestamp, NULL::varchar"
)


def changed(columns):
    """Whether an updated row (``o`` before, ``n`` after) changed ``columns``."""
    return SQL(
        "(%s) IS DISTINCT FROM (%s)",
        SQL(", ").join(SQL.identifier("o", c) for c in columns),
        SQL(", ").join(SQL.identifier("n", c) for c in columns),
    )


class CrmSmeKpiRollupDirty(models.Model):
    """Salesperson-time ranges whose figures a change has made stale."""

    _name = "crm.sme.kpi.rollup.dirty"
    _description = "Sales Effectiveness: Figures to Count Again"
    _log_access = False

    # no foreign key: a deleted salesperson's days are still cleaned up
    user_id = fields.Integer(string="Salesperson", help="Empty: every salesperson.")
    utc_from = fields.Datetime(string="From (UTC)", required=True)
    utc_to = fields.Datetime(string="To (UTC)", required=True)
    facts = fields.Selection(
        [
            ("leads", "Leads"),
            ("opportunities", "Opportunities Created"),
            ("closed", "Won and Lost Deals"),
            ("negotiation", "Deals at Negotiation"),
            ("activities", "Activities and Meetings"),
        ],
        string="Figures",
        help="Empty: every figure.",
    )


class CrmSmeKpiRollup(models.Model):
    _name = "crm.sme.kpi.rollup"
    _description = "Sales Effectiveness: Daily Figures"
    _log_access = False
    _order = "date desc, user_id"

    date = fields.Date(required=True, readonly=True)
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one("res.company", readonly=True, ondelete="cascade")
    team_id = fields.Many2one(
        "crm.team", string="Sales Team", readonly=True, ondelete="cascade"
    )
    leads_received = fields.Integer(readonly=True)
    leads_converted = fields.Integer(string="Leads Became Clients", readonly=True)
    late_first_contact = fields.Integer(string="Leads Contacted Late", readonly=True)
    first_contact_hours_sum = fields.Float(
        string="Hours to First Contact (Total)", readonly=True
    )
    first_contact_count = fields.Integer(
        string="Leads with a First Contact", readonly=True
    )
    opportunities_created = fields.Integer(readonly=True)
    won_count = fields.Integer(string="Won Deals", readonly=True)
    lost_count = fields.Integer(string="Lost Deals", readonly=True)
    won_revenue = fields.Float(readonly=True)
    negotiation_value_sum = fields.Float(
        string="Value of Deals at Negotiation", readonly=True
    )
    negotiation_count = fields.Integer(string="Deals at Negotiation", readonly=True)
    calls = fields.Integer(string="Calls Made", readonly=True)
    meetings = fields.Integer(string="Meetings Held", readonly=True)

    # ---- the facts -----------------------------------------------------------

    @api.model
    def _salesperson(self):
        """Users with their first team and time zone (aliased by the caller)."""
        return SQL(
            """
            SELECT u.id, u.partner_id, u.company_id, tm.crm_team_id AS team_id,
                   COALESCE(NULLIF(up.tz, ''), NULLIF(cp.tz, ''), 'UTC') AS tz
              FROM res_users u
              JOIN res_partner up ON up.id = u.partner_id
              JOIN res_company c ON c.id = u.company_id
              LEFT JOIN res_partner cp ON cp.id = c.partner_id
              LEFT JOIN LATERAL (
                    SELECT crm_team_id FROM crm_team_member
                     WHERE user_id = u.id AND active ORDER BY create_date, id
                     LIMIT 1) tm ON TRUE
            """
        )

    @api.model
    def _salespeople(self, keys):
        """The salespeople whose facts are counted: everyone, or the one of
        the stale range ``keys`` (its columns, which the planner then takes to
        the indexes as constants)."""
        if keys is None:
            return self._salesperson()
        return SQL(
            "SELECT k.user_id AS id, k.partner_id, k.company_id, k.team_id, k.tz"
            " FROM %s k",
            keys,
        )

    @api.model
    def _authors(self, keys):
        """The salespeople as authors of messages: a partner shared by several
        users counts for the first of them only."""
        # an anti-join, not "id = (SELECT MIN ...)": PostgreSQL estimates the
        # latter at one author, then probes the calendar per done meeting
        # (43 s instead of 1.3 s for the full count of 200,000 of them)
        return SQL(
            """SELECT s.* FROM (%s) s
                WHERE NOT EXISTS (SELECT 1 FROM res_users u
                                   WHERE u.partner_id = s.partner_id
                                     AND u.id < s.id)""",
            self._salespeople(keys),
        )

    @api.model
    def _fact(self, values, source, sign=None):
        """One kind of fact: ``values`` fills columns by name, the rest are 0.

        :param dict values: SQL expression per column of FACT_KEYS/MEASURES
        :param SQL source: the FROM ... WHERE clause the values read
        :param SQL sign: what the figures are multiplied by, if anything
        """
        unknown = set(values) - {name for name, _type in FACT_KEYS + MEASURES}
        if unknown:
            raise ValueError(f"unknown fact columns: {sorted(unknown)}")
        keys = [
            SQL("(%s)::%s AS %s", values[name], SQL(sql_type), SQL.identifier(name))
            for name, sql_type in FACT_KEYS
        ]
        # a condition on an empty column is NULL, and a figure 0, not NULL
        measures = [
            SQL(
                "COALESCE((%s)::%s, 0) %s AS %s",
                values.get(name, SQL("0")),
                SQL(sql_type),
                SQL("* %s", sign) if sign else SQL(""),
                SQL.identifier(name),
            )
            for name, sql_type in MEASURES
        ]
        columns = SQL(", ").join(keys + measures)
        return SQL("SELECT %s %s", columns, source)

    @api.model
    def _in_keys(self, keys, user, ts):
        """A join that keeps the facts of the salesperson-days ``keys`` lists.

        :param keys: ``None`` (every fact) or one stale range: a one-row
            relation of RANGE_COLUMNS
        """
        if keys is None:
            return SQL("")
        return SQL(
            "JOIN %s k ON k.user_id = %s AND %s >= k.utc_from AND %s < k.utc_to",
            keys,
            user,
            ts,
            ts,
        )

    @api.model
    def _lead_kinds(self):
        """The kinds of lead and deal facts, per group of FACT_GROUPS: lists of
        ``(date, condition, measures, joins)``, each dated by a plain column
        of the lead, so that a range on the date reaches its indexes."""
        revenue = SQL("COALESCE(l.expected_revenue, 0)")
        first_contact = SQL(
            """
            %(customers)s
            LEFT JOIN LATERAL (SELECT MIN(m.date) AS date %(contacts)s) fc ON TRUE
            """,
            customers=CUSTOMERS,
            contacts=LEAD_CONTACTS,
        )
        return {
            "leads": [(
                SQL("l.date_open"),
                ALWAYS,
                {
                    "leads_received": SQL("1"),
                    "leads_converted": self._converted(SQL("cp")),
                    # not contacted yet counts as late: _pending corrects it
                    "late_first_contact": SQL(
                        "fc.date IS NULL OR fc.date - l.date_open"
                        " > make_interval(hours => c.sme_kpi_first_contact_hours)"
                    ),
                    "first_contact_hours_sum": SQL(
                        "COALESCE(EXTRACT(EPOCH FROM fc.date - l.date_open)"
                        " / 3600.0, 0)"
                    ),
                    "first_contact_count": SQL("fc.date IS NOT NULL"),
                },
                first_contact,
            )],
            "opportunities": [(
                SQL("COALESCE(l.date_conversion, l.create_date)"),
                SQL("l.type = 'opportunity'"),
                {"opportunities_created": SQL("1")},
                NO_JOIN,
            )],
            "closed": [
                (
                    SQL("l.date_closed"),
                    SQL("s.is_won AND l.active"),
                    {"won_count": SQL("1"), "won_revenue": revenue},
                    NO_JOIN,
                ),
                (
                    SQL("l.date_closed"),
                    SQL("NOT l.active AND l.probability = 0"),
                    {"lost_count": SQL("1")},
                    NO_JOIN,
                ),
            ],
            "negotiation": [(
                SQL("l.date_last_stage_update"),
                SQL(
                    "l.active AND NOT COALESCE(s.is_won, FALSE)"
                    " AND l.stage_id = c.sme_kpi_negotiation_stage_id"
                ),
                {
                    "negotiation_value_sum": revenue,
                    "negotiation_count": SQL("l.expected_revenue IS NOT NULL"),
                },
                NO_JOIN,
            )],
        }  # fmt: skip

    @api.model
    def _lead_facts(self, keys, where=ALWAYS):
        """Leads received; ``where`` narrows them (the pending ones)."""
        [(ts, condition, measures, joins)] = self._lead_kinds()["leads"]
        return self._deal_facts(
            keys, ts, SQL("%s AND %s", condition, where), measures, joins
        )

    @api.model
    def _all_deal_facts(self, keys):
        """Opportunities created, deals won or lost, deals in negotiation,
        per group of FACT_GROUPS: one fact per kind."""
        return {
            group: [self._deal_facts(keys, *kind) for kind in kinds]
            for group, kinds in self._lead_kinds().items()
            if group != "leads"
        }

    @api.model
    def _lead_row_facts(self, leads):
        """Every fact of the lead rows ``leads`` (``Rows``), of every kind, in
        one pass: a row per kind of each lead, its figures as columns (a
        change reads a few rows, and one pass is planned and run faster)."""
        names = [name for name, _type in MEASURES]
        kinds = [kind for kinds in self._lead_kinds().values() for kind in kinds]
        rows = SQL(", ").join(
            SQL(
                "(%s, %s, %s)",
                ts,
                condition,
                SQL(", ").join(
                    SQL("(%s)::%s", measures.get(name, SQL("0")), SQL(sql_type))
                    for name, sql_type in MEASURES
                ),
            )
            for ts, condition, measures, _joins in kinds
        )
        joins = SQL(
            "%s CROSS JOIN LATERAL (VALUES %s) k(ts, kept, %s)",
            SQL(" ").join(joins for *_kind, joins in kinds if joins is not NO_JOIN),
            rows,
            SQL(", ").join(map(SQL.identifier, names)),
        )
        return self._deal_facts(
            None,
            SQL("k.ts"),
            SQL("k.kept"),
            {name: SQL("k.%s", SQL.identifier(name)) for name in names},
            joins,
            leads,
        )

    @api.model
    def _converted(self, customer):
        """Whether a lead ``l`` in its stage ``s``, of the commercial partner
        ``customer``, counts as converted (the cohort rule)."""
        return SQL("s.is_won IS TRUE OR %s.sme_customer_state = 'client'", customer)

    @api.model
    def _deal_facts(self, keys, ts, where, measures, joins=NO_JOIN, leads=CRM_LEAD):
        """One kind of lead or deal event, dated by ``ts`` (an SQL expression);
        ``joins`` adds what its measures read beside the lead and its stage;
        ``leads``: the leads read (``Rows``: the table, or the rows of a
        change)."""
        return self._fact(
            {
                "user_id": SQL("l.user_id"),
                "company_id": SQL("COALESCE(l.company_id, sp.company_id)"),
                "team_id": SQL("COALESCE(sp.team_id, l.team_id)"),
                "tz": SQL("sp.tz"),
                "ts": ts,
                **measures,
            },
            SQL(
                """
                FROM %(leads)s l
                JOIN (%(salespeople)s) sp ON sp.id = l.user_id
                %(keys)s
                JOIN res_company c ON c.id = COALESCE(l.company_id, sp.company_id)
                LEFT JOIN crm_stage s ON s.id = l.stage_id
                %(joins)s
               WHERE %(ts)s IS NOT NULL AND %(where)s
                """,
                leads=leads.relation,
                salespeople=self._salespeople(keys),
                keys=self._in_keys(keys, SQL("l.user_id"), ts),
                joins=joins,
                ts=ts,
                where=where,
            ),
            sign=leads.sign,
        )

    @api.model
    def _done_activity_facts(self, keys, category, messages=MAIL_MESSAGE):
        """Done activities of one type category ("phonecall" or "meeting"),
        of the messages ``messages`` (``Rows``).

        The biggest source (millions of messages). A done meeting activity
        counts only when no calendar meeting of the same salesperson about the
        same record started in the 7 days before it was marked done or the
        day after; the two anti-joins compare equal keys so PostgreSQL can
        hash them.
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
        return self._fact(
            {
                "user_id": SQL("sp.id"),
                "company_id": SQL("COALESCE(m.record_company_id, sp.company_id)"),
                "team_id": SQL("sp.team_id"),
                "tz": SQL("sp.tz"),
                "ts": SQL("m.date"),
                "calls" if category == "phonecall" else "meetings": SQL("1"),
            },
            SQL(
                """
                FROM (%(authors)s) sp
                JOIN %(messages)s m ON m.author_id = sp.partner_id
                %(keys)s
                JOIN mail_activity_type t ON t.id = m.mail_activity_type_id
               WHERE m.mail_activity_type_id IS NOT NULL
                 AND m.model IN ('crm.lead', 'res.partner')
                 AND t.category = %(category)s
                 %(dedupe)s
                """,
                authors=self._authors(keys),
                messages=messages.relation,
                keys=self._in_keys(keys, SQL("sp.id"), SQL("m.date")),
                category=category,
                dedupe=dedupe,
            ),
            sign=messages.sign,
        )

    @api.model
    def _meeting_facts(self, keys, where=ALWAYS):
        """Calendar meetings of a salesperson about a deal or a contact."""
        return self._fact(
            {
                "user_id": SQL("e.user_id"),
                "company_id": SQL("sp.company_id"),
                "team_id": SQL("sp.team_id"),
                "tz": SQL("sp.tz"),
                "ts": SQL("e.start"),
                "meetings": SQL("1"),
            },
            SQL(
                """
                FROM calendar_event e
                JOIN (%(salespeople)s) sp ON sp.id = e.user_id
                %(keys)s
               WHERE e.active AND (e.opportunity_id IS NOT NULL
                                   OR e.res_model IN ('crm.lead', 'res.partner'))
                 AND %(where)s
                """,
                salespeople=self._salespeople(keys),
                keys=self._in_keys(keys, SQL("e.user_id"), SQL("e.start")),
                where=where,
            ),
        )

    @api.model
    def _per_day(self, facts, measures=MEASURES):
        """Sum ``facts`` per salesperson, local day, company and team."""
        return SQL(
            """
            SELECT f.user_id, (f.ts AT TIME ZONE 'UTC' AT TIME ZONE f.tz)::date
                       AS date,
                   f.company_id, f.team_id, %(sums)s
              FROM (%(facts)s) f
             GROUP BY 1, 2, 3, 4
            HAVING %(some_figure)s
            """,
            facts=SQL(" UNION ALL ").join(facts),
            sums=SQL(", ").join(
                SQL("SUM(f.%s) AS %s", SQL.identifier(name), SQL.identifier(name))
                for name, _type in measures
            ),
            # a day whose facts all count 0 has no row: then a group counted
            # again apart leaves the same rows as a full count
            some_figure=SQL(" OR ").join(
                SQL("SUM(f.%s) <> 0", SQL.identifier(name)) for name, _type in measures
            ),
        )

    @api.model
    def _facts(self, keys, group):
        """The facts of one of FACT_GROUPS."""
        if group == "leads":
            return [self._lead_facts(keys)]
        if group == "activities":
            return [
                self._done_activity_facts(keys, "phonecall"),
                self._done_activity_facts(keys, "meeting"),
                self._meeting_facts(keys),
            ]
        return self._all_deal_facts(keys)[group]

    @api.model
    def _counted(self):
        """Every rollup row, counted afresh."""
        return self._per_day(
            [fact for group in FACT_GROUPS for fact in self._facts(None, group)]
        )

    @api.model
    def _pending(self):
        """What the rollup counts ahead of time, per day: subtracted when read.

        Leads not contacted yet and still within their deadline (counted late)
        and calendar meetings that have not started (counted held).
        """
        now = SQL("(NOW() AT TIME ZONE 'UTC')")
        return self._per_day(
            [
                self._lead_facts(
                    None,
                    SQL(
                        """fc.date IS NULL
                           AND l.date_open >= %(now)s - make_interval(
                               hours => (SELECT MAX(sme_kpi_first_contact_hours)
                                           FROM res_company))
                           AND l.date_open >= %(now)s - make_interval(
                               hours => c.sme_kpi_first_contact_hours)""",
                        now=now,
                    ),
                ),
                self._meeting_facts(None, SQL("e.start >= %s", now)),
            ],
            measures=[("late_first_contact", "integer"), ("meetings", "integer")],
        )

    # ---- keeping the rows exact ----------------------------------------------

    def _dirty_ranges(self):
        """The stale days of each salesperson and group of figures: disjoint
        local-day ranges.

        A range of every figure is one range of each group; overlapping
        ranges are merged (so no fact is counted twice), each with its bounds
        in UTC, the time the base tables store.
        """
        return SQL(
            """
            WITH days AS (
                SELECT d.user_id, g.facts, sp.partner_id, sp.company_id, sp.team_id,
                       sp.tz,
                       (d.utc_from AT TIME ZONE 'UTC' AT TIME ZONE sp.tz)::date
                           AS day_from,
                       (d.utc_to AT TIME ZONE 'UTC' AT TIME ZONE sp.tz)::date
                           AS day_to
                  FROM crm_sme_kpi_rollup_dirty d
                  JOIN (%(salesperson)s) sp ON sp.id = d.user_id
                  JOIN (VALUES %(groups)s) g(facts)
                    ON g.facts = COALESCE(d.facts, g.facts)
            ), ordered AS (
                SELECT *, MAX(day_to) OVER (
                           PARTITION BY user_id, facts ORDER BY day_from, day_to
                           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
                           AS before_end
                  FROM days
            ), islands AS (
                SELECT *, SUM(CASE WHEN day_from <= before_end THEN 0 ELSE 1 END)
                              OVER (PARTITION BY user_id, facts
                                    ORDER BY day_from, day_to)
                              AS island
                  FROM ordered
            ), merged AS (
                SELECT user_id, facts, partner_id, company_id, team_id, tz,
                       MIN(day_from) AS day_from, MAX(day_to) AS day_to
                  FROM islands
                 GROUP BY user_id, facts, partner_id, company_id, team_id, tz, island
            )
            SELECT user_id, day_from, day_to,
                   day_from::timestamp AT TIME ZONE tz AT TIME ZONE 'UTC'
                       AS utc_from,
                   (day_to::timestamp + INTERVAL '1 day') AT TIME ZONE tz
                       AT TIME ZONE 'UTC' AS utc_to,
                   partner_id, company_id, team_id, tz, facts
              FROM merged
            """,
            salesperson=self._salesperson(),
            groups=SQL(", ").join(SQL("(%s::varchar)", group) for group in FACT_GROUPS),
        )

    def _upsert(self, rows, updates):
        """INSERT the rollup rows ``rows``; an existing row (``t``) takes the
        ``updates`` (SQL assignments, EXCLUDED the row inserted)."""
        return SQL(
            """
            INSERT INTO crm_sme_kpi_rollup AS t (%(names)s) %(rows)s
            ON CONFLICT (user_id, date, company_id, (COALESCE(team_id, 0)))
            DO UPDATE SET %(updates)s
            """,
            names=SQL(", ").join(
                SQL.identifier(name) for name in ROLLUP_KEY + [n for n, _t in MEASURES]
            ),
            rows=rows,
            updates=SQL(", ").join(updates),
        )

    def _insert_counted(self, counted, group=None):
        """Store the rows ``counted`` afresh; an existing row takes the figures
        of ``group`` (all when ``None``) and keeps the others."""
        updated = FACT_GROUPS[group] if group else [n for n, _t in MEASURES]
        return self._upsert(
            counted,
            [
                SQL("%s = EXCLUDED.%s", SQL.identifier(n), SQL.identifier(n))
                for n in updated
            ],
        )

    def _counted_in_ranges(self, group):
        """The rows of the stale ranges ``stale`` of ``group``, counted afresh
        by one statement: the facts of each range ``sr`` are a subquery of
        their own (not flattened: OFFSET 0), its bounds as parameters, so the
        planner reaches the days through the indexes."""
        stale_range = SQL(
            "(SELECT %s)",
            SQL(", ").join(
                SQL("sr.%s AS %s", SQL.identifier(name), SQL.identifier(name))
                for name in RANGE_COLUMNS
            ),
        )
        facts = SQL(
            """SELECT f.* FROM unnest(stale) sr
                 CROSS JOIN LATERAL (%s OFFSET 0) f
                WHERE sr.facts = %s""",
            SQL(" UNION ALL ").join(self._facts(stale_range, group)),
            group,
        )
        return self._per_day([facts])

    def _recount_group(self, group):
        """PL/pgSQL: count the figures of ``group`` again in its stale ranges:
        zero them, then store them counted afresh."""
        return SQL(
            """
            IF EXISTS (SELECT 1 FROM unnest(stale) WHERE facts = %(group)s) THEN
              UPDATE crm_sme_kpi_rollup t SET %(zeros)s
                FROM unnest(stale) sr
               WHERE sr.facts = %(group)s AND t.user_id = sr.user_id
                 AND t.date BETWEEN sr.day_from AND sr.day_to;
              %(insert)s;
            END IF;
            """,
            group=group,
            zeros=SQL(", ").join(
                SQL("%s = 0", SQL.identifier(name)) for name in FACT_GROUPS[group]
            ),
            insert=self._insert_counted(self._counted_in_ranges(group), group),
        )

    def _apply_function(self):
        """``crm_sme_kpi_apply_dirty()``: count the stale days again.

        A function, so that the deferred trigger at commit and the ORM (before
        a read) run the same statements. A change of a setting
        every figure depends on marks everything (no salesperson): then the
        whole rollup is counted again.
        """
        # only the figures the change can touch are counted again, by one
        # statement per group of figures whatever the number of stale ranges
        # (a statement costs more than the few days it counts)
        body = SQL(
            """
            DECLARE
              stale crm_sme_kpi_dirty_ranges[];
            BEGIN
              IF NOT EXISTS (SELECT 1 FROM crm_sme_kpi_rollup_dirty) THEN
                RETURN;
              END IF;
              IF EXISTS (SELECT 1 FROM crm_sme_kpi_rollup_dirty
                          WHERE user_id IS NULL) THEN
                DELETE FROM crm_sme_kpi_rollup;
                %(insert_all)s;
              ELSE
                SELECT array_agg(v) INTO stale FROM crm_sme_kpi_dirty_ranges v;
                %(recount_groups)s
                %(delete_empty)s;
              END IF;
              DELETE FROM crm_sme_kpi_rollup_dirty;
            END
            """,
            insert_all=self._insert_counted(self._counted()),
            recount_groups=SQL("").join(map(self._recount_group, FACT_GROUPS)),
            delete_empty=self._delete_empty_days(),
        )
        # Planned once per connection (generic plans): planning the big
        # statement costs more than counting a few days. No JIT: on a long
        # history the estimates pass its threshold, and compiling costs more.
        return SQL(
            "CREATE OR REPLACE FUNCTION crm_sme_kpi_apply_dirty() RETURNS void"
            " LANGUAGE plpgsql SET jit = off SET plan_cache_mode = force_generic_plan"
            " AS %s",
            self._inline(body),
        )

    def _delete_empty_days(self):
        """The days left without a figure have no row: found by an index of
        the empty rows, which is empty in between."""
        return SQL("DELETE FROM crm_sme_kpi_rollup WHERE %s", EMPTY_DAY)

    def _signed(self, before, after, alias):
        """The rows of a change, read as ``alias``: those ``after`` it adding,
        those ``before`` it subtracting (``None``: none, an insertion or a
        deletion)."""
        rows = SQL(" UNION ALL ").join(
            SQL("SELECT %s AS sme_sign, r.* FROM %s r", sign, version)
            for version, sign in ((after, 1), (before, -1))
            if version is not None
        )
        return Rows(SQL("(%s)", rows), SQL.identifier(alias, "sme_sign"))

    def _add_lead_changes(self, before, after):
        """Add to the stored days what a change of leads changes in them: the
        facts of the rows after it less those of the rows before, read in one
        pass.

        A lead's facts read only its own row besides tables whose changes
        are counted apart: on a day not stale, the stored figures less its
        facts before the change are those of the other leads, so the sum
        stays exact; a stale day is counted again anyway.
        """
        return self._add_facts([self._lead_row_facts(self._signed(before, after, "l"))])

    def _add_message_changes(self, before, after):
        """Add to the stored days what a change of messages changes in their
        authors' calls and done meetings (as ``_add_lead_changes``: those
        read the message besides tables whose changes are counted apart)."""
        messages = self._signed(before, after, "m")
        return self._add_facts(
            [
                self._done_activity_facts(None, category, messages)
                for category in ("phonecall", "meeting")
            ]
        )

    def _add_customer_changes(self, before, after):
        """Add to the stored days what a change of customers (their status,
        their company) changes in them: of the facts of their leads, only
        whether each lead became a client reads its customer, so the change
        is the conversion of each lead with its customer as it is less with
        its customer as it was ``before``."""
        # the leads of the customers and of their contacts, by their indexes
        leads = Rows(
            SQL(
                """(SELECT l.* FROM crm_lead l
                     WHERE l.partner_id IN (
                           SELECT a.id FROM %(after)s a
                            UNION ALL
                           SELECT p.id FROM %(after)s a
                             JOIN res_partner p ON p.commercial_partner_id = a.id))""",
                after=after,
            ),
            None,
        )

        def as_before(alias, partner_id):
            # the partner as it was: its row before the change, else as it is
            return SQL(
                """LEFT JOIN LATERAL (
                       SELECT b.commercial_partner_id, b.sme_customer_state
                         FROM %(before)s b WHERE b.id = %(partner_id)s
                        UNION ALL
                       SELECT r.commercial_partner_id, r.sme_customer_state
                         FROM res_partner r
                        WHERE r.id = %(partner_id)s AND NOT EXISTS (
                              SELECT 1 FROM %(before)s b WHERE b.id = r.id)
                   ) %(alias)s ON TRUE""",
                before=before,
                partner_id=partner_id,
                alias=SQL(alias),
            )

        # an empty status is not converted, as in the full count
        converted = SQL(
            "COALESCE((%s)::integer, 0) - COALESCE((%s)::integer, 0)",
            self._converted(SQL("cp")),
            self._converted(SQL("cp_before")),
        )
        fact = self._deal_facts(
            None,
            SQL("l.date_open"),
            ALWAYS,
            {"leads_converted": converted},
            joins=SQL(
                "%s %s %s",
                CUSTOMERS,
                as_before("p_before", SQL("l.partner_id")),
                as_before("cp_before", SQL("p_before.commercial_partner_id")),
            ),
            leads=leads,
        )
        return self._add_facts([fact])

    def _add_facts(self, facts):
        """Add the figures of ``facts`` (differences) to the stored days."""
        return SQL(
            "%s; %s",
            self._upsert(
                self._per_day(facts),
                [self._plus_excluded(name) for name, _type in MEASURES],
            ),
            self._delete_empty_days(),
        )

    def _plus_excluded(self, name):
        """``name = t.name + EXCLUDED.name``, a sum 0 when its count is (so no
        rounding residue is left on an empty day)."""
        plus = SQL("t.%s + EXCLUDED.%s", SQL.identifier(name), SQL.identifier(name))
        count = SUM_COUNTS.get(name)
        if count:
            plus = SQL(
                "CASE WHEN t.%s + EXCLUDED.%s = 0 THEN 0 ELSE %s END",
                SQL.identifier(count),
                SQL.identifier(count),
                plus,
            )
        return SQL("%s = %s", SQL.identifier(name), plus)

    def _inline(self, sql):
        """``sql`` as one literal string (a function body has no parameters)."""
        return self.env.cr.mogrify(sql).decode()

    # ---- what each change makes stale ----------------------------------------

    def _mark(self, rows):
        """INSERT the stale ranges ``rows`` selects: (user_id, from, to, facts)."""
        return SQL(
            "INSERT INTO crm_sme_kpi_rollup_dirty (user_id, utc_from, utc_to, facts)"
            " SELECT DISTINCT * FROM (%s) x",
            rows,
        )

    def _day_of(self, user, ts, facts):
        """The moment ``ts`` as a stale range: ``crm_sme_kpi_dirty_ranges``
        widens it to the salesperson's local day (a whole UTC day would make
        two local days stale); ``facts``: the FACT_GROUPS name whose figures
        the change touches."""
        return SQL("%s, %s, %s, %s", user, ts, ts, facts)

    def _watched_tables(self):
        """Per table: the columns the facts read, what a change of its rows
        does (a function of the changed rows before and after the change:
        ``None`` for an insertion's before, a deletion's after) and the
        changes that matter.

        A change of leads, messages or customers adds to the stored days what
        it changes in them (the most frequent writes: no day to count again);
        any other change, and a lead's first contact, marks stale the ranges
        that ``mark``'s function selects from the rows.
        """

        def mark(stale):
            def on_change(before, after):
                return self._mark(
                    SQL(" UNION ALL ").join(
                        stale(rows) for rows in (before, after) if rows is not None
                    )
                )

            return on_change

        def first_contact_days(rows):
            # the opening day of a lead whose first contact is, or was, one
            # of the messages (it reads the lead's other messages)
            return SQL(
                """SELECT %(lead_day)s FROM %(rows)s r
                     JOIN crm_lead l ON l.id = r.res_id
                    WHERE r.mail_activity_type_id IS NOT NULL
                      AND r.model = 'crm.lead'
                      AND l.user_id IS NOT NULL AND l.date_open IS NOT NULL
                      AND r.date >= l.date_open
                      AND NOT EXISTS (
                          SELECT 1 FROM mail_message o
                           WHERE o.model = 'crm.lead' AND o.res_id = l.id
                             AND o.mail_activity_type_id IS NOT NULL
                             AND o.date >= l.date_open AND o.date <= r.date
                             AND o.id <> r.id)""",
                lead_day=self._day_of(SQL("l.user_id"), SQL("l.date_open"), LEADS),
                rows=rows,
            )

        def message_changes(before, after):
            # most messages are no done activity (chatter, tracking): nothing
            activities = SQL(" OR ").join(
                SQL(
                    "EXISTS (SELECT 1 FROM %s r"
                    " WHERE r.mail_activity_type_id IS NOT NULL)",
                    rows,
                )
                for rows in (before, after)
                if rows is not None
            )
            return SQL(
                "IF %s THEN %s; %s; END IF",
                activities,
                self._add_message_changes(before, after),
                mark(first_contact_days)(before, after),
            )

        def meeting_days(rows):
            # the meeting itself and the done meeting activities it hides
            return SQL(
                """SELECT r.user_id, r.start - INTERVAL '1 day',
                          r.start + INTERVAL '7 days', %s
                     FROM %s r WHERE r.user_id IS NOT NULL""",
                ACTIVITIES,
                rows,
            )

        def whole_user(column):
            def days(rows):
                return SQL(
                    "SELECT r.%s, '-infinity'::timestamp, 'infinity'::timestamp, %s"
                    " FROM %s r WHERE r.%s IS NOT NULL",
                    SQL.identifier(column),
                    EVERY_FIGURE,
                    rows,
                    SQL.identifier(column),
                )

            return days

        def time_zone_days(rows):
            # a salesperson's or a company's time zone
            return SQL(
                """SELECT u.id, '-infinity'::timestamp, 'infinity'::timestamp,
                          %(every_figure)s
                     FROM %(rows)s r JOIN res_users u ON u.partner_id = r.id
                   UNION ALL
                   SELECT %(everything)s FROM %(rows)s r
                     JOIN res_company c ON c.partner_id = r.id""",
                rows=rows,
                everything=EVERYTHING,
                every_figure=EVERY_FIGURE,
            )

        def partner_changes(before, after):
            return SQL(
                "%s; %s",
                mark(time_zone_days)(before, after),
                self._add_customer_changes(before, after),
            )

        def everything(rows):
            return SQL("SELECT %s FROM %s r", EVERYTHING, rows)

        # insertions and deletions of users, customers, companies, stages and
        # types change no figure until a lead or a message refers to them
        every_change = ("insert", "update", "delete")
        updates = ("update",)
        return {
            "crm_lead": (LEAD_COLUMNS, self._add_lead_changes, every_change),
            "mail_message": (
                [
                    "model", "res_id", "date", "author_id", "mail_activity_type_id",
                    "record_company_id",
                ],
                message_changes,
                every_change,
            ),
            "calendar_event": (
                ["user_id", "start", "res_model", "res_id", "opportunity_id", "active"],
                mark(meeting_days),
                every_change,
            ),
            "crm_team_member": (
                ["user_id", "crm_team_id", "active", "create_date"],
                mark(whole_user("user_id")),
                every_change,
            ),
            "res_users": (
                ["partner_id", "company_id"], mark(whole_user("id")), updates
            ),
            "res_partner": (
                ["tz", "sme_customer_state", "commercial_partner_id"],
                partner_changes,
                updates,
            ),
            "res_company": (
                [
                    "partner_id", "sme_kpi_negotiation_stage_id",
                    "sme_kpi_first_contact_hours",
                ],
                mark(everything),
                updates,
            ),
            "crm_stage": (["is_won"], mark(everything), updates),
            "mail_activity_type": (["category"], mark(everything), updates),
        }  # fmt: skip

    def _trigger_statements(self, table, columns, on_change, operations):
        """The function and triggers that keep the figures exact when
        ``table`` changes: ``on_change`` of the rows before and after, of the
        updated rows only when a column the facts read changed. One
        statement-level trigger per operation (a bulk insert is handled once,
        not once per row).
        """
        function = SQL.identifier(f"crm_sme_kpi_mark_{table}")

        def changed_rows(version):
            """The updated rows, before (``o``) or after (``n``) the change."""
            return SQL(
                "(SELECT %s.* FROM old_rows o JOIN new_rows n USING (id) WHERE %s)",
                version,
                changed(columns),
            )

        def branch(operation, before, after):
            if operation not in operations:
                return SQL("NULL")  # no trigger: a no-op
            return on_change(before, after)

        body = SQL(
            """
            BEGIN
              IF TG_OP = 'INSERT' THEN
                %(insert)s;
              ELSIF TG_OP = 'DELETE' THEN
                %(delete)s;
              ELSIF EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n USING (id)
                             WHERE %(changed)s) THEN
                %(update)s;
              END IF;
              RETURN NULL;
            END
            """,
            insert=branch("insert", None, SQL("new_rows")),
            delete=branch("delete", SQL("old_rows"), None),
            changed=changed(columns),
            update=branch("update", changed_rows(SQL("o")), changed_rows(SQL("n"))),
        )
        # no JIT: compiling costs more than the few rows of a change
        statements = [
            SQL(
                "CREATE OR REPLACE FUNCTION %s() RETURNS trigger"
                " LANGUAGE plpgsql SET jit = off AS %s",
                function,
                self._inline(body),
            )
        ]
        referencing = {
            "insert": "NEW TABLE AS new_rows",
            "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
            "delete": "OLD TABLE AS old_rows",
        }
        for operation in operations:
            trigger = SQL.identifier(f"crm_sme_kpi_{operation}")
            statements += [
                SQL("DROP TRIGGER IF EXISTS %s ON %s", trigger, SQL.identifier(table)),
                SQL(
                    "CREATE TRIGGER %s AFTER %s ON %s REFERENCING %s"
                    " FOR EACH STATEMENT EXECUTE FUNCTION %s()",
                    trigger,
                    SQL(operation.upper()),
                    SQL.identifier(table),
                    SQL(referencing[operation]),
                    function,
                ),
            ]
        return statements

    def _commit_trigger_statements(self):
        """At commit, count what the transaction has made stale and not read.

        Server-side: it costs the ORM no query, so a write is as cheap for
        Odoo as without the add-on.
        """
        return [
            SQL(
                """CREATE OR REPLACE FUNCTION crm_sme_kpi_apply_at_commit()
                   RETURNS trigger LANGUAGE plpgsql AS
                   'BEGIN PERFORM crm_sme_kpi_apply_dirty(); RETURN NULL; END'"""
            ),
            SQL(
                "DROP TRIGGER IF EXISTS crm_sme_kpi_apply_at_commit"
                " ON crm_sme_kpi_rollup_dirty"
            ),
            SQL(
                """CREATE CONSTRAINT TRIGGER crm_sme_kpi_apply_at_commit
                   AFTER INSERT ON crm_sme_kpi_rollup_dirty
                   DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
                   EXECUTE FUNCTION crm_sme_kpi_apply_at_commit()"""
            ),
        ]

    def _base_indexes(self):
        """Indexes on the CRM's tables that let one salesperson-day be counted:
        ``(name, table, columns, where)``."""
        indexes = [
            ("crm_lead", ["user_id", "date_open"], ""),
            ("crm_lead", ["user_id", "date_closed"], ""),
            ("crm_lead", ["user_id", "date_last_stage_update"], ""),
            ("crm_lead", ["user_id", "(COALESCE(date_conversion, create_date))"], ""),
            ("crm_lead", ["date_open"], ""),
            (
                "mail_message",
                ["author_id", "date"],
                "mail_activity_type_id IS NOT NULL",
            ),
            (
                "mail_message",
                ["res_id", "date"],
                "model = 'crm.lead' AND mail_activity_type_id IS NOT NULL",
            ),
            ("calendar_event", ["user_id", "start"], ""),
            ("calendar_event", ["start"], "active"),
        ]
        return [
            (f"{table}_sme_kpi_{number}_index", table, columns, where)
            for number, (table, columns, where) in enumerate(indexes, start=1)
        ]

    @api.model
    def _create_indexes(self):
        cr = self.env.cr
        tools.create_unique_index(
            cr,
            "crm_sme_kpi_rollup_key_index",
            self._table,
            ["user_id", "date", "company_id", "(COALESCE(team_id, 0))"],
        )
        tools.create_index(cr, "crm_sme_kpi_rollup_date_index", self._table, ["date"])
        tools.create_index(
            cr,
            "crm_sme_kpi_rollup_empty_index",
            self._table,
            ["user_id"],
            where=self._inline(EMPTY_DAY),
        )
        for name, table, columns, where in self._base_indexes():
            tools.create_index(cr, name, table, columns, where=where)

    @api.model
    def _drop_from_base_tables(self):
        """Drop what ``init`` put on the CRM's tables (uninstall).

        The functions go with the triggers that call them (``CASCADE``).
        """
        cr = self.env.cr
        functions = [f"crm_sme_kpi_mark_{table}" for table in self._watched_tables()]
        functions += ["crm_sme_kpi_apply_at_commit", "crm_sme_kpi_apply_dirty"]
        for function in functions:
            cr.execute(
                SQL("DROP FUNCTION IF EXISTS %s() CASCADE", SQL.identifier(function))
            )
        cr.execute(SQL("DROP VIEW IF EXISTS crm_sme_kpi_dirty_ranges CASCADE"))
        for name, _table, _columns, _where in self._base_indexes():
            cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(name)))

    def init(self):
        self._create_indexes()
        cr = self.env.cr
        cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW crm_sme_kpi_dirty_ranges AS (%s)",
                self._dirty_ranges(),
            )
        )
        cr.execute(self._apply_function())
        for table, watched in self._watched_tables().items():
            for statement in self._trigger_statements(table, *watched):
                cr.execute(statement)
        for statement in self._commit_trigger_statements():
            cr.execute(statement)

    # ---- the ORM's side ------------------------------------------------------

    @api.model
    def _apply_changes(self):
        """Count again what the changes of this transaction made stale.

        Cheap when nothing is: the figures read in a read-only transaction
        are always up to date, since every transaction counts its own
        changes before it commits.
        """
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(SQL("SELECT EXISTS (SELECT 1 FROM crm_sme_kpi_rollup_dirty)"))
        if cr.fetchone()[0]:
            cr.execute(SQL("SELECT crm_sme_kpi_apply_dirty()"))

    @api.model
    def _rebuild(self):
        """Count every figure again from the CRM history (repair command).

        :return: the number of rollup rows
        """
        self.env.flush_all()
        cr = self.env.cr
        # the full count hashes millions of facts: room to do it in memory
        cr.execute(SQL("SET LOCAL work_mem = '64MB'"))
        cr.execute(self._mark(SQL("SELECT %s", EVERYTHING)))
        cr.execute(SQL("SELECT crm_sme_kpi_apply_dirty()"))
        cr.execute(SQL("SELECT COUNT(*) FROM crm_sme_kpi_rollup"))
        self.invalidate_model()
        return cr.fetchone()[0]

    @api.model
    def _stored_and_counted(self):
        """The stored rows and the same rows counted from the history, both
        sorted: equal when the rollup is exact (tests, benchmark)."""
        self._apply_changes()
        # sums of floats in another order differ in their last bits
        measures = [
            SQL("round(%s::numeric, 6)", SQL.identifier(name))
            if sql_type == "float"
            else SQL.identifier(name)
            for name, sql_type in MEASURES
        ]
        columns = SQL(", ").join([*map(SQL.identifier, ROLLUP_KEY), *measures])
        cr = self.env.cr
        cr.execute(SQL("SELECT %s FROM crm_sme_kpi_rollup", columns))
        stored = sorted(cr.fetchall(), key=str)
        cr.execute(SQL("SELECT %s FROM (%s) c", columns, self._counted()))
        return stored, sorted(cr.fetchall(), key=str)

    @api.model
    def action_rebuild(self):
        """Server action for administrators: rebuild, then say how it went."""
        rows = self._rebuild()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _(
                    "Sales effectiveness figures counted again: %(rows)s days.",
                    rows=rows,
                ),
            },
        }
