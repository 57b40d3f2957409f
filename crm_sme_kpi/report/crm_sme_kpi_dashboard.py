# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""The sales head's dashboard: who sells how, and why, in one server call.

``get_dashboard`` returns the whole screen for a team and a period: each
salesperson's figures beside the team medians (``crm.sme.kpi.summary``, live),
the previous period and the last six, the open flags, the funnel of the
leads received. ``action_drilldown`` opens the records behind a number.

Access is decided here, not in the browser: a salesperson gets their own row
and the team's medians and funnel (aggregates), never a colleague's figures;
a sales manager gets everyone's, and the flags.
"""

from collections import defaultdict
from datetime import datetime, time

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import groupby
from odoo.tools.misc import format_date

from ..periods import PERIOD_TYPES, period_start_of, period_step

TREND_PERIODS = 6
# a figure this far from the team median (share of the median) is coloured
FAR_FROM_MEDIAN = 0.5
ACTIVITY_MODELS = ["crm.lead", "res.partner"]
# figures that are counts: no figures means zero
COUNTS = ["leads_received", "calls", "meetings", "won_count", "won_revenue"]


class CrmSmeKpiDashboard(models.AbstractModel):
    _name = "crm.sme.kpi.dashboard"
    _description = "Sales Effectiveness Dashboard"

    def _figures(self):
        """The dashboard's figures: key, label, unit, which way is better."""
        return [
            ("leads_received", _("Leads received"), "count", "high"),
            ("conversion_rate", _("Conversion to clients"), "percent", "high"),
            ("calls", _("Calls"), "count", "high"),
            ("meetings", _("Meetings"), "count", "high"),
            ("won_count", _("Won deals"), "count", "high"),
            ("won_revenue", _("Won revenue"), "money", "high"),
            ("meetings_per_won", _("Meetings per won deal"), "ratio", "low"),
            ("calls_per_won", _("Calls per won deal"), "ratio", "low"),
            ("negotiation_value", _("Average deal at negotiation"), "money", "high"),
            ("first_contact_hours", _("Hours to first contact"), "hours", "low"),
        ]

    # ---- who sees what -------------------------------------------------------

    def _is_manager(self):
        return self.env.user.has_group("sales_team.group_sale_manager")

    def _visible_teams(self):
        """A manager's: every team; a salesperson's: the teams they are in."""
        teams = self.env["crm.team"].search(
            [("company_id", "in", [False, *self.env.companies.ids])]
        )
        if self._is_manager():
            return teams
        return teams.filtered(lambda team: self.env.user in team.member_ids)

    def _default_team(self, teams):
        """The team the reader leads, else the one they are in, else the first."""
        user = self.env.user
        led = teams.filtered(lambda team: team.user_id == user)
        return led[:1] or user.sale_team_id & teams or teams[:1]

    def _check_can_read(self, user):
        if user != self.env.user and not self._is_manager():
            raise AccessError(_("You can only open your own figures."))

    # ---- the period ----------------------------------------------------------

    def _period(self, period_type, period_start):
        """The start of the period (today's by default), and its label."""
        if period_type not in dict(PERIOD_TYPES):
            raise ValueError(f"unknown period type {period_type!r}")
        day = fields.Date.to_date(period_start) or fields.Date.context_today(self)
        return period_start_of(day, period_type)

    def _period_label(self, start, period_type):
        if period_type == "month":
            return format_date(self.env, start, date_format="LLLL yyyy")
        if period_type == "quarter":
            return format_date(self.env, start, date_format="QQQ yyyy")
        return _("Week of %(date)s", date=format_date(self.env, start))

    def _utc_bounds(self, user, start, period_type):
        """The period as the salesperson lives it (their time zone), in UTC:
        the figures count their local days."""
        tz = pytz.timezone(user.tz or user.company_id.partner_id.tz or "UTC")
        end = start + period_step(period_type)
        return [
            tz.localize(datetime.combine(day, time.min))
            .astimezone(pytz.utc)
            .replace(tzinfo=None)
            for day in (start, end)
        ]

    # ---- the screen ----------------------------------------------------------

    @api.model
    def get_dashboard(self, team_id=False, period_type="month", period_start=False):
        """The whole dashboard of a team and period (JSON-ready; see readme)."""
        self.env["crm.sme.kpi.summary"].check_access("read")
        teams = self._visible_teams()
        team = teams.filtered(lambda t: t.id == team_id) or self._default_team(teams)
        start = self._period(period_type, period_start)
        # one period more than the trend: the one before, for the fallback
        starts = [
            start - period_step(period_type) * back
            for back in range(TREND_PERIODS, -1, -1)
        ]
        summaries = self._summaries(team, period_type, starts) if team else {}
        if not period_start and not any(day == start for _u, day in summaries):
            # the first days of a period: show the last one rather than nothing
            start = starts[-2]
            starts = starts[:-1]
        else:
            starts = starts[1:]
        figures = self._figures()
        result = {
            "live": True,
            "is_manager": self._is_manager(),
            "teams": [{"id": t.id, "name": t.display_name} for t in teams],
            "team": {"id": team.id, "name": team.display_name} if team else False,
            "period": {
                "type": period_type,
                "types": [[key, label] for key, label in self._period_types()],
                "start": fields.Date.to_string(start),
                "label": self._period_label(start, period_type),
                "previous": fields.Date.to_string(starts[-2]),
                "next": fields.Date.to_string(start + period_step(period_type)),
                "trend": [self._period_label(s, period_type) for s in starts],
            },
            "figures": [
                {"key": key, "label": label, "unit": unit, "better": better}
                for key, label, unit, better in figures
            ],
            "currency": self._currency(),
            "medians": {},
            "rows": [],
            "funnel": {"stages": [], "team": []},
            "open_flags": 0,
        }
        if not team:
            return result
        medians = self._medians(summaries, start, figures)
        result["medians"] = medians
        users = self._row_users(team, summaries)
        flags = self._open_flags(team, period_type, start) if self._is_manager() else {}
        stages, team_funnel, funnels = self._funnels(team, users, start, period_type)
        result["funnel"] = {
            "stages": [{"id": s.id, "name": s.name} for s in stages],
            "team": team_funnel,
        }
        screen = {
            "summaries": summaries,
            "starts": starts,
            "figures": figures,
            "medians": medians,
            "flags": flags,
            "funnels": funnels,
            "call_lists": self.env["crm.sme.call.item"]._worked_counts(
                users, start, start + period_step(period_type)
            ),
        }
        result["rows"] = [self._row(user, screen) for user in users]
        if self._is_manager():
            result["open_flags"] = self.env["crm.kpi.flag"].search_count(
                [("team_id", "=", team.id), ("state", "=", "open")]
            )
        return result

    def _period_types(self):
        field = self.env["crm.sme.kpi.summary"]._fields["period_type"]
        return field._description_selection(self.env)

    def _currency(self):
        currency = self.env.company.currency_id
        return {"symbol": currency.symbol, "position": currency.position}

    def _summaries(self, team, period_type, starts):
        """The team's summary rows of the periods, by (salesperson, start).

        Read as superuser: the medians are the team's, whoever reads them;
        which rows leave the server is decided by ``_row_users``. Every figure
        is fetched with the search, in one query: reading a field later would
        count the view again for all of its rows' ids.
        """
        summary = self.env["crm.sme.kpi.summary"].sudo()
        rows = summary.search_fetch(
            [
                ("team_id", "=", team.id),
                ("period_type", "=", period_type),
                ("date", "in", starts),
                ("company_id", "in", self.env.companies.ids),
            ],
            [name for name, field in summary._fields.items() if field.column_type],
        )
        return {(row.user_id.id, row.date): row for row in rows}

    def _medians(self, summaries, start, figures):
        """The team medians of the period (every row of it carries them)."""
        row = next((r for (_u, day), r in summaries.items() if day == start), None)
        return {key: row[f"median_{key}"] if row else None for key, *_rest in figures}

    def _row_users(self, team, summaries):
        """Whose rows are shown: the team's members and anyone with figures in
        it (a salesperson who left), or only the reader for a salesperson."""
        users = team.member_ids | self.env["res.users"].browse(
            {user_id for user_id, _day in summaries}
        )
        if not self._is_manager():
            users &= self.env.user
        return users.sorted("name")

    @api.model
    def _values(self, row):
        """The dashboard's figures of one summary row (``None``: no figure).

        The ratios are taken from the counts: a ratio without a divisor is
        no figure, where the summary would read 0.
        """
        values = {key: row[key] if row else 0 for key in COUNTS}
        received, won = values["leads_received"], values["won_count"]
        values.update(
            conversion_rate=100.0 * row.leads_converted / received
            if received
            else None,
            meetings_per_won=values["meetings"] / won if won else None,
            calls_per_won=values["calls"] / won if won else None,
            negotiation_value=row.negotiation_value or None if row else None,
            first_contact_hours=row.first_contact_hours or None if row else None,
        )
        return values

    def _row(self, user, screen):
        """One salesperson's row; ``screen`` holds what all rows share."""
        summaries, figures = screen["summaries"], screen["figures"]
        by_start = [self._values(summaries.get((user.id, s))) for s in screen["starts"]]
        current = by_start[-1]
        return {
            "user": {"id": user.id, "name": user.name},
            "values": current,
            "previous": by_start[-2],
            "trend": {key: [v[key] for v in by_start] for key, *_r in figures},
            "deviation": {
                key: self._deviation(current[key], screen["medians"][key], better)
                for key, _label, _unit, better in figures
            },
            "flags": screen["flags"].get(user.id, []),
            "funnel": screen["funnels"].get(user.id, []),
            "call_list": dict(
                zip(
                    ("given", "worked"),
                    screen["call_lists"].get(user.id, (0, 0)),
                    strict=True,
                )
            ),
        }

    @api.model
    def _deviation(self, value, median, better):
        """How a figure stands against the team median, for its colour.

        ``good``/``bad`` (which way is better depends on the figure), and
        ``_far`` when the gap is at least FAR_FROM_MEDIAN of the median.
        """
        # no meeting per won deal is no logged meeting, not a good sign
        if (
            value is None
            or not median
            or value == median
            or (not value and better == "low")
        ):
            return "even"
        gap = (value - median) / abs(median)
        side = "good" if (gap > 0) == (better == "high") else "bad"
        return f"{side}_far" if abs(gap) >= FAR_FROM_MEDIAN else side

    def _open_flags(self, team, period_type, start):
        flags = self.env["crm.kpi.flag"].search(
            [
                ("team_id", "=", team.id),
                ("period_type", "=", period_type),
                ("period_start", "=", start),
                ("state", "=", "open"),
            ]
        )
        by_user = {}
        for flag in flags:
            by_user.setdefault(flag.user_id.id, []).append(
                {"id": flag.id, "name": flag.name, "explanation": flag.explanation}
            )
        return by_user

    def _funnels(self, team, users, start, period_type):
        """Of the leads received in the period, how many reached each stage.

        A lead reached a stage when its stage (current, or when it was lost)
        is that one or a later one of the team's pipeline. The team's funnel
        covers all its members, whoever reads it (an aggregate, like the
        medians).
        """
        stages = self.env["crm.stage"].search(
            ["|", ("team_id", "=", False), ("team_id", "=", team.id)]
        )
        leads = self.env["crm.lead"].sudo().with_context(active_test=False)
        received_by = defaultdict(dict)
        # one query per time zone: the period is each salesperson's own
        for (since, until), people in groupby(
            team.member_ids | users,
            key=lambda user: tuple(self._utc_bounds(user, start, period_type)),
        ):
            for user, stage, count in leads._read_group(
                [
                    ("user_id", "in", [user.id for user in people]),
                    ("date_open", ">=", since),
                    ("date_open", "<", until),
                ],
                ["user_id", "stage_id"],
                ["__count"],
            ):
                received_by[user.id][stage] = count

        def reached(counts):
            return [
                sum(
                    n
                    for stage, n in counts.items()
                    if stage and stage.sequence >= s.sequence
                )
                for s in stages
            ]

        team_counts = {}
        for counts in received_by.values():
            for stage, n in counts.items():
                team_counts[stage] = team_counts.get(stage, 0) + n
        funnels = {user.id: reached(received_by[user.id]) for user in users}
        return stages, reached(team_counts), funnels

    # ---- drill-down ----------------------------------------------------------

    @api.model
    def action_drilldown(self, user_id, figure, period_type, period_start):
        """The records a number of the dashboard counts, in a normal list."""
        user = self.env["res.users"].browse(user_id).exists()
        if not user:
            raise AccessError(_("This salesperson no longer exists."))
        self._check_can_read(user)
        start = self._period(period_type, period_start)
        since, until = self._utc_bounds(user, start, period_type)
        model, domain = self._drilldown_domain(user, figure, since, until)
        label = {key: label for key, label, *_r in self._figures()}[figure]
        return {
            "type": "ir.actions.act_window",
            "name": _(
                "%(figure)s: %(user)s, %(period)s",
                figure=label,
                user=user.name,
                period=self._period_label(start, period_type),
            ),
            "res_model": model,
            "domain": domain,
            "views": [(self._list_view(model), "list"), (False, "form")],
            "context": {"active_test": False, "create": False},
            "target": "current",
        }

    def _list_view(self, model):
        if model == "mail.message":
            return self.env.ref("mail.view_message_tree").id
        return False

    def _drilldown_domain(self, user, figure, since, until):
        """``(model, domain)`` of the records behind ``figure``."""

        def between(fname):
            return [(fname, ">=", since), (fname, "<", until)]

        mine = [("user_id", "=", user.id)]
        negotiation_stage = user.company_id.sme_kpi_negotiation_stage_id
        won = [*mine, *between("date_closed"), ("stage_id.is_won", "=", True)]
        received = [*mine, *between("date_open")]
        domains = {
            "leads_received": ("crm.lead", received),
            "first_contact_hours": ("crm.lead", received),
            "conversion_rate": (
                "crm.lead",
                [
                    *received,
                    "|",
                    ("stage_id.is_won", "=", True),
                    (
                        "partner_id.commercial_partner_id.sme_customer_state",
                        "=",
                        "client",
                    ),
                ],
            ),
            "won_count": ("crm.lead", won),
            "won_revenue": ("crm.lead", won),
            "meetings_per_won": (
                "calendar.event",
                self._meetings_domain(user, between),
            ),
            "calls_per_won": ("mail.message", self._calls_domain(user, between)),
            "negotiation_value": (
                "crm.lead",
                [
                    *mine,
                    *between("date_last_stage_update"),
                    ("active", "=", True),
                    ("stage_id", "=", negotiation_stage.id),
                ],
            ),
            "calls": ("mail.message", self._calls_domain(user, between)),
            "meetings": ("calendar.event", self._meetings_domain(user, between)),
        }
        if figure not in domains:
            raise ValueError(f"unknown figure {figure!r}")
        return domains[figure]

    def _calls_domain(self, user, between):
        return [
            ("author_id", "=", user.partner_id.id),
            ("mail_activity_type_id.category", "=", "phonecall"),
            ("model", "in", ACTIVITY_MODELS),
            *between("date"),
        ]

    def _meetings_domain(self, user, between):
        return [
            ("user_id", "=", user.id),
            *between("start"),
            ("start", "<", fields.Datetime.now()),
            "|",
            ("opportunity_id", "!=", False),
            ("res_model", "in", ACTIVITY_MODELS),
        ]
