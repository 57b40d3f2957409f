# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""Payback from the revenue 1C really books: the last twelve months of
shipments, for the assessment's "revenue for the period"."""

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date

REVENUE_MONTHS = 12


class SmeReadinessAssessment(models.Model):
    _inherit = "sme.readiness.assessment"

    revenue_source = fields.Char(
        string="Revenue Source",
        readonly=True,
        help="Where the revenue for the period comes from when it was filled "
        "from 1C; empty when it was typed.",
    )
    onec_revenue_available = fields.Boolean(
        string="1C Revenue Available",
        compute="_compute_onec_revenue_available",
        help="A 1C connection of the assessment's company has exchanged data.",
    )

    @api.depends("company_id")
    def _compute_onec_revenue_available(self):
        ready = self._onec_connections(self.company_id).company_id
        for assessment in self:
            assessment.onec_revenue_available = assessment.company_id in ready

    def write(self, vals):
        """A revenue typed by hand is no longer 1C's."""
        if {"revenue_amount", "revenue_period_months"} & set(vals):
            vals = {"revenue_source": False, **vals}
        return super().write(vals)

    def _onec_connections(self, companies):
        """The connections of ``companies`` that have exchanged data."""
        return (
            self.env["onec.connection"]
            .sudo()
            .search(
                [
                    ("company_id", "in", companies.ids),
                    ("last_success_at", "!=", False),
                ]
            )
        )

    def _onec_revenue_period(self):
        """The last twelve complete calendar months: ``[start, end)``."""
        end = fields.Date.context_today(self).replace(day=1)
        return end - relativedelta(months=REVENUE_MONTHS), end

    def _onec_revenue(self, connections, start, end):
        """The posted shipments of the period, in the assessment's currency."""
        total = 0.0
        for shipped_in, amount in (
            self.env["onec.shipment"]
            .sudo()
            ._read_group(
                [
                    ("connection_id", "in", connections.ids),
                    ("posted", "=", True),
                    ("date", ">=", start),
                    ("date", "<", end),
                ],
                ["currency_id"],
                ["amount:sum"],
            )
        ):
            currency = shipped_in or self.currency_id
            total += currency._convert(amount, self.currency_id, self.company_id, end)
        return total

    def _salespeople_count(self):
        """Active salespeople of the company in its (or shared) sales teams."""
        members = (
            self.env["crm.team.member"]
            .sudo()
            .search(
                [
                    ("crm_team_id.company_id", "in", [self.company_id.id, False]),
                    ("user_id.company_ids", "in", self.company_id.ids),
                    ("user_id.active", "=", True),
                    ("user_id.share", "=", False),
                ]
            )
        )
        return len(members.user_id)

    def action_fill_revenue_from_1c(self):
        """Fill the revenue for the period from 1C's shipments of the last
        twelve months (and the salespeople, when not entered), saying so."""
        self.ensure_one()
        connections = self._onec_connections(self.company_id)
        if not connections:
            raise UserError(
                _(
                    "No 1C connection of %(company)s has exchanged data yet.",
                    company=self.company_id.name,
                )  # fmt: skip
            )
        start, end = self._onec_revenue_period()
        values = {
            "revenue_amount": self._onec_revenue(connections, start, end),
            "revenue_period_months": REVENUE_MONTHS,
            "revenue_source": _(
                "1C shipments from %(start)s to %(end)s (%(connections)s)",
                start=format_date(self.env, start),
                end=format_date(self.env, end - relativedelta(days=1)),
                connections=", ".join(connections.mapped("name")),
            ),
        }
        if not self.salesperson_count:
            values["salesperson_count"] = self._salespeople_count()
        self.write(values)
        return True
