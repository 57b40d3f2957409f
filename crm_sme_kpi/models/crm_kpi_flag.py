# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""Anomaly flags: what the effectiveness figures reveal about a salesperson.

The rules read the figures of ``crm.sme.kpi.report`` grouped per salesperson
in one query, compare them with the team medians and create at most one flag
per salesperson, rule and period, and give the sales head an activity.

A flag stores its rule and figures, never a sentence: its title, the figure it
names and the sentence that explains it are written when read, in the reader's
language, with the numbers formatted for that language.
"""

import logging

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.osv import expression
from odoo.tools.misc import formatLang

from ..periods import PERIOD_TYPES

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

    name = fields.Char(compute="_compute_texts", search="_search_name")
    rule = fields.Selection(RULES, required=True, readonly=True)
    explanation = fields.Text(compute="_compute_texts")
    figure_summary = fields.Char(
        string="Figure",
        compute="_compute_texts",
        help="The figure that raised the flag, named, and the team median.",
    )
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
        PERIOD_TYPES,
        string="Period",
        required=True,
        default="month",
        readonly=True,
    )
    period_start = fields.Date(required=True, readonly=True)
    value = fields.Float(
        string="Figure Value",
        readonly=True,
        help="The salesperson's figure the rule looks at: won deals, conversion "
        "rate (%), meetings or leads left without first contact.",
    )
    team_median = fields.Float(readonly=True)
    leads_received = fields.Integer(readonly=True)
    team_median_leads = fields.Float(
        string="Team Median of Leads Received", readonly=True
    )
    threshold = fields.Float(
        readonly=True,
        help="The company's setting the rule used when the flag was raised: the "
        "share of the team median conversion (%), or the first contact "
        "deadline (hours).",
    )
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

    # ---- computes ------------------------------------------------------------

    @api.depends_context("lang")
    @api.depends(
        "rule", "user_id.name", "value", "team_median", "leads_received",
        "team_median_leads", "threshold",
    )  # fmt: skip
    def _compute_texts(self):
        """Title, figure and explanation in the reader's language.

        Without a language in the context, Odoo translates in the user's
        language but formats numbers in the company's: pin the user's for both.
        """
        lang = (
            self.env.lang or self.env["res.users"].context_get().get("lang") or "en_US"
        )
        in_lang = self.with_context(lang=lang)
        rules = dict(self._fields["rule"]._description_selection(in_lang.env))
        for flag, reader in zip(self, in_lang, strict=True):
            flag.name = f"{rules.get(flag.rule, '')}: {flag.user_id.name or ''}"
            flag.figure_summary = reader._figure_sentence() if flag.rule else False
            flag.explanation = reader._explain() if flag.rule else False

    def _search_name(self, operator, value):
        """Search the title by the salesperson's name or the rule's label, the
        label as the reader reads it."""
        negative = operator in expression.NEGATIVE_TERM_OPERATORS
        if negative:
            operator = expression.TERM_OPERATORS_NEGATION[operator]
        if operator not in ("ilike", "like", "=", "=ilike") or not isinstance(
            value, str
        ):
            domain = [("user_id.name", operator, value)]
        else:
            text = value.lower()
            labels = self._fields["rule"]._description_selection(self.env)
            rules = [
                key
                for key, label in labels
                if (text in label.lower() if "like" in operator else text == label)
            ]
            domain = ["|", ("user_id.name", operator, value), ("rule", "in", rules)]
        return ["!", *domain] if negative else domain

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
                        **self._rule_figures(rule, row, company),
                    }
                )
        flags = self.sudo().with_context(mail_create_nolog=True).create(vals_list)
        flags._schedule_head_activity()
        _logger.info("KPI flags for %s: %d created", period_start, len(flags))
        return flags

    @api.model
    def _period_figures(self, period_start, period_type, companies):
        """Figures of each salesperson in the period, with their team medians.

        The rows of ``crm.sme.kpi.summary`` (live figures, medians taken in
        SQL over the team), as dictionaries the rules read.
        """
        fnames = [
            "leads_received", "leads_converted", "calls", "meetings", "won_count",
            "late_first_contact", "conversion_rate", "median_leads_received",
            "median_conversion_rate", "median_meetings",
        ]  # fmt: skip
        summaries = (
            self.env["crm.sme.kpi.summary"]
            .sudo()
            .search(
                [
                    ("period_type", "=", period_type),
                    ("date", "=", period_start),
                    ("company_id", "in", companies.ids),
                ]
            )
        )
        return [
            {
                **{fname: summary[fname] for fname in fnames},
                "user_id": summary.user_id,
                "team_id": summary.team_id,
                "company_id": summary.company_id.id,
            }
            for summary in summaries
        ]

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
    def _rule_figures(self, rule, row, company):
        """The figures of ``row`` a rule's sentence names, beside its value."""
        if rule == "low_conversion":
            return {
                "leads_received": row["leads_received"],
                "team_median_leads": row["median_leads_received"],
                "threshold": company.sme_kpi_low_conversion_pct,
            }
        if rule == "slow_first_contact":
            return {"threshold": company.sme_kpi_first_contact_hours}
        return {}

    def _format_number(self, value):
        """A count or a median in the reader's language: 4, 3.5 (ru: 3,5)."""
        value = value or 0.0
        digits = 0 if float(value).is_integer() else 1
        return formatLang(self.env, value, digits=digits)

    def _format_percent(self, value):
        """A percentage in the reader's language: 12.5% (ru: 12,5 %)."""
        percent = formatLang(self.env, value or 0.0, digits=1)
        return _("%(percent)s%%", percent=percent)

    def _figure_sentence(self):
        """The figure that raised the flag, named, with the team median."""
        self.ensure_one()
        number, percent = self._format_number, self._format_percent
        if self.rule == "no_contact_wins":
            return _(
                "Deals won with no call or meeting logged: %(won)s",
                won=number(self.value),
            )
        if self.rule == "low_conversion":
            return _(
                "Lead-to-client conversion: %(rate)s, team median: %(median)s",
                rate=percent(self.value),
                median=percent(self.team_median),
            )
        if self.rule == "meetings_no_win":
            return _(
                "Meetings without a won deal: %(meetings)s, team median: %(median)s",
                meetings=number(self.value),
                median=number(self.team_median),
            )
        return _(
            "New leads without a first contact within %(hours)s hours: %(count)s",
            hours=number(self.threshold),
            count=number(self.value),
        )

    def _explain(self):
        """The sentence that tells the sales head what the flag means."""
        self.ensure_one()
        number, percent = self._format_number, self._format_percent
        name = self.user_id.name or ""
        if self.rule == "no_contact_wins":
            return _(
                "%(user)s won %(won)s deal(s) with no call or meeting logged in the "
                "CRM. The clients may be worked from a personal phone: a risk the "
                "day %(user)s leaves.",
                user=name,
                won=number(self.value),
            )
        if self.rule == "low_conversion":
            return _(
                "%(user)s received %(leads)s leads (team median %(median_leads)s) "
                "but converted only %(rate)s of them into clients, below %(pct)s "
                "of the team median of %(median_rate)s.",
                user=name,
                leads=number(self.leads_received),
                median_leads=number(self.team_median_leads),
                rate=percent(self.value),
                pct=percent(self.threshold),
                median_rate=percent(self.team_median),
            )
        if self.rule == "meetings_no_win":
            return _(
                "%(user)s held %(meetings)s meetings (team median %(median)s) "
                "without winning a deal.",
                user=name,
                meetings=number(self.value),
                median=number(self.team_median),
            )
        return _(
            "%(user)s left %(count)s new lead(s) without a first logged contact "
            "for more than %(hours)s hours.",
            user=name,
            count=number(self.value),
            hours=number(self.threshold),
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
                # the activity keeps its text: write it in the head's language
                in_lang = flag.with_context(lang=heads.lang or self.env.lang)
                flag.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=in_lang.name,
                    note=in_lang.explanation,
                    user_id=heads.id,
                )
