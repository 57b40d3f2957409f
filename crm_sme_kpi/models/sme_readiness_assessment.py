# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""Implementation-readiness assessment of a client company.

The consultant's article names four causes of failed CRM projects (people,
money, technical unreadiness, no need) and one test of payback (revenue per
salesperson against the price of a seat). An assessment answers a checklist
copied from a template, measures the deal volume, computes the payback and
turns them into a score and a verdict with the sentences that explain it:

* Postpone (or choose a cheaper tool): the payback ratio is at or below the
  template's postpone ratio, or the deal volume is under the minimum.
* Prepare first: a blocking answer, an unanswered blocking item, a marginal
  or incomplete payback, an unknown deal volume or a score under the minimum.
* Go: none of the above.
"""

from datetime import datetime, time, timedelta

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_amount, formatLang

from .sme_readiness_thresholds_mixin import THRESHOLD_FIELDS

VERDICTS = [
    ("go", "Go"),
    ("prepare", "Prepare first"),
    ("postpone", "Postpone or choose a cheaper tool"),
]
SEVERITY = {"go": 0, "prepare": 1, "postpone": 2}
VERDICT_DEPENDS = (
    "score",
    "go_min_score",
    "payback_status",
    "payback_ratio",
    "deals_per_week",
    "deal_volume_source",
    "min_deals_per_week",
    "answer_ids.blocks_verdict",
    "answer_ids.is_answered",
    "answer_ids.blocking",
)


def _copied_threshold(field_class):
    """A verdict threshold copied from the template (see _compute_thresholds);
    its label and help come from the thresholds mixin."""
    return field_class(compute="_compute_thresholds", store=True, readonly=False)


class SmeReadinessAssessment(models.Model):
    _name = "sme.readiness.assessment"
    _description = "CRM Implementation Readiness Assessment"
    _inherit = ["mail.thread", "mail.activity.mixin", "sme.readiness.thresholds.mixin"]
    _order = "date desc, id desc"

    name = fields.Char(compute="_compute_name", store=True, readonly=False)
    partner_id = fields.Many2one(
        "res.partner",
        string="Client",
        required=True,
        index=True,
        tracking=True,
        help="The company being advised.",
    )
    consultant_id = fields.Many2one(
        "res.users", default=lambda self: self.env.user, required=True, tracking=True
    )
    date = fields.Date(default=fields.Date.context_today, required=True, tracking=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("in_progress", "In Progress"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    template_id = fields.Many2one(
        "sme.readiness.template",
        string="Checklist Template",
        required=True,
        ondelete="restrict",
        domain="['|', ('company_id', '=', False), ('company_id', '=', company_id)]",
    )
    # a copy starts afresh from the template's current checklist
    answer_ids = fields.One2many(
        "sme.readiness.answer", "assessment_id", string="Answers"
    )
    notes = fields.Html()
    # ---- thresholds, copied from the template ----
    deal_lookback_weeks = _copied_threshold(fields.Integer)
    min_deals_per_week = _copied_threshold(fields.Float)
    payback_go_ratio = _copied_threshold(fields.Float)
    payback_postpone_ratio = _copied_threshold(fields.Float)
    go_min_score = _copied_threshold(fields.Float)
    # ---- need: deal volume ----
    deal_count_crm = fields.Integer(
        string="Opportunities in CRM",
        compute="_compute_deal_volume_crm",
        store=True,
        help="Opportunities (won, lost and open, archived included) of the "
        "assessment's company created in this database during the look-back "
        "weeks up to the assessment date.",
    )
    deals_per_week_crm = fields.Float(
        string="Deals per Week (CRM)",
        compute="_compute_deal_volume_crm",
        store=True,
        digits=(16, 1),
    )
    deals_per_week_use_manual = fields.Boolean(
        string="Enter Deal Volume by Hand",
        help="Use the figure entered by hand even when this database has "
        "opportunities (e.g. the client's CRM lives elsewhere).",
    )
    deals_per_week_manual = fields.Float(
        string="Deals per Week (by hand)", digits=(16, 1)
    )
    deals_per_week = fields.Float(
        string="Deals per Week",
        compute="_compute_deals_per_week",
        store=True,
        digits=(16, 1),
    )
    deal_volume_source = fields.Selection(
        [
            ("crm", "CRM of this database"),
            ("manual", "Entered by hand"),
            ("none", "Unknown"),
        ],
        compute="_compute_deals_per_week",
        store=True,
    )
    # ---- personal data (recorded, not judged) ----
    data_storage = fields.Selection(
        [
            ("russia", "Servers in Russia"),
            ("abroad", "Servers abroad"),
            ("unknown", "Unknown"),
        ],
        default="unknown",
        help="Where the CRM's data will be stored. Recorded and explained, not scored.",
    )
    data_storage_note = fields.Text()
    # ---- payback ----
    revenue_amount = fields.Monetary(
        string="Revenue for the Period", currency_field="currency_id"
    )
    revenue_period_months = fields.Integer(string="Period (months)", default=1)
    salesperson_count = fields.Integer(string="Salespeople")
    seat_cost_monthly = fields.Monetary(
        string="Seat Cost per Month", currency_field="currency_id"
    )
    implementation_cost = fields.Monetary(currency_field="currency_id")
    payback_horizon_months = fields.Integer(
        string="Spread Implementation over (months)", default=12
    )
    revenue_per_salesperson = fields.Monetary(
        string="Revenue per Salesperson per Month",
        compute="_compute_payback",
        store=True,
        currency_field="currency_id",
    )
    cost_per_seat_monthly = fields.Monetary(
        string="Cost per Seat per Month",
        compute="_compute_payback",
        store=True,
        currency_field="currency_id",
        help="Seat cost plus the implementation cost spread over the horizon "
        "and the salespeople.",
    )
    payback_ratio = fields.Float(
        compute="_compute_payback", store=True, digits=(16, 2), aggregator="avg"
    )
    payback_status = fields.Selection(
        [
            ("ok", "Pays"),
            ("marginal", "Marginal"),
            ("fails", "Does not pay"),
            ("incomplete", "Not computed"),
        ],
        compute="_compute_payback",
        store=True,
    )
    # ---- result ----
    score = fields.Float(
        compute="_compute_score", store=True, digits=(16, 1), aggregator="avg"
    )
    verdict = fields.Selection(
        VERDICTS, compute="_compute_verdict", store=True, tracking=True
    )
    verdict_explanation = fields.Html(
        compute="_compute_verdict_explanation", sanitize=False
    )

    # ---- computes ----

    @api.depends("partner_id", "date")
    def _compute_name(self):
        for assessment in self:
            assessment.name = " - ".join(
                filter(None, [assessment.partner_id.name, str(assessment.date or "")])
            )

    @api.depends("template_id")
    def _compute_thresholds(self):
        # depends on the template only, not its fields: later edits of the
        # template's thresholds apply to new assessments, not existing ones
        for assessment in self:
            if assessment.template_id:
                assessment.update(
                    assessment.template_id._prepare_assessment_thresholds()
                )
            else:
                template_model = self.env["sme.readiness.template"]
                assessment.update(
                    {
                        name: template_model._fields[name].default(template_model)
                        for name in THRESHOLD_FIELDS
                    }
                )

    @api.depends("date", "deal_lookback_weeks", "company_id")
    def _compute_deal_volume_crm(self):
        counts = {}
        for assessment in self:
            key = assessment._deal_window()
            if key not in counts:
                counts[key] = self._count_opportunities(*key) if key else 0
            weeks = assessment.deal_lookback_weeks
            assessment.deal_count_crm = counts[key]
            assessment.deals_per_week_crm = counts[key] / weeks if key else 0.0

    @api.depends(
        "deal_count_crm",
        "deals_per_week_crm",
        "deals_per_week_use_manual",
        "deals_per_week_manual",
    )
    def _compute_deals_per_week(self):
        for assessment in self:
            manual = assessment.deals_per_week_use_manual
            if assessment.deal_count_crm and not manual:
                source, figure = "crm", assessment.deals_per_week_crm
            elif manual or assessment.deals_per_week_manual:
                source, figure = "manual", assessment.deals_per_week_manual
            else:
                source, figure = "none", 0.0
            assessment.deal_volume_source = source
            assessment.deals_per_week = figure

    @api.depends(
        "revenue_amount",
        "revenue_period_months",
        "salesperson_count",
        "seat_cost_monthly",
        "implementation_cost",
        "payback_horizon_months",
        "payback_go_ratio",
        "payback_postpone_ratio",
    )
    def _compute_payback(self):
        for assessment in self:
            months = assessment.revenue_period_months
            people = assessment.salesperson_count
            if months <= 0 or people <= 0 or assessment.revenue_amount <= 0:
                revenue = 0.0
            else:
                revenue = assessment.revenue_amount / months / people
            cost = assessment.seat_cost_monthly
            if people > 0 and assessment.payback_horizon_months > 0:
                cost += (
                    assessment.implementation_cost
                    / assessment.payback_horizon_months
                    / people
                )
            assessment.revenue_per_salesperson = revenue
            assessment.cost_per_seat_monthly = cost if people > 0 else 0.0
            if not revenue or cost <= 0:
                assessment.payback_ratio = 0.0
                assessment.payback_status = "incomplete"
                continue
            ratio = revenue / cost
            assessment.payback_ratio = ratio
            if ratio >= assessment.payback_go_ratio:
                assessment.payback_status = "ok"
            elif ratio <= assessment.payback_postpone_ratio:
                assessment.payback_status = "fails"
            else:
                assessment.payback_status = "marginal"

    @api.depends("answer_ids.is_scored", "answer_ids.score_points", "answer_ids.weight")
    def _compute_score(self):
        for assessment in self:
            scored = assessment.answer_ids.filtered("is_scored")
            total = sum(scored.mapped("weight"))
            points = sum(scored.mapped("score_points"))
            assessment.score = 100.0 * points / total if total else 0.0

    @api.depends(*VERDICT_DEPENDS)
    def _compute_verdict(self):
        for assessment in self:
            findings = assessment._readiness_findings()
            assessment.verdict = max(
                (level for level, _sentence in findings),
                key=SEVERITY.get,
                default="go",
            )

    @api.depends_context("lang")
    @api.depends(*VERDICT_DEPENDS)
    def _compute_verdict_explanation(self):
        for assessment in self:
            findings = assessment._readiness_findings()
            items = Markup("").join(
                Markup("<li>%s</li>") % sentence
                for level, sentence in sorted(
                    findings, key=lambda finding: -SEVERITY[finding[0]]
                )
            )
            assessment.verdict_explanation = Markup("<ul>%s</ul>") % items

    # ---- onchanges ----

    @api.onchange("template_id")
    def _onchange_template_id(self):
        """Show the template's checklist in the form before saving a draft."""
        if self.state == "draft" and self.template_id:
            self.answer_ids = [Command.clear()] + [
                Command.create(item._prepare_answer_values())
                for item in self.template_id.item_ids._sorted_by_category()
            ]

    # ---- CRUD ----

    @api.model_create_multi
    def create(self, vals_list):
        assessments = super().create(vals_list)
        to_load = assessments.filtered(lambda a: a.template_id and not a.answer_ids)
        to_load._load_template_answers()
        return assessments

    def write(self, vals):
        if "template_id" not in vals:
            return super().write(vals)
        changed = self.filtered(lambda a: a.template_id.id != vals["template_id"])
        if any(assessment.state != "draft" for assessment in changed):
            raise UserError(
                self.env._("Change the template of a draft assessment only.")
            )
        result = super().write(vals)
        if "answer_ids" not in vals:  # else the form's onchange gave the checklist
            changed._load_template_answers()
        return result

    # ---- actions ----

    def action_start(self):
        self.write({"state": "in_progress"})

    def action_done(self):
        self.write({"state": "done"})

    def action_cancel(self):
        self.write({"state": "cancelled"})

    def action_reset_draft(self):
        self.write({"state": "draft"})

    def action_refresh_deal_volume(self):
        """Count the opportunities again (the figure is kept as a snapshot)."""
        self._compute_deal_volume_crm()

    def action_reload_template(self):
        """Replace the answers of a draft by the template's current items."""
        if any(assessment.state != "draft" for assessment in self):
            raise UserError(self.env._("Reload the checklist of a draft only."))
        self._load_template_answers()

    def action_print(self):
        return self.env.ref(
            "crm_sme_kpi.action_report_sme_readiness_assessment"
        ).report_action(self)

    # ---- business methods ----

    def _load_template_answers(self):
        """Replace the answers by copies of the template's items."""
        self.answer_ids.unlink()
        values = [
            dict(item._prepare_answer_values(), assessment_id=assessment.id)
            for assessment in self
            for item in assessment.template_id.item_ids._sorted_by_category()
        ]
        self.env["sme.readiness.answer"].create(values)

    def _deal_window(self):
        """(company id, start, end) of the deal count, or None without a window."""
        self.ensure_one()
        weeks = self.deal_lookback_weeks
        if not self.date or weeks <= 0:
            return None
        end = datetime.combine(self.date + timedelta(days=1), time.min)
        return self.company_id.id, end - timedelta(weeks=weeks), end

    @api.model
    def _count_opportunities(self, company_id, start, end):
        """Opportunities created in [start, end) for a company (or none).

        The count is a figure of the business, not of what the consultant may
        read: it runs as superuser, with archived (lost) opportunities.
        """
        return (
            self.env["crm.lead"]
            .sudo()
            .with_context(active_test=False)
            .search_count(
                [
                    ("type", "=", "opportunity"),
                    ("company_id", "in", [company_id, False]),
                    ("create_date", ">=", start),
                    ("create_date", "<", end),
                ]
            )
        )

    def _readiness_findings(self):
        """The sentences behind the verdict, as a list of (verdict, sentence).

        A finding's verdict is the most favourable verdict it allows; the
        assessment's verdict is the least favourable of its findings.
        """
        self.ensure_one()
        findings = self._payback_findings() + self._deal_volume_findings()
        findings += self._answer_findings()
        if self.score < self.go_min_score:
            findings.append(
                (
                    "prepare",
                    self.env._(
                        "The score %(score)s is under the %(minimum)s needed to go.",
                        score=self._fmt(self.score, 1),
                        minimum=self._fmt(self.go_min_score, 1),
                    ),
                )
            )
        elif not any(level != "go" for level, _sentence in findings):
            findings.append(
                (
                    "go",
                    self.env._(
                        "The score is %(score)s and no answer blocks.",
                        score=self._fmt(self.score, 1),
                    ),
                )
            )
        return findings

    def _payback_findings(self):
        status = self.payback_status
        if status == "incomplete":
            return [
                (
                    "prepare",
                    self.env._(
                        "Payback not computed: enter the revenue, its period, the "
                        "number of salespeople and the seat cost."
                    ),
                )
            ]
        currency = self.currency_id
        values = {
            "revenue": format_amount(self.env, self.revenue_per_salesperson, currency),
            "cost": format_amount(self.env, self.cost_per_seat_monthly, currency),
            "ratio": self._fmt(self.payback_ratio, 1),
            "go": self._fmt(self.payback_go_ratio, 1),
            "postpone": self._fmt(self.payback_postpone_ratio, 1),
        }
        if status == "ok":
            sentence = self.env._(
                "Payback is clear: a salesperson brings %(revenue)s a month against "
                "%(cost)s for a seat (ratio %(ratio)s, at least %(go)s).",
                **values,
            )
            return [("go", sentence)]
        if status == "fails":
            sentence = self.env._(
                "Payback fails: a salesperson brings %(revenue)s a month against "
                "%(cost)s for a seat (ratio %(ratio)s, at most %(postpone)s): look "
                "for a cheaper option or do without a CRM for now.",
                **values,
            )
            return [("postpone", sentence)]
        sentence = self.env._(
            "Payback is marginal: a salesperson brings %(revenue)s a month against "
            "%(cost)s for a seat (ratio %(ratio)s, between %(postpone)s and "
            "%(go)s): compare cheaper plans and the implementation cost.",
            **values,
        )
        return [("prepare", sentence)]

    def _deal_volume_findings(self):
        if self.deal_volume_source == "none":
            return [
                (
                    "prepare",
                    self.env._(
                        "Deal volume unknown: this database has no opportunities "
                        "in the last %(weeks)s weeks; enter the deals per week by "
                        "hand.",
                        weeks=self.deal_lookback_weeks,
                    ),
                )
            ]
        source = dict(
            self._fields["deal_volume_source"]._description_selection(self.env)
        )[self.deal_volume_source]
        values = {
            "deals": self._fmt(self.deals_per_week, 1),
            "origin": source,
            "minimum": self._fmt(self.min_deals_per_week, 1),
        }
        if self.deals_per_week < self.min_deals_per_week:
            sentence = self.env._(
                "Too few deals to analyse: %(deals)s a week (%(origin)s), under "
                "%(minimum)s.",
                **values,
            )
            return [("postpone", sentence)]
        sentence = self.env._(
            "Deal volume is enough to analyse: %(deals)s a week (%(origin)s), at "
            "least %(minimum)s.",
            **values,
        )
        return [("go", sentence)]

    def _answer_findings(self):
        findings = []
        for answer in self.answer_ids.filtered("blocking"):
            if not answer.is_answered:
                sentence = self.env._(
                    "Blocking question not answered yet: %(question)s",
                    question=answer.question,
                )
            elif answer.blocks_verdict:
                sentence = self.env._(
                    "%(sentence)s (%(question)s: %(answer)s)",
                    sentence=answer.blocking_sentence
                    or self.env._("A blocking answer."),
                    question=answer.question,
                    answer=answer.answer_display,
                )
            else:
                continue
            findings.append(("prepare", sentence))
        return findings

    def _fmt(self, value, digits):
        return formatLang(self.env, value, digits=digits)
