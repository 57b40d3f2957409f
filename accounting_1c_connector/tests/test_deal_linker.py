"""The deal rule (``deal_linker``), through the importer and a re-link."""

from odoo.tests import tagged

from .common import OnecCase

MISMATCH = (
    "Order {order} names the deal CRM-{deal} of {deal_customer}, but the "
    "order's customer is {customer}: the order is not linked to that deal. "
    "Correct the code in 1C or the deal's customer."
)


@tagged("post_install", "-at_install")
class TestDealLinker(OnecCase):
    counterparties = 8
    orders = 5
    lang = "en_US"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        companies = [
            c
            for c in cls.store.objects("counterparty")
            if not c["is_person"] and not c.get("head_ref")
        ]
        cls.cp_mine, cls.cp_other = companies[0], companies[1]

    def setUp(self):
        super().setUp()
        self.mine = self.make_partner(self.cp_mine)
        self.other = self.make_partner(self.cp_other)

    def deal(self, partner, name="Deal"):
        return self.env["crm.lead"].create(
            {"name": name, "type": "opportunity", "partner_id": partner.id}
        )

    def order_of(self, counterparty, **values):
        order = self.store.post_order(
            counterparty["ref"], 100, date=self.recent(), **values
        )
        return order, lambda: self.mirror("onec.order", order["ref"])

    def test_code_of_own_deal_links(self):
        # the deal is on a person of the customer: the same commercial entity
        person = self.env["res.partner"].create(
            {"name": "Buyer", "parent_id": self.mine.id}
        )
        coded = self.deal(person, "Coded")
        self.deal(self.mine, "Another open deal")  # no single open deal
        _order, mirror = self.order_of(self.cp_mine, comment=f"по CRM-{coded.id}")
        journals = self.run_exchange()
        self.assertEqual(mirror().lead_id, coded)
        self.assertFalse(journals["order"].notes)

    def test_code_of_another_customers_deal_does_not_link_and_is_journaled(self):
        own = self.deal(self.mine, "Own")
        foreign = self.deal(self.other, "Foreign")
        order, mirror = self.order_of(self.cp_mine, comment=f"CRM-{foreign.id}")
        journals = self.run_exchange()
        # the order stays on its customer, on the customer's own deal
        self.assertEqual(mirror().partner_id, self.mine)
        self.assertEqual(mirror().lead_id, own)
        self.assertEqual(
            journals["order"].notes,
            MISMATCH.format(
                order=order["number"],
                deal=foreign.id,
                deal_customer=self.other.display_name,
                customer=self.mine.display_name,
            ),
        )
        # the counterparty linked to the deal's customer: the code now links
        binding = self.mirror("onec.counterparty", self.cp_mine["ref"])
        binding.partner_id = self.other
        self.assertEqual(mirror().lead_id, foreign)

    def test_keep_old_deal(self):
        first = self.deal(self.mine, "First")
        order, mirror = self.order_of(self.cp_mine)
        self.run_exchange()
        self.assertEqual(mirror().lead_id, first)
        # the deal is won, another opens; the order changes in 1C: it stays
        first.action_set_won()
        second = self.deal(self.mine, "Second")
        self.store.update("order", order["ref"], {"amount": 150})
        journals = self.run_exchange()
        self.assertEqual(journals["order"].count_updated, 1)
        self.assertEqual(mirror().lead_id, first)
        # not kept once the deal is another customer's
        binding = self.mirror("onec.counterparty", self.cp_mine["ref"])
        binding.partner_id = self.other
        self.assertFalse(mirror().lead_id)
        # back: the customer's single open deal, placed since it exists
        binding.partner_id = self.mine
        self.assertEqual(mirror().lead_id, second)
