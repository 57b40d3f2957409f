# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""Which deal holds a 1C order: one rule, for the order importer and for the
orders of a counterparty linked to another contact.

1. A deal code (``CRM-<id>``) written in the order's comment links the order
   to that deal when the deal is the order's customer's (both compared by
   their commercial entity). A code of another customer's deal is not
   followed: the mismatch is journaled for a person.
2. Else the order keeps the deal it has, while that deal is its customer's.
3. Else the customer's single open deal, if it existed when the order was
   placed (by day). Else no deal: the order stays on its customer.
"""

import re
from dataclasses import dataclass
from datetime import datetime

DEAL_CODE = re.compile(r"\bCRM-(\d{1,12})\b", re.IGNORECASE)


def deal_ids_in(text):
    """Deal ids written in a 1C comment as ``CRM-<id>`` (in order)."""
    return [int(match) for match in DEAL_CODE.findall(text or "")]


@dataclass(frozen=True)
class OrderToLink:
    """What the rule reads of an order, stored or about to be."""

    name: str  # its 1C number, for the journal
    partner_id: int | bool  # its customer (res.partner id), False if unknown
    comment: str | bool
    date: datetime | bool  # placed at (UTC)
    lead_id: int | bool  # its deal now


class DealLinker:
    """Applies the rule to a batch of orders (look-ups in a few queries)."""

    def __init__(self, env, orders):
        self.env = env
        orders = list(orders)
        partners = (
            env["res.partner"]
            .sudo()
            .browse({order.partner_id for order in orders if order.partner_id})
        )
        self.commercial = {p.id: p.commercial_partner_id.id for p in partners}
        wanted = {i for order in orders for i in deal_ids_in(order.comment)}
        wanted |= {order.lead_id for order in orders if order.lead_id}
        leads = env["crm.lead"].sudo()
        self.deals = {lead.id: lead for lead in leads.browse(wanted).exists()}
        self.open_deals = leads._onec_single_open_deals(set(self.commercial.values()))

    def deal_for(self, order):
        """``(deal id or False, [sentences for a person])`` for ``order``."""
        customer = self.commercial.get(order.partner_id, False)
        coded = [self.deals[i] for i in deal_ids_in(order.comment) if i in self.deals]
        own = [deal for deal in coded if customer and self._customer(deal) == customer]
        if own:
            return own[0].id, []
        notes = [self._mismatch(order, deal) for deal in coded]
        kept = self.deals.get(order.lead_id)
        if kept and customer and self._customer(kept) == customer:
            return kept.id, notes
        deal = self.open_deals.get(customer)
        if deal and order.date and order.date.date() >= deal["create_date"].date():
            return deal["id"], notes
        return False, notes

    def _customer(self, deal):
        return deal.partner_id.commercial_partner_id.id

    def _mismatch(self, order, deal):
        customer = self.env["res.partner"].sudo().browse(order.partner_id)
        return self.env._(
            "Order %(order)s names the deal %(code)s of %(deal_customer)s, but "
            "the order's customer is %(customer)s: the order is not linked to "
            "that deal. Correct the code in 1C or the deal's customer.",
            order=order.name,
            code=deal.onec_deal_code,
            deal_customer=deal.partner_id.commercial_partner_id.display_name
            or self.env._("no customer"),
            customer=customer.display_name or self.env._("not linked to a contact yet"),
        )
