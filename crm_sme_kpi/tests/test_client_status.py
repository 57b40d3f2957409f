# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from unittest.mock import patch

from lxml import etree

from odoo.exceptions import UserError
from odoo.tests import tagged, users

from .common import KpiCase


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
