# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""The customer card: what the customer owes, ordered and paid in 1C.

Figures are computed for the commercial partner with one grouped query per
model for the whole batch of contacts shown.
"""

import json
from collections import defaultdict
from datetime import datetime, timedelta

from odoo import _, api, fields, models
from odoo.tools.misc import format_date

from onec_exchange.requisites import (
    is_person_inn,
    is_valid_inn,
    is_valid_kpp,
    is_well_formed_inn,
    normalize_inn,
)
from onec_exchange.transport import SALES_MONTHS, month_periods

from .onec_client_export import TO_SEND_STATES

SALESMAN = "sales_team.group_sale_salesman"


class ResPartner(models.Model):
    _inherit = "res.partner"

    onec_kpp = fields.Char(
        string="KPP",
        help="Russian tax registration reason code (9 characters); branches "
        "share the INN (Tax ID) and differ by KPP. The INN is the Tax ID field.",
    )
    onec_requisites_error = fields.Char(
        string="INN/KPP Problem",
        compute="_compute_onec_requisites_error",
        help="Why this contact cannot be sent to 1C as it is; empty once it is "
        "linked to its 1C counterparty.",
    )
    onec_export_pending = fields.Boolean(
        string="To Be Created in 1C",
        compute="_compute_onec_export_pending",
        help="A client not linked to 1C yet, queued to be created in 1C as a "
        "counterparty at the next exchange.",
    )
    onec_counterparty_ids = fields.One2many(
        "onec.counterparty",
        "partner_id",
        string="1C Counterparties",
        groups=SALESMAN,
    )
    onec_order_ids = fields.One2many(
        "onec.order", "partner_id", string="1C Orders", groups=SALESMAN
    )
    onec_payment_ids = fields.One2many(
        "onec.payment", "partner_id", string="1C Payments", groups=SALESMAN
    )
    onec_shipment_ids = fields.One2many(
        "onec.shipment", "partner_id", string="1C Shipments", groups=SALESMAN
    )
    onec_balance = fields.Monetary(
        string="1C Balance",
        compute="_compute_onec_figures",
        groups=SALESMAN,
        currency_field="onec_currency_id",
    )
    onec_overdue = fields.Monetary(
        string="1C Overdue Debt",
        compute="_compute_onec_figures",
        groups=SALESMAN,
        currency_field="onec_currency_id",
    )
    onec_overdue_estimated = fields.Boolean(
        string="1C Overdue Debt Estimated",
        compute="_compute_onec_figures",
        groups=SALESMAN,
        help="Estimated from the payment terms of the 1C profile: this 1C "
        "configuration keeps no due dates.",
    )
    onec_sales_chart = fields.Text(
        string="1C Sales by Month",
        compute="_compute_onec_sales_chart",
        groups=SALESMAN,
        help="The customer's sales in 1C for each of the last twelve months.",
    )
    onec_has_sales = fields.Boolean(
        string="Has 1C Sales", compute="_compute_onec_sales_chart", groups=SALESMAN
    )
    onec_currency_code = fields.Char(
        string="1C Currency", compute="_compute_onec_figures", groups=SALESMAN
    )
    # the code's currency, so amounts show as Odoo formats money ("34 973,93 ₽")
    onec_currency_id = fields.Many2one(
        "res.currency",
        string="1C Currency Record",
        compute="_compute_onec_figures",
        groups=SALESMAN,
    )
    onec_order_count = fields.Integer(
        string="1C Order Count", compute="_compute_onec_figures", groups=SALESMAN
    )
    onec_order_amount = fields.Float(
        string="1C Orders Amount",
        compute="_compute_onec_figures",
        groups=SALESMAN,
        digits=(16, 2),
    )
    onec_payment_count = fields.Integer(
        string="1C Payment Count", compute="_compute_onec_figures", groups=SALESMAN
    )
    onec_as_of = fields.Datetime(
        string="1C Data As Of", compute="_compute_onec_figures", groups=SALESMAN
    )
    onec_stale = fields.Boolean(
        string="1C Data Out of Date", compute="_compute_onec_figures", groups=SALESMAN
    )
    onec_is_overdue = fields.Boolean(
        string="Has Overdue Debt in 1C",
        compute="_compute_onec_figures",
        groups=SALESMAN,
    )
    onec_has_data = fields.Boolean(
        string="Has 1C Data", compute="_compute_onec_figures", groups=SALESMAN
    )

    # ---- computes ------------------------------------------------------------------

    @api.depends(
        "vat",
        "onec_kpp",
        "country_id",
        "sme_customer_state",
        "commercial_partner_id.onec_counterparty_ids",
    )
    @api.depends_context("lang")
    def _compute_onec_requisites_error(self):
        """In the reader's language; nothing to say about a contact already
        linked to its 1C counterparty (1C holds it, whatever was typed)."""
        linked = self._onec_linked_partner_ids()
        for partner in self:
            russian = partner.country_id.code in (False, "RU")
            relevant = (
                partner.vat
                or partner.onec_kpp
                or partner.sme_customer_state == "client"
            )
            partner.onec_requisites_error = (
                russian
                and relevant
                and partner.commercial_partner_id.id not in linked
                and partner._onec_requisites_problem()
            ) or False

    @api.depends(
        "sme_customer_state",
        "commercial_partner_id.onec_counterparty_ids",
        "onec_requisites_error",
    )
    def _compute_onec_export_pending(self):
        """A client whose creation in 1C is queued (and will go: its INN and
        KPP are fine) and who is not linked to a 1C counterparty yet."""
        commercial = self.commercial_partner_id.filtered("id")
        queued = set()
        if commercial:
            queued = {
                partner.id
                for (partner,) in self.env["onec.client.export"]
                .sudo()
                ._read_group(
                    [
                        ("partner_id", "in", commercial.ids),
                        ("state", "in", TO_SEND_STATES),
                    ],
                    ["partner_id"],
                )
            }
        linked = self._onec_linked_partner_ids()
        for partner in self:
            key = partner.commercial_partner_id.id
            partner.onec_export_pending = bool(
                partner.commercial_partner_id.sme_customer_state == "client"
                and key in queued
                and key not in linked
                and not partner.onec_requisites_error
            )

    def _compute_onec_figures(self):
        commercial = self.commercial_partner_id
        domain = [("partner_id", "in", commercial.ids)]
        settlements = defaultdict(dict)  # partner id -> {currency: figures}
        estimated = set()
        for partner, code, balance, overdue, guess in self.env[
            "onec.settlement"
        ]._read_group(
            domain,
            ["partner_id", "currency_code"],
            ["balance:sum", "overdue:sum", "overdue_estimated:bool_or"],
        ):
            settlements[partner.id][code] = (balance, overdue)
            if guess:
                estimated.add(partner.id)
        orders = {
            partner.id: (count, amount)
            for partner, count, amount in self.env["onec.order"]._read_group(
                domain, ["partner_id"], ["__count", "amount:sum"]
            )
        }
        payments = {
            partner.id: count
            for partner, count in self.env["onec.payment"]._read_group(
                domain, ["partner_id"], ["__count"]
            )
        }
        as_of = {}
        for partner, connection in (
            self.env["onec.counterparty"]
            .sudo()
            ._read_group(domain, ["partner_id", "connection_id"])
        ):
            oldest, interval = as_of.get(partner.id, (None, 0))
            stamp = connection.settlements_as_of or connection.last_success_at
            as_of[partner.id] = (
                min(filter(None, [oldest, stamp]), default=False),
                max(interval, connection.interval_minutes),
            )
        currencies = {
            currency.name: currency
            for currency in self.env["res.currency"]
            .with_context(active_test=False)
            .search(
                [("name", "in", [c for mine in settlements.values() for c in mine])]
            )
        }
        now = fields.Datetime.now()
        for partner in self:
            key = partner.commercial_partner_id.id
            mine = settlements.get(key, {})
            code = max(mine, key=lambda c: abs(mine[c][0]), default=False)
            balance, overdue = mine.get(code, (0.0, 0.0))
            count, amount = orders.get(key, (0, 0.0))
            oldest, interval = as_of.get(key, (False, 0))
            partner.onec_balance = balance
            partner.onec_overdue = overdue
            partner.onec_is_overdue = any(due > 0 for _b, due in mine.values())
            partner.onec_overdue_estimated = key in estimated
            partner.onec_currency_code = code or False
            partner.onec_currency_id = currencies.get(
                code, self.env.company.currency_id
            )
            partner.onec_order_count = count
            partner.onec_order_amount = amount
            partner.onec_payment_count = payments.get(key, 0)
            partner.onec_as_of = oldest
            partner.onec_has_data = key in as_of or bool(count)
            partner.onec_stale = bool(
                key in as_of
                and (
                    not oldest or oldest < now - timedelta(minutes=2 * (interval or 5))
                )
            )

    @api.depends_context("lang")
    def _compute_onec_sales_chart(self):
        """The last twelve months' sales as the bars of web's ``dashboard_graph``
        widget (one grouped query for the batch)."""
        today = datetime.combine(fields.Date.context_today(self), datetime.min.time())
        # the months the exchange reads, this one last
        months = [start.date() for start, _end in month_periods(today, SALES_MONTHS)]
        sales = defaultdict(dict)
        for partner, month, amount in self.env["onec.sales.month"]._read_group(
            [
                ("partner_id", "in", self.commercial_partner_id.ids),
                ("month", ">=", months[0]),
            ],
            ["partner_id", "month:month"],
            ["amount:sum"],
        ):
            sales[partner.id][month] = amount
        labels = [format_date(self.env, m, date_format="LLL yy") for m in months]
        for partner in self:
            mine = sales.get(partner.commercial_partner_id.id, {})
            partner.onec_has_sales = bool(mine)
            bars = [
                {"label": label, "value": mine.get(month, 0.0), "type": "past"}
                for month, label in zip(months, labels, strict=True)
            ]
            partner.onec_sales_chart = json.dumps(
                [{"key": _("Sales in 1C"), "values": bars}]
            )

    # ---- hooks ---------------------------------------------------------------------

    def _sme_on_became_client(self):
        """crm_sme_kpi's hook: queue the new clients for creation in 1C."""
        result = super()._sme_on_became_client()
        self.env["onec.client.export"]._onec_queue(self)
        return result

    # ---- actions -------------------------------------------------------------------

    def _onec_action_documents(self, model, name):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "list,pivot,form",
            "domain": [("partner_id", "=", self.commercial_partner_id.id)],
            "context": {"create": False},
        }

    def action_onec_orders(self):
        return self._onec_action_documents("onec.order", _("1C Orders"))

    def action_onec_payments(self):
        return self._onec_action_documents("onec.payment", _("1C Payments"))

    def action_onec_settlements(self):
        return self._onec_action_documents("onec.settlement", _("1C Settlements"))

    # ---- business methods ----------------------------------------------------------

    def _onec_linked_partner_ids(self):
        """Ids of the commercial partners of ``self`` bound to a 1C
        counterparty (one query; whoever reads the contact)."""
        commercial = self.commercial_partner_id.filtered("id")
        if not commercial:
            return set()
        groups = (
            self.env["onec.counterparty"]
            .sudo()
            ._read_group([("partner_id", "in", commercial.ids)], ["partner_id"])
        )
        return {partner.id for (partner,) in groups}

    def _onec_inn(self):
        return normalize_inn(self.commercial_partner_id.vat)

    def _onec_requisites_problem(self):
        """Why INN/KPP cannot go to 1C as they are, or False."""
        self.ensure_one()
        inn, kpp = self._onec_inn(), (self.onec_kpp or "").strip()
        checks = [
            (not inn, lambda: self.env._("The INN (Tax ID) is missing.")),
            (
                not is_well_formed_inn(inn),
                lambda: self.env._(
                    "The INN must have 10 digits (an organization) or 12 (a sole "
                    "trader or a person), not '%(inn)s'.",
                    inn=inn,
                ),
            ),
            (
                not is_valid_inn(inn),
                lambda: self.env._("The INN %(inn)s has wrong check digits.", inn=inn),
            ),
            (
                is_person_inn(inn) and kpp,
                lambda: self.env._("A sole trader or a person has no KPP."),
            ),
            (
                not is_person_inn(inn) and not kpp,
                lambda: self.env._("An organization needs its KPP."),
            ),
            (
                kpp and not is_valid_kpp(kpp),
                lambda: self.env._(
                    "The KPP '%(kpp)s' must have 9 characters: 4 digits, 2 digits "
                    "or capital Latin letters, 3 digits.",
                    kpp=kpp,
                ),
            ),
        ]
        return next((message() for failed, message in checks if failed), False)
