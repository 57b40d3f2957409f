# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo.tests import tagged

from .smoke_tours import SmokeTourCase


@tagged("post_install", "-at_install")
class TestSmokeTours(SmokeTourCase):
    tour_prefix = "crm_sme_kpi"

    def test_smoke_administrator(self):
        self.run_smoke_tour("administrator")

    def test_smoke_sales_manager(self):
        self.run_smoke_tour("sales_manager")

    def test_smoke_salesperson(self):
        self.run_smoke_tour("salesperson")

    def test_smoke_consultant(self):
        self.run_smoke_tour("consultant")
