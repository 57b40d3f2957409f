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
company and team. PostgreSQL triggers on the tables the facts read note the
salesperson-days a change touches in ``crm_sme_kpi_dirty``; those days are
counted again from the facts, in the same transaction: before the figures are
read in it, and by a deferred trigger when it commits. So the stored rows always
equal a full count of the history, and a read costs the same whatever its
size. ``_rebuild`` counts everything again: a repair command, never needed in
normal use.

Two figures depend on the time as well: a lead without a contact becomes
late when its deadline passes, and a calendar meeting counts once it has
started. The rollup counts both as if their time had come; the report
subtracts, when read, the few leads still within their deadline and the
meetings still to come (``_pending``).
"""

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
# the group of each date lead and deal facts are dated by (the first of the
# columns that is set), with the other columns of the lead those facts read,
# beside LEAD_OWNER: a change of none of them leaves that group's facts of
# that date as they are
LEAD_DATES = [
    ("leads", ["date_open"], ["stage_id", "partner_id"]),
    ("opportunities", ["date_conversion", "create_date"], ["type"]),
    ("closed", ["date_closed"],
     ["stage_id", "active", "probability", "expected_revenue"]),
    ("negotiation", ["date_last_stage_update"],
     ["stage_id", "active", "expected_revenue"]),
]  # fmt: skip
LEAD_OWNER = ["user_id", "team_id", "company_id"]
# a stale range, with its salesperson's columns the facts read
RANGE_COLUMNS = ["user_id", "utc_from", "utc_to", "partner_id", "company_id",
                 "team_id", "tz"]  # fmt: skip
ALWAYS = SQL("TRUE")
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
    def _fact(self, values, source):
        """One kind of fact: ``values`` fills columns by name, the rest are 0.

        :param dict values: SQL expression per column of FACT_KEYS/MEASURES
        :param SQL source: the FROM ... WHERE clause the values read
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
                "COALESCE((%s)::%s, 0) AS %s",
                values.get(name, SQL("0")),
                SQL(sql_type),
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
    def _lead_facts(self, keys, where=ALWAYS):
        """Leads received; ``where`` narrows them (the pending ones)."""
        return self._deal_facts(
            keys,
            SQL("l.date_open"),
            where,
            {
                "leads_received": SQL("1"),
                "leads_converted": SQL(
                    "s.is_won IS TRUE OR cp.sme_customer_state = 'client'"
                ),
                # a lead not contacted yet counts as late: _pending corrects it
                "late_first_contact": SQL(
                    "fc.date IS NULL OR fc.date - l.date_open"
                    " > make_interval(hours => c.sme_kpi_first_contact_hours)"
                ),
                "first_contact_hours_sum": SQL(
                    "COALESCE(EXTRACT(EPOCH FROM fc.date - l.date_open) / 3600.0, 0)"
                ),
                "first_contact_count": SQL("fc.date IS NOT NULL"),
            },
            joins=SQL(
                """
                LEFT JOIN res_partner p ON p.id = l.partner_id
                LEFT JOIN res_partner cp ON cp.id = p.commercial_partner_id
                LEFT JOIN LATERAL (SELECT MIN(m.date) AS date %s) fc ON TRUE
                """,
                LEAD_CONTACTS,
            ),
        )

    @api.model
    def _deal_facts(self, keys, ts, where, measures, joins=NO_JOIN):
        """One kind of lead or deal event, dated by ``ts`` (an SQL expression);
        ``joins`` adds what its measures read beside the lead and its stage."""
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
                FROM crm_lead l
                JOIN (%(salespeople)s) sp ON sp.id = l.user_id
                %(keys)s
                JOIN res_company c ON c.id = COALESCE(l.company_id, sp.company_id)
                LEFT JOIN crm_stage s ON s.id = l.stage_id
                %(joins)s
               WHERE %(ts)s IS NOT NULL AND %(where)s
                """,
                salespeople=self._salespeople(keys),
                keys=self._in_keys(keys, SQL("l.user_id"), ts),
                joins=joins,
                ts=ts,
                where=where,
            ),
        )

    @api.model
    def _all_deal_facts(self, keys):
        """Opportunities created, deals won or lost, deals in negotiation,
        per group of FACT_GROUPS.

        One fact per kind, each dated by a plain column, so that a range on
        the date reaches the indexes of the lead table.
        """
        revenue = SQL("COALESCE(l.expected_revenue, 0)")
        return {
            "opportunities": [
                self._deal_facts(
                    keys,
                    SQL("COALESCE(l.date_conversion, l.create_date)"),
                    SQL("l.type = 'opportunity'"),
                    {"opportunities_created": SQL("1")},
                ),
            ],
            "closed": [
                self._deal_facts(
                    keys,
                    SQL("l.date_closed"),
                    SQL("s.is_won AND l.active"),
                    {"won_count": SQL("1"), "won_revenue": revenue},
                ),
                self._deal_facts(
                    keys,
                    SQL("l.date_closed"),
                    SQL("NOT l.active AND l.probability = 0"),
                    {"lost_count": SQL("1")},
                ),
            ],
            "negotiation": [
                self._deal_facts(
                    keys,
                    SQL("l.date_last_stage_update"),
                    SQL(
                        "l.active AND NOT COALESCE(s.is_won, FALSE)"
                        " AND l.stage_id = c.sme_kpi_negotiation_stage_id"
                    ),
                    {
                        "negotiation_value_sum": revenue,
                        "negotiation_count": SQL("l.expected_revenue IS NOT NULL"),
                    },
                ),
            ],
        }

    @api.model
    def _done_activity_facts(self, keys, category):
        """Done activities of one type category ("phonecall" or "meeting").

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
                JOIN mail_message m ON m.author_id = sp.partner_id
                %(keys)s
                JOIN mail_activity_type t ON t.id = m.mail_activity_type_id
               WHERE m.mail_activity_type_id IS NOT NULL
                 AND m.model IN ('crm.lead', 'res.partner')
                 AND t.category = %(category)s
                 %(dedupe)s
                """,
                authors=self._authors(keys),
                keys=self._in_keys(keys, SQL("sp.id"), SQL("m.date")),
                category=category,
                dedupe=dedupe,
            ),
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

    def _insert_counted(self, counted, group=None):
        """Store the rows ``counted`` afresh; an existing row takes the figures
        of ``group`` (all when ``None``) and keeps the others."""
        names = SQL(", ").join(
            SQL.identifier(name) for name in ROLLUP_KEY + [n for n, _t in MEASURES]
        )
        updated = FACT_GROUPS[group] if group else [n for n, _t in MEASURES]
        return SQL(
            """
            INSERT INTO crm_sme_kpi_rollup (%(names)s) %(counted)s
            ON CONFLICT (user_id, date, company_id, (COALESCE(team_id, 0)))
            DO UPDATE SET %(updates)s
            """,
            names=names,
            counted=counted,
            updates=SQL(", ").join(
                SQL("%s = EXCLUDED.%s", SQL.identifier(n), SQL.identifier(n))
                for n in updated
            ),
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
                -- the days left without a figure have no row
                DELETE FROM crm_sme_kpi_rollup t USING unnest(stale) sr
                 WHERE t.user_id = sr.user_id
                   AND t.date BETWEEN sr.day_from AND sr.day_to
                   AND NOT (%(some_figure)s);
              END IF;
              DELETE FROM crm_sme_kpi_rollup_dirty;
            END
            """,
            insert_all=self._insert_counted(self._counted()),
            recount_groups=SQL("").join(map(self._recount_group, FACT_GROUPS)),
            some_figure=SQL(" OR ").join(
                SQL("t.%s <> 0", SQL.identifier(name)) for name, _type in MEASURES
            ),
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
        """Per table: the columns the facts read, what a change marks stale
        (a function of the changed rows, before or after the change, that
        selects the stale ranges), the changes that matter and, optionally,
        what an update marks stale (of the rows before and after together).
        """

        def lead_date(alias, columns):
            return SQL(
                "COALESCE(%s)",
                SQL(", ").join(SQL.identifier(alias, c) for c in columns),
            )

        def lead_days(rows):
            return SQL(
                """SELECT %(day)s FROM %(rows)s r,
                          LATERAL (VALUES %(dates)s) v(ts, facts)
                    WHERE r.user_id IS NOT NULL AND v.ts IS NOT NULL""",
                day=self._day_of(SQL("r.user_id"), SQL("v.ts"), SQL("v.facts")),
                rows=rows,
                dates=SQL(", ").join(
                    SQL("(%s, %s)", lead_date("r", dates), group)
                    for group, dates, _read in LEAD_DATES
                ),
            )

        def lead_changes():
            """An updated lead's days (before and after) whose facts read a
            column that changed, with the group of those facts only."""
            values = []
            for group, dates, read in LEAD_DATES:
                read_changed = changed(LEAD_OWNER + dates + read)
                values += [
                    SQL("(%s.user_id, %s, %s, %s)", SQL(alias),
                        lead_date(alias, dates), read_changed, group)
                    for alias in ("o", "n")
                ]  # fmt: skip
            return SQL(
                """SELECT %(day)s FROM old_rows o JOIN new_rows n USING (id),
                          LATERAL (VALUES %(values)s) v(user_id, ts, changed, facts)
                    WHERE v.changed AND v.user_id IS NOT NULL
                      AND v.ts IS NOT NULL""",
                day=self._day_of(SQL("v.user_id"), SQL("v.ts"), SQL("v.facts")),
                values=SQL(", ").join(values),
            )

        def message_days(rows):
            return SQL(
                """SELECT %(author_day)s FROM %(rows)s r
                     JOIN res_users u ON u.partner_id = r.author_id
                    WHERE r.mail_activity_type_id IS NOT NULL
                      AND r.model IN ('crm.lead', 'res.partner')
                   UNION ALL
                   SELECT %(lead_day)s FROM %(rows)s r
                     JOIN crm_lead l ON l.id = r.res_id
                    WHERE r.mail_activity_type_id IS NOT NULL
                      AND r.model = 'crm.lead'
                      AND l.user_id IS NOT NULL AND l.date_open IS NOT NULL
                      -- the lead's first contact is, or was, this message
                      AND r.date >= l.date_open
                      AND NOT EXISTS (
                          SELECT 1 FROM mail_message o
                           WHERE o.model = 'crm.lead' AND o.res_id = l.id
                             AND o.mail_activity_type_id IS NOT NULL
                             AND o.date >= l.date_open AND o.date <= r.date
                             AND o.id <> r.id)""",
                author_day=self._day_of(SQL("u.id"), SQL("r.date"), ACTIVITIES),
                lead_day=self._day_of(SQL("l.user_id"), SQL("l.date_open"), LEADS),
                rows=rows,
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

        def partner_days(rows):
            # a customer's status or company (its leads' conversion, on the
            # days they were assigned), a time zone
            return SQL(
                """SELECT %(lead_day)s FROM %(rows)s r
                     JOIN crm_lead l ON l.partner_id = r.id
                    WHERE l.user_id IS NOT NULL AND l.date_open IS NOT NULL
                   UNION ALL
                   SELECT %(lead_day)s FROM %(rows)s r
                     JOIN res_partner p ON p.commercial_partner_id = r.id
                     JOIN crm_lead l ON l.partner_id = p.id
                    WHERE l.user_id IS NOT NULL AND l.date_open IS NOT NULL
                   UNION ALL
                   SELECT u.id, '-infinity'::timestamp, 'infinity'::timestamp,
                          %(every_figure)s
                     FROM %(rows)s r JOIN res_users u ON u.partner_id = r.id
                   UNION ALL
                   SELECT %(everything)s FROM %(rows)s r
                     JOIN res_company c ON c.partner_id = r.id""",
                lead_day=self._day_of(SQL("l.user_id"), SQL("l.date_open"), LEADS),
                rows=rows,
                everything=EVERYTHING,
                every_figure=EVERY_FIGURE,
            )

        def everything(rows):
            return SQL("SELECT %s FROM %s r", EVERYTHING, rows)

        # insertions and deletions of users, customers, companies, stages and
        # types change no figure until a lead or a message refers to them
        every_change = ("insert", "update", "delete")
        updates = ("update",)
        return {
            "crm_lead": (
                list(dict.fromkeys(
                    LEAD_OWNER
                    + [c for _group, dates, read in LEAD_DATES for c in dates + read]
                )),
                lead_days,
                every_change,
                lead_changes,
            ),
            "mail_message": (
                [
                    "model", "res_id", "date", "author_id", "mail_activity_type_id",
                    "record_company_id",
                ],
                message_days,
                every_change,
            ),
            "calendar_event": (
                ["user_id", "start", "res_model", "res_id", "opportunity_id", "active"],
                meeting_days,
                every_change,
            ),
            "crm_team_member": (
                ["user_id", "crm_team_id", "active", "create_date"],
                whole_user("user_id"),
                every_change,
            ),
            "res_users": (["partner_id", "company_id"], whole_user("id"), updates),
            "res_partner": (
                ["tz", "sme_customer_state", "commercial_partner_id"],
                partner_days,
                updates,
            ),
            "res_company": (
                [
                    "partner_id", "sme_kpi_negotiation_stage_id",
                    "sme_kpi_first_contact_hours",
                ],
                everything,
                updates,
            ),
            "crm_stage": (["is_won"], everything, updates),
            "mail_activity_type": (["category"], everything, updates),
        }  # fmt: skip

    def _trigger_statements(
        self, table, columns, stale, operations, stale_on_update=None
    ):
        """The function and triggers that mark what a change of ``table`` makes
        stale: the rows before and after, when a column the facts read changed
        (or what ``stale_on_update`` selects from the rows before and after).
        One statement-level trigger per operation (a bulk insert marks its
        days once, not once per row).
        """
        function = SQL.identifier(f"crm_sme_kpi_mark_{table}")

        def changed_rows(version):
            """The updated rows, before (``o``) or after (``n``) the change."""
            return SQL(
                "(SELECT %s.* FROM old_rows o JOIN new_rows n USING (id) WHERE %s)",
                version,
                changed(columns),
            )

        if stale_on_update is None:
            on_update = SQL(
                "%s UNION ALL %s",
                stale(changed_rows(SQL("o"))),
                stale(changed_rows(SQL("n"))),
            )
        else:
            on_update = stale_on_update()

        body = SQL(
            """
            BEGIN
              IF TG_OP = 'INSERT' THEN
                %(insert)s;
              ELSIF TG_OP = 'DELETE' THEN
                %(delete)s;
              ELSE
                %(update)s;
              END IF;
              RETURN NULL;
            END
            """,
            insert=self._mark(stale(SQL("new_rows"))),
            delete=self._mark(stale(SQL("old_rows"))),
            update=self._mark(on_update),
        )
        statements = [
            SQL(
                "CREATE OR REPLACE FUNCTION %s() RETURNS trigger"
                " LANGUAGE plpgsql AS %s",
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
