# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from unittest.mock import patch

from lxml import etree

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged, users

from ..hooks import post_init_hook
from .common import KpiCase, dt


@tagged("post_install", "-at_install")
class TestClientStatus(KpiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = cls._user("kpi_seller")
        cls.company_partner = cls.env["res.partner"].create(
            {"name": "KPI Client Co", "is_company": True}
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "KPI Contact", "parent_id": cls.company_partner.id}
        )

    def test_new_contact_is_lead(self):
        self.assertEqual(self.company_partner.sme_customer_state, "lead")
        self.assertEqual(self.contact.sme_customer_state, "lead")
        self.assertFalse(self.company_partner.sme_client_since)

    @users("kpi_seller")
    def test_mark_by_hand_on_contact(self):
        contact = self.contact.with_env(self.env)
        contact.action_mark_as_client()
        company = contact.commercial_partner_id
        self.assertEqual(company.sme_customer_state, "client")
        self.assertEqual(company.sme_client_source, "manual")
        self.assertEqual(company.sme_client_set_by_id, self.env.user)
        self.assertTrue(company.sme_client_since)
        # the contact shows its company's status, and so does a new contact
        self.assertEqual(contact.sme_customer_state, "client")
        other = self.env["res.partner"].create(
            {"name": "KPI Other", "parent_id": company.id}
        )
        self.assertEqual(other.sme_customer_state, "client")
        self.assertEqual(
            self.env["res.partner"].search_count(
                [("sme_customer_state", "=", "client"), ("id", "in", [company.id])]
            ),
            1,
        )

    def test_won_deal_makes_client(self):
        lead = self.env["crm.lead"].create(
            {
                "name": "KPI deal",
                "type": "opportunity",
                "partner_id": self.contact.id,
                "user_id": self.salesman.id,
            }
        )
        self.assertEqual(lead.sme_customer_state, "lead")
        lead.action_set_won()
        self.assertEqual(self.company_partner.sme_customer_state, "client")
        self.assertEqual(self.company_partner.sme_client_source, "won_deal")
        self.assertEqual(self.company_partner.sme_client_reference, "KPI deal")
        self.assertEqual(lead.sme_customer_state, "client")

    def test_status_logged_unless_a_won_deal_says_it(self):
        """Marked by hand, the status change is in the customer's chatter;
        after a won deal it is not (the deal's chatter says it was won), and
        the card names the deal."""
        env = self.env(
            context=dict(self.env.context, tracking_disable=False, mail_notrack=False)
        )

        def logged(partner):
            env.flush_all()
            env.cr.precommit.run()
            return partner.message_ids.tracking_value_ids.filtered(
                lambda t: t.field_id.name == "sme_customer_state"
            )

        by_hand = env["res.partner"].create({"name": "KPI By Hand"})
        won_customer = env["res.partner"].create({"name": "KPI Won Customer"})
        lead = env["crm.lead"].create(
            {"name": "KPI won deal", "type": "opportunity",
             "partner_id": won_customer.id}
        )  # fmt: skip
        # created earlier: records created in the transaction are not tracked
        self.assertFalse(logged(by_hand | won_customer))
        by_hand.action_mark_as_client()
        self.assertTrue(logged(by_hand))
        lead.action_set_won()
        self.assertFalse(logged(won_customer))
        self.assertEqual(won_customer.sme_customer_state, "client")
        self.assertEqual(won_customer.sme_client_source, "won_deal")
        self.assertEqual(won_customer.sme_client_reference, "KPI won deal")
        self.assertTrue(won_customer.sme_client_since)

    def test_lost_deal_keeps_lead(self):
        lead = self.env["crm.lead"].create(
            {"name": "KPI lost", "type": "opportunity", "partner_id": self.contact.id}
        )
        lead.action_set_lost()
        self.assertEqual(self.company_partner.sme_customer_state, "lead")

    def test_external_once_with_hook(self):
        partner_cls = type(self.env["res.partner"])
        with patch.object(partner_cls, "_sme_on_became_client", autospec=True) as hook:
            became = self.contact._sme_mark_as_client("external", reference="1C")
            self.assertEqual(became, self.company_partner)
            since = self.company_partner.sme_client_since
            again = self.company_partner._sme_mark_as_client("manual")
        self.assertEqual(hook.call_count, 1)
        self.assertFalse(again)
        self.assertEqual(self.company_partner.sme_client_source, "external")
        self.assertEqual(self.company_partner.sme_client_reference, "1C")
        self.assertEqual(self.company_partner.sme_client_since, since)

    def test_unknown_source(self):
        with self.assertRaises(UserError):
            self.contact._sme_mark_as_client("magic")

    def test_pipeline_kanban_shows_lead_or_client(self):
        """The pipeline's cards carry a Lead/Client badge, the forecast's too."""
        for xmlid in (
            "crm.crm_case_kanban_view_leads",
            "crm.crm_lead_view_kanban_forecast",
        ):
            with self.subTest(view=xmlid):
                view = self.env.ref(xmlid)
                result = (
                    self.env["crm.lead"]
                    .with_user(self.salesman)
                    .get_views([(view.id, "kanban")])
                )
                arch = etree.fromstring(result["views"]["kanban"]["arch"])
                badge = arch.xpath(
                    "//t[@t-name='card']//field[@name='sme_customer_state']"
                )
                self.assertEqual(len(badge), 1)
                self.assertEqual(badge[0].get("widget"), "badge")
                self.assertIn("o_sme_customer_state", badge[0].get("class"))
                self.assertIn(
                    "sme_customer_state", result["models"]["crm.lead"]["fields"]
                )

    # ---- install: won deals made before it --------------------------------

    def _as_before_install(self, partners):
        """Forget the status, as if the deals had been won before the install."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE res_partner SET sme_customer_state = 'lead', "
            "sme_client_since = NULL, sme_client_source = NULL, "
            "sme_client_reference = NULL, sme_client_set_by_id = NULL "
            "WHERE id IN %s",
            [tuple(partners.ids)],
        )
        self.env.invalidate_all()

    def test_install_back_fills_won_deals(self):
        salesman = self.salesman
        newer = self._lead(salesman, dt(2025, 1, 5), partner=self.contact,
                           won=dt(2025, 2, 20))  # fmt: skip
        older = self._lead(salesman, dt(2025, 1, 2), partner=self.company_partner,
                           won=dt(2025, 2, 10))  # fmt: skip
        open_customer = self.env["res.partner"].create({"name": "KPI Open Co"})
        self._lead(salesman, dt(2025, 1, 3), partner=open_customer)
        lost_customer = self.env["res.partner"].create({"name": "KPI Lost Co"})
        self._lead(salesman, dt(2025, 1, 3), partner=lost_customer,
                   lost=dt(2025, 2, 1))  # fmt: skip
        customers = self.company_partner | self.contact | open_customer | lost_customer
        self._as_before_install(customers)
        self.assertEqual(set(customers.mapped("sme_customer_state")), {"lead"})

        became = post_init_hook(self.env)

        self.assertIn(self.company_partner, became)
        self.assertNotIn(open_customer | lost_customer, became)
        self.assertEqual(self.company_partner.sme_customer_state, "client")
        self.assertEqual(self.contact.sme_customer_state, "client")
        self.assertEqual(self.company_partner.sme_client_source, "won_deal")
        # the oldest won deal is the one named
        self.assertEqual(self.company_partner.sme_client_reference, older.name)
        self.assertNotEqual(older.name, newer.name)
        self.assertTrue(self.company_partner.sme_client_since)
        self.assertEqual(open_customer.sme_customer_state, "lead")
        self.assertEqual(lost_customer.sme_customer_state, "lead")
        # run again: nothing more to do
        self.assertFalse(post_init_hook(self.env) & customers)

    # ---- internal users' contacts are neither leads nor clients -----------

    def test_internal_user_contact_has_no_status(self):
        employee = new_test_user(self.env, login="kpi_employee", name="KPI Employee")
        portal = new_test_user(self.env, login="kpi_portal", groups="base.group_portal")
        self.assertFalse(employee.partner_id.sme_customer_state)
        self.assertFalse(self.salesman.partner_id.sme_customer_state)
        self.assertEqual(portal.partner_id.sme_customer_state, "lead")
        leads = self.env["res.partner"].search([("sme_customer_state", "=", "lead")])
        self.assertNotIn(employee.partner_id, leads)
        self.assertIn(portal.partner_id, leads)
        # a won deal does not make an employee a client
        lead = self.env["crm.lead"].create(
            {
                "name": "KPI deal with staff",
                "type": "opportunity",
                "partner_id": employee.partner_id.id,
            }
        )
        lead.action_set_won()
        self.assertFalse(employee.partner_id.sme_customer_state)
        self.assertFalse(lead.sme_customer_state)
        self.assertFalse(employee.partner_id.sme_client_source)
        # nor does working under a client company
        self.company_partner._sme_mark_as_client("manual")
        employee.partner_id.parent_id = self.company_partner
        self.assertFalse(employee.partner_id.sme_customer_state)
        self.assertEqual(self.contact.sme_customer_state, "client")
        # an employee who becomes a portal user is a contact like the others
        employee.groups_id = [(6, 0, self.env.ref("base.group_portal").ids)]
        self.assertTrue(employee.share)
        self.assertEqual(employee.partner_id.sme_customer_state, "client")

    def test_archived_internal_user_contact_has_no_status(self):
        employee = new_test_user(self.env, login="kpi_former", name="KPI Former")
        employee.active = False
        self.env.invalidate_all()
        self.assertFalse(employee.partner_id.sme_customer_state)
        employee.partner_id.sme_customer_state = "lead"
        self.assertFalse(employee.partner_id.sme_customer_state)
