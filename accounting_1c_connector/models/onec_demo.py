# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""Demo 1C history for the demo team, brought by the real exchange.

At install, a stand-in runs in this process for a moment: four of the demo
team's clients get a counterparty there (the INN and KPP on their contact),
an accountant's year of documents tells one story each, the demo connection
runs its exchange once against it, and the day's call lists are built:

* Anna's client owes for a shipment of ten weeks ago: overdue debt, and
  nobody has called since the deal;
* Boris's client ordered every three weeks until nine weeks ago;
* Victor's client buys a fifth of what it bought a year before;
* Galina's client became a client three weeks ago and has not ordered.

The connection is archived again afterwards (nothing to reach once the
install is over); the customer cards and the call lists keep what 1C said.
With the Docker quick start (``SME_ONEC_DEMO_URL``) the quick start's own
stand-in feeds the demo connection instead.
"""

import os
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from onec_exchange.requisites import complete_inn
from onec_exchange.standin import StandIn

from .onec_connection import DEMO_URL_VARIABLE

# login of the demo salesperson: (INN body, the story's method)
STORIES = {
    "sme_kpi_anna": ("770101001", "_demo_overdue_debt"),
    "sme_kpi_boris": ("770101002", "_demo_broken_rhythm"),
    "sme_kpi_victor": ("770101003", "_demo_falling_sales"),
    "sme_kpi_galina": ("770101004", "_demo_new_client"),
}


class OnecDemo(models.AbstractModel):
    _name = "onec.demo"
    _description = "1C Connector Demo Data"

    @api.model
    def _load_demo_history(self, connection_id):
        if os.environ.get(DEMO_URL_VARIABLE):
            return
        connection = (
            self.env["onec.connection"]
            .with_context(active_test=False)
            .browse(connection_id)
        )
        now = datetime.now().replace(microsecond=0)
        standin = StandIn(
            "ut11",
            counterparties=12,
            orders=40,
            seed=1,
            start=now - timedelta(days=365),
        )
        standin.start()
        address = connection.base_url
        try:
            self._demo_stories(standin.store, now)
            connection.write({"active": True, "base_url": standin.host_url})
            # the install is one transaction: no commit per page
            connection.with_context(onec_no_commit=True)._onec_run()
        finally:
            standin.stop()
            connection.write({"active": False, "base_url": address})
        self.env["crm.sme.call.item"]._build_call_lists(self.env.company)

    @api.model
    def _demo_stories(self, store, now):
        """Each story's client gets its counterparty and documents."""
        for login, (inn_body, story) in STORIES.items():
            user = self.env["res.users"].search([("login", "=", login)])
            partner = self._demo_client_of(user)
            if not partner:
                continue
            inn = complete_inn(inn_body)
            kpp = f"{inn[:4]}01001"
            partner.write({"vat": inn, "onec_kpp": kpp})
            counterparty = store.insert(
                "counterparty",
                {"name": partner.name, "full_name": partner.name, "inn": inn,
                 "kpp": kpp, "is_person": False},
            )  # fmt: skip
            getattr(self, story)(store, counterparty["ref"], partner, now)

    @api.model
    def _demo_client_of(self, user):
        """The salesperson's first client of the demo history."""
        return self.env["res.partner"].search(
            [
                ("sme_customer_state", "=", "client"),
                ("is_company", "=", True),
                ("opportunity_ids.user_id", "=", user.id),
            ],
            order="id",
            limit=1,
        )

    @api.model
    def _demo_sale(self, store, ref, amount, date, paid=True):
        """An order shipped two days later, paid a week after (or not)."""
        order = store.post_order(ref, amount, date)
        store.post_shipment(order["ref"], date + timedelta(days=2))
        if paid:
            store.post_payment(ref, amount, date=date + timedelta(days=9))

    @api.model
    def _demo_overdue_debt(self, store, ref, partner, now):
        self._demo_sale(store, ref, 180_000, now - timedelta(days=120))
        self._demo_sale(store, ref, 240_000, now - timedelta(days=72), paid=False)

    @api.model
    def _demo_broken_rhythm(self, store, ref, partner, now):
        for k in range(8):
            self._demo_sale(
                store, ref, 60_000 + 5_000 * k, now - timedelta(days=63 + 21 * k)
            )

    @api.model
    def _demo_falling_sales(self, store, ref, partner, now):
        this_month = now.replace(day=15, hour=12, minute=0, second=0)
        for back in range(1, 4):
            month = this_month - relativedelta(months=back)
            self._demo_sale(store, ref, 150_000, month - relativedelta(years=1))
            self._demo_sale(store, ref, 30_000, month)

    @api.model
    def _demo_new_client(self, store, ref, partner, now):
        partner.sme_client_since = fields.Datetime.now() - timedelta(days=21)
