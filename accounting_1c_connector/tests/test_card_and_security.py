"""The customer card and deal, and who may see and change what."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import OnecCase


@tagged("post_install", "-at_install")
class TestCardAndSecurity(OnecCase):
    orders = 30

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(
            cls.env, "onec_salesman", groups="sales_team.group_sale_salesman"
        )
        cls.counterparty = next(
            c
            for c in cls.standin.store.objects("counterparty")
            if not c["is_person"] and not c.get("head_ref")
        )

    def test_card_figures_and_stale_warning(self):
        partner = self.make_partner(self.counterparty)
        contact = self.env["res.partner"].create(
            {"name": "Buyer", "parent_id": partner.id}
        )
        self.store.post_order(self.counterparty["ref"], 1234)
        self.run_exchange()
        orders = self.env["onec.order"].search([("partner_id", "=", partner.id)])
        for record in (partner, contact):
            record.invalidate_recordset()
            self.assertEqual(record.onec_order_count, len(orders))
            self.assertAlmostEqual(
                record.onec_order_amount, sum(orders.mapped("amount"))
            )
            self.assertTrue(record.onec_as_of)
            self.assertFalse(record.onec_stale)
        self.connection.settlements_as_of = fields.Datetime.now() - timedelta(
            minutes=11
        )
        partner.invalidate_recordset()
        self.assertTrue(partner.onec_stale)
        action = partner.action_onec_orders()
        self.assertEqual(
            self.env["onec.order"].search_count(action["domain"]), len(orders)
        )

    def test_figures_in_batch(self):
        self.run_exchange()
        partners = self.env["res.partner"].create(
            [{"name": f"P{i}", "is_company": True} for i in range(10)]
        )
        partners.invalidate_recordset()
        with self.assertQueryCount(7):
            partners.mapped("onec_balance")

    def test_salesperson_reads_but_cannot_change(self):
        partner = self.make_partner(self.counterparty)
        self.run_exchange()
        orders = self.env["onec.order"].with_user(self.salesman)
        visible = orders.search([])
        self.assertTrue(visible)
        self.assertFalse(visible.filtered(lambda o: not o.partner_id))
        self.assertIn(partner, visible.partner_id)
        with self.assertRaises(AccessError):
            visible[:1].write({"amount": 1})
        with self.assertRaises(AccessError):
            orders.create({"connection_id": self.connection.id, "ref": "x"})
        with self.assertRaises(AccessError):
            self.connection.with_user(self.salesman).read(["name"])
        with self.assertRaises(AccessError):
            self.env["onec.exchange.run"].with_user(self.salesman).search([])
        self.assertTrue(
            partner.with_user(self.salesman).onec_order_count,
        )

    def test_multi_company(self):
        other = self.env["res.company"].create({"name": "Other company"})
        self.connection.company_id = other
        partner = self.make_partner(self.counterparty, company_id=other.id)
        self.run_exchange()
        self.assertTrue(
            self.env["onec.order"].search([("partner_id", "=", partner.id)])
        )
        orders = self.env["onec.order"].with_user(self.salesman)
        self.assertFalse(orders.search([("partner_id", "=", partner.id)]))

    def test_deal_shows_code_and_orders(self):
        # the stand-in lives for the class: use a counterparty no test touched
        counterparty = [
            c
            for c in self.store.objects("counterparty")
            if not c["is_person"] and not c.get("head_ref")
        ][3]
        partner = self.make_partner(counterparty)
        deal = self.env["crm.lead"].create(
            {"name": "Big deal", "type": "opportunity", "partner_id": partner.id}
        )
        self.assertEqual(deal.onec_deal_code, f"CRM-{deal.id}")
        self.store.post_order(counterparty["ref"], 10, comment=deal.onec_deal_code)
        self.store.post_order(counterparty["ref"], 20)
        self.run_exchange()
        deal.invalidate_recordset()
        self.assertEqual(deal.onec_order_count, 2)
        self.assertAlmostEqual(deal.onec_order_amount, 30)
        self.assertEqual(
            deal.action_onec_orders()["domain"], [("lead_id", "=", deal.id)]
        )

    def test_manager_links_an_unmatched_counterparty(self):
        manager = new_test_user(
            self.env, "onec_manager", groups="sales_team.group_sale_manager"
        )
        counterparty = [
            c
            for c in self.store.objects("counterparty")
            if not c["is_person"] and not c.get("head_ref")
        ][4]
        partner = self.make_partner(name="Typed differently")  # no INN: no match
        deal = self.env["crm.lead"].create(
            {"name": "Deal", "type": "opportunity", "partner_id": partner.id}
        )
        new_order = self.store.post_order(counterparty["ref"], 42)
        self.run_exchange()
        binding = self.mirror("onec.counterparty", counterparty["ref"])
        self.assertFalse(binding.partner_id)
        order = self.mirror("onec.order", new_order["ref"])
        self.assertFalse(order.lead_id)

        binding.with_user(manager).partner_id = partner
        orders = self.env["onec.order"].search([("counterparty_id", "=", binding.id)])
        self.assertEqual(orders.partner_id, partner)
        # the order placed since the deal exists goes to it, older ones do not
        self.assertEqual(order.lead_id, deal)
        self.assertFalse((orders - order).lead_id)
        with self.assertRaises(AccessError):
            binding.with_user(manager).inn = "7707083893"

        # linked to another customer by mistake and back: the deal follows
        binding.with_user(manager).partner_id = self.make_partner(name="Other")
        self.assertFalse(order.lead_id)
        binding.with_user(manager).partner_id = partner
        self.assertEqual(order.lead_id, deal)

    def test_order_status_reads_as_words_in_the_readers_language(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        partner = self.make_partner(self.counterparty)
        self.run_exchange()
        orders = self.env["onec.order"].search([])
        by_status = {order.status: order for order in orders}
        self.assertIn("КОтгрузке", by_status)
        # a salesperson reads it too (the profile is the administrator's)
        mine = orders.filtered(lambda o: o.partner_id == partner)[:1]
        self.assertTrue(mine)
        self.assertTrue(
            mine.with_user(self.salesman).with_context(lang="ru_RU").status_label
        )
        order = by_status["КОтгрузке"]
        self.assertEqual(order.with_context(lang="ru_RU").status_label, "К отгрузке")
        self.assertEqual(order.with_context(lang="en_US").status_label, "Ready to ship")
        for raw, record in by_status.items():
            with self.subTest(status=raw):
                self.assertNotEqual(record.with_context(lang="en_US").status_label, raw)
        # a value the profile does not know shows as 1C sent it
        order.sudo().status = "ОжидаетПредоплаты"
        self.assertEqual(
            order.with_context(lang="ru_RU").status_label, "ОжидаетПредоплаты"
        )
        # the card and the deal show the words, not 1C's names
        for model, view in (
            ("res.partner", "accounting_1c_connector.view_partner_form_onec"),
            ("crm.lead", "accounting_1c_connector.crm_lead_view_form_onec"),
        ):
            arch = self.env.ref(view).arch
            self.assertIn('name="status_label"', arch, model)
            self.assertNotIn('name="status"', arch, model)

    def test_smart_buttons_cue_overdue_debt_and_stale_data(self):
        partner = self.make_partner(self.counterparty)
        self.run_exchange()
        partner.invalidate_recordset()
        card = partner.with_user(self.salesman)
        self.assertTrue(card.onec_has_data)
        self.assertFalse(card.onec_stale)
        binding = self.mirror("onec.counterparty", self.counterparty["ref"])
        settlements = self.env["onec.settlement"].search(
            [("counterparty_id", "=", binding.id)]
        )
        settlements.unlink()
        self.env["onec.settlement"].create(
            {
                "connection_id": self.connection.id,
                "counterparty_id": binding.id,
                "counterparty_ref": binding.ref,
                "currency_code": "RUB",
                "balance": 500,
                "overdue": 0,
            }
        )
        partner.invalidate_recordset()
        self.assertFalse(card.onec_is_overdue)
        self.env["onec.settlement"].search(
            [("counterparty_id", "=", binding.id)]
        ).overdue = 120
        partner.invalidate_recordset()
        self.assertTrue(card.onec_is_overdue)
        self.connection.settlements_as_of = fields.Datetime.now() - timedelta(hours=1)
        partner.invalidate_recordset()
        self.assertTrue(card.onec_stale)
        # the buttons carry the cues
        arch = (
            self.env["res.partner"]
            .with_user(self.salesman)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        for cue in (
            'name="onec_balance_overdue"',
            'name="onec_balance_stale"',
            'name="onec_order_count_stale"',
            'name="onec_payment_count_stale"',
        ):
            self.assertIn(cue, arch)
        self.assertIn("text-danger", arch)
