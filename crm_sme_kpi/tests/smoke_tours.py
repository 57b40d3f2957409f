# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""Runs an add-on's browser smoke tours, one per role, on the demo data.

An add-on's ``tests/test_tours.py`` subclasses :class:`SmokeTourCase` with its
``tour_prefix``; import this module, not the class, so that the test loader
does not collect the base class itself.

The tours (``static/tests/tours/``) click every menu, list, form, tab and
safe button the add-on adds, as a person of each role would; a tour fails on
an error dialog, a JavaScript console error or a step that never appears, and
the test command fails on any WARNING or ERROR the server logs meanwhile.
"""

from odoo.tests import HttpCase, new_test_user

# role -> (login, how to get the user): the demo team's people where their
# own documents matter, a fresh user for the consultant
# what a tour's pages load; made once per class, since the bundles a page
# makes during a test are rolled back with it (15-20 s per tour otherwise)
TOUR_BUNDLES = (
    "web.assets_web",
    "web.assets_tests",
    "web.assets_web_print",
    "web.assets_backend_lazy",
    "bus.websocket_worker_assets",
    "web.report_assets_common",
    "web.report_assets_pdf",
)

DEMO_LOGINS = {
    "administrator": "base.user_admin",
    "sales_manager": "crm_sme_kpi.demo_user_head",
    "salesperson": "crm_sme_kpi.demo_user_anna",
}


class SmokeTourCase(HttpCase):
    tour_prefix = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.role_logins = {}
        for role, xmlid in DEMO_LOGINS.items():
            user = cls.env.ref(xmlid)
            user.password = user.login  # what start_tour logs in with
            cls.role_logins[role] = user.login
        cls.role_logins["consultant"] = new_test_user(
            cls.env,
            login="smoke_consultant",
            name="Smoke Consultant",
            groups="sales_team.group_sale_salesman,"
            "crm_sme_kpi.group_sme_readiness_consultant",
        ).login
        cls._make_tour_bundles()

    @classmethod
    def _make_tour_bundles(cls):
        for name in TOUR_BUNDLES:
            bundle = cls.env["ir.qweb"]._get_asset_bundle(name)
            if bundle.stylesheets:
                bundle.css()
            if bundle.javascripts:
                bundle.js()

    def run_smoke_tour(self, role):
        self.start_tour(
            "/odoo",
            f"{self.tour_prefix}_smoke_{role}",
            login=self.role_logins[role],
            timeout=120,
        )

    def test_smoke_administrator(self):
        self.run_smoke_tour("administrator")

    def test_smoke_sales_manager(self):
        self.run_smoke_tour("sales_manager")

    def test_smoke_salesperson(self):
        self.run_smoke_tour("salesperson")

    def test_smoke_consultant(self):
        self.run_smoke_tour("consultant")
