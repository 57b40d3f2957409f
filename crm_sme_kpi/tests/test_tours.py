# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from odoo.tests import tagged

from . import smoke_tours


@tagged("post_install", "-at_install")
class TestSmokeTours(smoke_tours.SmokeTourCase):
    tour_prefix = "crm_sme_kpi"
