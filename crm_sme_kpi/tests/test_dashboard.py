# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import KpiCase, dt

MARCH = "2025-03-01"


@tagged("post_install", "-at_install")
class TestDashboard(KpiCase):
    """The sales head's dashboard: one call, exact figures, enforced access."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.anna = cls._user("kpi_dash_anna")
        cls.boris = cls._user("kpi_dash_boris")
        cls.team = cls._team("Dash Team", cls.anna | cls.boris, leader=cls.manager)
        # Anna, March: 2 leads, one won (after 2 calls); February: 1 lead
        cls.won = cls._lead(cls.anna, dt(2025, 3, 3, 9), won=dt(2025, 3, 20),
                            revenue=1000)  # fmt: skip
        cls._lead(cls.anna, dt(2025, 3, 10, 9))
        cls._lead(cls.anna, dt(2025, 2, 10, 9))
        cls._done(cls.won, cls.anna, cls.call_type, dt(2025, 3, 3, 12))
        cls._done(cls.won, cls.anna, cls.call_type, dt(2025, 3, 4, 12))
        # Boris, March: 4 leads, 2 won, no call at all
        for day in (3, 4, 5, 6):
            won = dt(2025, 3, 25) if day < 5 else None
            cls._lead(cls.boris, dt(2025, 3, day, 9), won=won, revenue=500)
        cls.env["crm.kpi.flag"]._evaluate_flags(date(2025, 3, 1))

    def _dashboard(self, user, **kwargs):
        kwargs.setdefault("period_start", MARCH)
        return (
            self.env["crm.sme.kpi.dashboard"]
            .with_user(user)
            .get_dashboard(team_id=self.team.id, **kwargs)
        )

    def _all_open_flags(self):
        return self.env["crm.kpi.flag"].search(
            [("team_id", "=", self.team.id), ("state", "=", "open")]
        )

    def _row(self, dashboard, user):
        [row] = [r for r in dashboard["rows"] if r["user"]["id"] == user.id]
        return row

    def test_manager_sees_every_salesperson(self):
        board = self._dashboard(self.manager)
        self.assertTrue(board["live"])
        self.assertEqual(board["team"]["id"], self.team.id)
        self.assertEqual(board["period"]["start"], MARCH)
        self.assertEqual(board["period"]["previous"], "2025-02-01")
        self.assertEqual({r["user"]["id"] for r in board["rows"]},
                         {self.anna.id, self.boris.id})  # fmt: skip
        anna = self._row(board, self.anna)["values"]
        expected = {
            "leads_received": 2, "calls": 2, "won_count": 1, "won_revenue": 1000,
            "calls_per_won": 2.0, "conversion_rate": 50.0, "meetings_per_won": 0.0,
        }  # fmt: skip
        self.assertEqual({k: anna[k] for k in expected}, expected)
        boris = self._row(board, self.boris)
        self.assertEqual(boris["values"]["leads_received"], 4)
        # wins without a single meeting: not shown as an efficient salesperson
        self.assertEqual(boris["values"]["meetings_per_won"], 0.0)
        self.assertEqual(boris["deviation"]["meetings_per_won"], "even")
        # medians of two salespeople: the middle of their values
        self.assertEqual(board["medians"]["leads_received"], 3.0)
        self.assertEqual(board["medians"]["calls"], 1.0)
        self.assertEqual(self._row(board, self.anna)["deviation"]["calls"], "good_far")
        self.assertEqual(boris["deviation"]["calls"], "bad_far")

    def test_previous_period_and_trend(self):
        row = self._row(self._dashboard(self.manager), self.anna)
        self.assertEqual(row["previous"]["leads_received"], 1)
        self.assertEqual(row["trend"]["leads_received"], [0, 0, 0, 0, 1, 2])

    def test_flags_inline_for_the_manager(self):
        board = self._dashboard(self.manager)
        shown = self._row(board, self.boris)["flags"]
        flags = self.env["crm.kpi.flag"].browse([f["id"] for f in shown])
        flag = flags.filtered(lambda f: f.rule == "no_contact_wins").with_user(
            self.manager
        )
        self.assertEqual(len(flag), 1)
        [sentence] = [f["explanation"] for f in shown if f["id"] == flag.id]
        self.assertIn("Boris", sentence)
        self.assertEqual(board["open_flags"], len(self._all_open_flags()))
        flag.acknowledge_note = "Talked to Boris"
        flag.action_acknowledge()
        after = self._dashboard(self.manager)
        still = [f["id"] for f in self._row(after, self.boris)["flags"]]
        self.assertNotIn(flag.id, still)
        self.assertEqual(after["open_flags"], board["open_flags"] - 1)

    def test_salesperson_sees_own_row_and_team_medians_only(self):
        manager_board = self._dashboard(self.manager)
        board = self._dashboard(self.anna)
        self.assertFalse(board["is_manager"])
        self.assertEqual([r["user"]["id"] for r in board["rows"]], [self.anna.id])
        self.assertEqual(board["medians"], manager_board["medians"])
        self.assertEqual(board["funnel"]["team"], manager_board["funnel"]["team"])
        self.assertEqual(board["open_flags"], 0)
        self.assertEqual(self._row(board, self.anna)["flags"], [])
        dashboard = self.env["crm.sme.kpi.dashboard"].with_user(self.anna)
        with self.assertRaises(AccessError):
            dashboard.action_drilldown(self.boris.id, "calls", "month", MARCH)

    def test_salesperson_of_another_team_sees_no_team_of_others(self):
        outsider = self._user("kpi_dash_outsider")
        self._team("Dash Other", outsider)
        board = self._dashboard(outsider)
        self.assertNotIn(self.team.id, [t["id"] for t in board["teams"]])
        self.assertNotEqual(board["team"]["id"], self.team.id)
        self.assertNotIn(self.anna.id, [r["user"]["id"] for r in board["rows"]])

    def test_funnel(self):
        board = self._dashboard(self.manager)
        stages = [s["id"] for s in board["funnel"]["stages"]]
        won_at = stages.index(self.won_stage.id)
        boris = self._row(board, self.boris)["funnel"]
        self.assertEqual(boris[0], 4)  # every lead reached the first stage
        self.assertEqual(boris[won_at], 2)
        self.assertEqual(board["funnel"]["team"][won_at], 3)

    def test_every_number_opens_its_records(self):
        dashboard = self.env["crm.sme.kpi.dashboard"].with_user(self.anna)
        board = self._dashboard(self.anna)
        values = self._row(board, self.anna)["values"]
        for figure, expected in (("leads_received", 2), ("won_count", 1),
                                 ("calls", 2), ("conversion_rate", 1)):  # fmt: skip
            action = dashboard.action_drilldown(self.anna.id, figure, "month", MARCH)
            records = (
                self.env[action["res_model"]]
                .with_user(self.anna)
                .with_context(active_test=False)
                .search(action["domain"])
            )
            self.assertEqual(len(records), expected, figure)
            if figure != "conversion_rate":
                self.assertEqual(len(records), values[figure], figure)
        self.assertEqual(action["views"][0][1], "list")

    def test_default_period_is_the_last_with_figures(self):
        board = self._dashboard(self.manager, period_start=False)
        self.assertLessEqual(board["period"]["start"], str(date.today()))
