# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from datetime import datetime

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, TransactionCase, new_test_user, tagged

from odoo.addons.crm_sme_kpi.tests.sme_readiness_common import ReadinessFixtures


@tagged("post_install", "-at_install")
class TestPaybackFrom1C(ReadinessFixtures, TransactionCase):
    """The readiness payback's revenue from 1C's shipments of twelve months."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.connection = cls.env["onec.connection"].create(
            {
                "name": "Main 1C",
                "code": "payback_1c",
                "company_id": cls.company.id,
                "base_url": "http://127.0.0.1:9",
                "publication": "trade",
                "profile": "ut11",
            }
        )
        customer = cls.env["res.partner"].create({"name": "Buyer", "is_company": True})
        cls.counterparty = cls.env["onec.counterparty"].create(
            {
                "connection_id": cls.connection.id,
                "ref": "cp-1",
                "name": "Buyer",
                "partner_id": customer.id,
            }
        )
        month_start = fields.Date.context_today(cls.env["res.partner"]).replace(day=1)
        cls.first_day = datetime.combine(month_start, datetime.min.time())
        cls.start = cls.first_day - relativedelta(months=12)
        for ref, date, amount, posted in [
            ("in-first", cls.start, 100_000.0, True),
            ("in-last", cls.first_day - relativedelta(seconds=1), 20_000.0, True),
            ("unposted", cls.start + relativedelta(days=3), 7_000.0, False),
            ("too-old", cls.start - relativedelta(seconds=1), 5_000.0, True),
            ("this-month", cls.first_day, 3_000.0, True),
        ]:
            cls._shipment(ref, date, amount, posted)
        member = new_test_user(
            cls.env, login="payback_seller", groups="sales_team.group_sale_salesman",
            company_id=cls.company.id, company_ids=[cls.company.id],
        )  # fmt: skip
        cls.env["crm.team"].create(
            {
                "name": "Payback Team",
                "company_id": cls.company.id,
                "crm_team_member_ids": [(0, 0, {"user_id": member.id})],
            }
        )

    @classmethod
    def _shipment(cls, ref, date, amount, posted=True):
        return cls.env["onec.shipment"].create(
            {
                "connection_id": cls.connection.id,
                "counterparty_id": cls.counterparty.id,
                "ref": ref,
                "date": date,
                "amount": amount,
                "posted": posted,
                "currency_code": cls.company.currency_id.name,
            }
        )

    def test_not_offered_before_the_connection_exchanged(self):
        assessment = self._assessment()
        self.assertFalse(assessment.onec_revenue_available)
        with self.assertRaises(UserError):
            assessment.action_fill_revenue_from_1c()

    def test_fills_twelve_months_of_posted_shipments(self):
        self.connection.last_success_at = fields.Datetime.now()
        assessment = self._assessment(salesperson_count=0)
        self.assertTrue(assessment.onec_revenue_available)
        assessment.action_fill_revenue_from_1c()
        self.assertRecordValues(
            assessment,
            [
                {
                    "revenue_amount": 120_000.0,
                    "revenue_period_months": 12,
                    "salesperson_count": 1,
                    "revenue_per_salesperson": 10_000.0,
                }
            ],
        )
        self.assertIn("1C shipments from", assessment.revenue_source)
        self.assertIn("Main 1C", assessment.revenue_source)

    def test_typed_salespeople_and_revenue_stay_the_consultants(self):
        self.connection.last_success_at = fields.Datetime.now()
        assessment = self._assessment(salesperson_count=4)
        assessment.action_fill_revenue_from_1c()
        self.assertEqual(assessment.salesperson_count, 4)
        self.assertEqual(assessment.revenue_per_salesperson, 2_500.0)
        with Form(assessment) as form:
            form.revenue_amount = 90_000.0
        self.assertFalse(assessment.revenue_source)
        self.assertEqual(assessment.revenue_amount, 90_000.0)
