# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""Anomaly flags: what the effectiveness figures reveal about a salesperson.

The rules read the figures of ``crm.sme.kpi.report`` grouped per salesperson
in one query, compare them with the team medians and create at most one flag
per salesperson, rule and period; each flag carries a sentence that explains
it and gives the sales head an activity.
"""

import logging
import statistics
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models

_logger = logging.getLogger(__name__)

RULES = [
    ("no_contact_wins", "Wins without logged calls or meetings"),
    ("low_conversion", "Many leads, low conversion"),
    ("meetings_no_win", "Many meetings, no won deal"),
    ("slow_first_contact", "Leads left without first contact"),
]


class CrmKpiFlag(models.Model):
    _name = "crm.kpi.flag"
    _description = "Sales Effectiveness Flag"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "period_start desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    rule = fields.Selection(RULES, required=True, readonly=True)
    explanation = fields.Text(required=True, readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Salesperson", required=True, readonly=True, index=True
    )
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    period_type = fields.Selection(
        [("week", "Week"), ("month", "Month"), ("quarter", "Quarter")],
        string="Period",
        required=True,
        default="month",
        readonly=True,
    )
    period_start = fields.Date(required=True, readonly=True)
    value = fields.Float(string="Figure", readonly=True)
    team_median = fields.Float(readonly=True)
    state = fields.Selection(
        [("open", "Open"), ("acknowledged", "Acknowledged")],
        default="open",
        required=True,
        tracking=True,
    )
    acknowledge_note = fields.Text()
    acknowledged_by_id = fields.Many2one("res.users", readonly=True)
    acknowledged_date = fields.Datetime(readonly=True)

    _sql_constraints = [
        (
            "flag_unique",
            "unique(user_id, rule, period_type, period_start, company_id)",
            "There is already a flag for this salesperson, rule and period.",
        )
    ]

    @api.depends("rule", "user_id", "period_start")
    def _compute_name(self):
        rules = dict(self._fields["rule"]._description_selection(self.env))
        for flag in self:
            flag.name = f"{rules.get(flag.rule, '')}: {flag.user_id.name or ''}"

    # ---- actions -------------------------------------------------------------

    def action_acknowledge(self):
        """A manager acknowledges the flag; the note says what was decided."""
        self.write(
            {
                "state": "acknowledged",
                "acknowledged_by_id": self.env.uid,
                "acknowledged_date": fields.Datetime.now(),
            }
        )
        self.activity_ids.action_feedback(feedback=self.acknowledge_note or None)
        return True

    # ---- business methods ----------------------------------------------------

    @api.model
    def _cron_evaluate_kpi_flags(self):
        """Daily: evaluate the rules on the last complete month."""
        period_start = fields.Date.context_today(self).replace(day=1) - relativedelta(
            months=1
        )
        return self._evaluate_flags(period_start)

    @api.model
    def _evaluate_flags(self, period_start, period_type="month", companies=None):
        """Create the missing flags of ``period_start`` for every salesperson.

        :return: the flags created by this run
        """
        companies = companies or self.env["res.company"].sudo().search([])
        rows = self._period_figures(period_start, period_type, companies)
        existing = {
            (f.user_id.id, f.rule, f.company_id.id)
            for f in self.sudo().search(
                [
                    ("period_type", "=", period_type),
                    ("period_start", "=", period_start),
                    ("company_id", "in", companies.ids),
                ]
            )
        }
        company_by_id = {c.id: c for c in companies}
        vals_list = []
        for row in rows:
            company = company_by_id[row["company_id"]]
            for rule, value, median in self._check_rules(row, company):
                key = (row["user_id"].id, rule, company.id)
                if key in existing:
                    continue
                existing.add(key)
                vals_list.append(
                    {
                        "rule": rule,
                        "user_id": row["user_id"].id,
                        "team_id": row["team_id"].id,
                        "company_id": company.id,
                        "period_type": period_type,
                        "period_start": period_start,
                        "value": value,
                        "team_median": median,
                        "explanation": self._explain(rule, row, company),
                    }
                )
        flags = self.sudo().with_context(mail_create_nolog=True).create(vals_list)
        flags._schedule_head_activity()
        _logger.info("KPI flags for %s: %d created", period_start, len(flags))
        return flags

    @api.model
    def _period_figures(self, period_start, period_type, companies):
        """Figures of each salesperson in the period, with their team medians.

        One grouped query on the report, read live from the CRM history rather
        than from the stored figures (``sme_kpi_live``): the rules see the
        history as it is now, and the date range reaches the indexes of the
        base tables, which costs less than refreshing all stored figures. The
        medians are taken in Python over the grouped rows, as
        ``crm.sme.kpi.summary`` does in SQL.
        """
        step = {"week": {"weeks": 1}, "month": {"months": 1}, "quarter": {"months": 3}}
        period_end = period_start + relativedelta(**step[period_type])
        measures = [
            "leads_received", "leads_converted", "calls", "meetings", "won_count",
            "late_first_contact",
        ]  # fmt: skip
        groups = (
            self.env["crm.sme.kpi.report"]
            .sudo()
            .with_context(sme_kpi_live=True)
            ._read_group(
                [
                    ("date", ">=", period_start),
                    ("date", "<", period_end),
                    ("company_id", "in", companies.ids),
                ],
                ["user_id", "team_id", "company_id"],
                [f"{fname}:sum" for fname in measures],
            )
        )
        rows = []
        for user, team, company, *values in groups:
            row = dict(zip(measures, values, strict=True), user_id=user, team_id=team)
            row["company_id"] = company.id
            row["conversion_rate"] = (
                100.0 * row["leads_converted"] / row["leads_received"]
                if row["leads_received"]
                else None
            )
            rows.append(row)
        by_team = defaultdict(list)
        for row in rows:
            by_team[row["team_id"]].append(row)
        for team_rows in by_team.values():
            for fname in ("leads_received", "conversion_rate", "meetings"):
                values = [r[fname] for r in team_rows if r[fname] is not None]
                for row in team_rows:
                    row[f"median_{fname}"] = (
                        statistics.median(values) if values else 0.0
                    )
        return rows

    @api.model
    def _check_rules(self, row, company):
        """Yield ``(rule, value, team median)`` for each rule the row breaks."""
        if row["won_count"] and not row["calls"] and not row["meetings"]:
            yield "no_contact_wins", row["won_count"], 0.0
        median_leads = row["median_leads_received"] or 0.0
        median_rate = row["median_conversion_rate"] or 0.0
        if (
            row["leads_received"]
            and row["leads_received"] >= median_leads
            and median_rate
            and (row["conversion_rate"] or 0.0)
            < median_rate * company.sme_kpi_low_conversion_pct / 100.0
        ):
            yield "low_conversion", row["conversion_rate"], median_rate
        median_meetings = row["median_meetings"] or 0.0
        high_meetings = median_meetings * company.sme_kpi_high_meetings_pct / 100.0
        if row["meetings"] and not row["won_count"] and row["meetings"] > high_meetings:
            yield "meetings_no_win", row["meetings"], median_meetings
        if row["late_first_contact"]:
            yield "slow_first_contact", row["late_first_contact"], 0.0

    @api.model
    def _explain(self, rule, row, company):
        """The sentence that tells the sales head what the flag means."""
        name = row["user_id"].name
        if rule == "no_contact_wins":
            return _(
                "%(user)s won %(won)s deal(s) with no call or meeting logged in the "
                "CRM. The clients may be worked from a personal phone: a risk the "
                "day %(user)s leaves.",
                user=name,
                won=row["won_count"],
            )
        if rule == "low_conversion":
            return _(
                "%(user)s received %(leads)s leads (team median %(median_leads)s) "
                "but converted only %(rate).1f%% of them into clients, below "
                "%(pct)s%% of the team median of %(median_rate).1f%%.",
                user=name,
                leads=row["leads_received"],
                median_leads=row["median_leads_received"],
                rate=row["conversion_rate"],
                pct=company.sme_kpi_low_conversion_pct,
                median_rate=row["median_conversion_rate"],
            )
        if rule == "meetings_no_win":
            return _(
                "%(user)s held %(meetings)s meetings (team median %(median)s) "
                "without winning a deal.",
                user=name,
                meetings=row["meetings"],
                median=row["median_meetings"],
            )
        return _(
            "%(user)s left %(count)s new lead(s) without a first logged contact "
            "for more than %(hours)s hours.",
            user=name,
            count=row["late_first_contact"],
            hours=company.sme_kpi_first_contact_hours,
        )

    def _schedule_head_activity(self):
        """Give the team leader (else the sales managers) a to-do per flag."""
        managers = self.env.ref("sales_team.group_sale_manager").users
        for flag in self:
            heads = (
                flag.team_id.user_id
                or managers.filtered(
                    lambda u, f=flag: f.company_id in u.company_ids and u.active
                )[:1]
            )
            if heads:
                flag.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=flag.name,
                    note=flag.explanation,
                    user_id=heads.id,
                )
