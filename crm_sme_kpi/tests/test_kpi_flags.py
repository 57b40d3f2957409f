# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from datetime import date, timedelta

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import KpiCase, dt

MARCH = date(2025, 3, 1)


@tagged("post_install", "-at_install")
class TestKpiFlags(KpiCase):
    """The two stories of the article, on a five-person team, and the rules."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "sme_kpi_low_conversion_pct": 50.0,
                "sme_kpi_high_meetings_pct": 150.0,
                "sme_kpi_first_contact_hours": 24,
            }
        )
        names = ["anna", "boris", "victor", "galina", "dmitry"]
        cls.sellers = {n: cls._user(f"kpi_{n}") for n in names}
        cls.team = cls._team(
            "KPI Flag Team",
            cls.env["res.users"].union(*cls.sellers.values()),
            leader=cls.manager,
        )
        # name: (leads, won, calls per lead, meetings)
        plan = {
            "anna": (4, 2, 2, 2),
            "boris": (4, 3, 0, 0),  # story 1: wins, no calls
            "victor": (8, 1, 3, 2),  # story 2: most leads, lowest conversion
            "galina": (4, 2, 2, 2),
            "dmitry": (3, 1, 2, 2),
        }
        for name, (leads, won, calls, meetings) in plan.items():
            cls._history(cls.sellers[name], leads, won, calls, meetings)
        # the texts are read in both languages, whatever the database's own
        for lang in ("en_US", "ru_RU"):
            cls.env["res.lang"]._activate_lang(lang)
        cls.env["ir.module.module"]._load_module_terms(
            ["crm_sme_kpi"], ["ru_RU"], overwrite=True
        )
        cls.env = cls.env(context=dict(cls.env.context, lang="en_US"))

    @classmethod
    def _history(cls, user, leads, won, calls, meetings, *, month=3):
        for i in range(leads):
            opened = dt(2025, month, 2 + i, 9)
            lead = cls._lead(
                user,
                opened,
                won=dt(2025, month, 25) if i < won else None,
                revenue=100.0,
            )
            # first contact within two hours: an email when there are no calls
            first_type = cls.call_type if calls else cls.email_type
            cls._done(lead, user, first_type, opened + timedelta(hours=2))
            for j in range(1, calls):
                cls._done(lead, user, cls.call_type, opened + timedelta(days=j))
            if i < meetings:
                cls._meeting(user, opened + timedelta(days=1, hours=1), lead=lead)

    def _flags_domain(self):
        return [
            ("user_id", "in", self.team.member_ids.ids),
            ("period_start", "=", MARCH),
        ]

    def _flags(self):
        return self.env["crm.kpi.flag"].search(self._flags_domain())

    def test_article_stories(self):
        flags = self.env["crm.kpi.flag"]._evaluate_flags(MARCH)
        self.assertEqual(
            {(f.user_id.login, f.rule) for f in self._flags()},
            {("kpi_boris", "no_contact_wins"), ("kpi_victor", "low_conversion")},
        )
        self.assertEqual(flags, self._flags())
        victor = flags.filtered(lambda f: f.rule == "low_conversion")
        self.assertEqual(victor.value, 12.5)
        self.assertEqual(victor.team_median, 50.0)
        self.assertIn("12.5%", victor.explanation)
        self.assertIn("Victor", victor.explanation)
        boris = flags - victor
        self.assertIn("personal phone", boris.explanation)
        # the sales head gets an activity per flag
        self.assertEqual(flags.activity_ids.user_id, self.manager)
        self.assertEqual(len(flags.activity_ids), 2)

    def test_texts_in_reader_language(self):
        """Title, figure and explanation are written in the reader's language,
        from the figures the flag stores, numbers formatted for the language."""
        victor = (
            self.env["crm.kpi.flag"]
            ._evaluate_flags(MARCH)
            .filtered(lambda f: f.rule == "low_conversion")
        )
        self.assertEqual(
            (victor.leads_received, victor.team_median_leads, victor.threshold),
            (8, 4.0, 50.0),
        )
        en = victor.with_context(lang="en_US")
        self.assertEqual(en.name, "Many leads, low conversion: Kpi Victor")
        self.assertEqual(
            en.figure_summary,
            "Lead-to-client conversion: 12.5%, team median: 50.0%",
        )
        self.assertEqual(
            en.explanation,
            "Kpi Victor received 8 leads (team median 4) but converted only 12.5% "
            "of them into clients, below 50.0% of the team median of 50.0%.",
        )
        ru = victor.with_context(lang="ru_RU")
        self.assertEqual(ru.name, "Много лидов, низкая конверсия: Kpi Victor")
        self.assertEqual(
            ru.figure_summary,
            "Конверсия лидов в клиентов: 12,5 %, медиана команды: 50,0 %",
        )
        self.assertIn("получил(а) лидов: 8 (медиана команды 4)", ru.explanation)
        self.assertIn("только 12,5 % из них", ru.explanation)
        self.assertNotIn("12.5", ru.explanation)
        # the same flag read again in English: nothing was frozen in Russian
        self.assertIn("12.5%", victor.with_context(lang="en_US").explanation)
        # other rules name their figure too
        boris = self.env["crm.kpi.flag"].search(
            [*self._flags_domain(), ("rule", "=", "no_contact_wins")]
        )
        self.assertEqual(
            boris.with_context(lang="en_US").figure_summary,
            "Deals won with no call or meeting logged: 3",
        )
        self.assertEqual(
            boris.with_context(lang="ru_RU").figure_summary,
            "Выиграно сделок без записанных звонков и встреч: 3",
        )
        # the title stays searchable, in the reader's language
        flags = self.env["crm.kpi.flag"].with_context(lang="ru_RU")
        self.assertEqual(
            flags.search([*self._flags_domain(), ("name", "ilike", "конверсия")]),
            victor,
        )
        self.assertEqual(
            flags.search([*self._flags_domain(), ("name", "ilike", "kpi boris")]),
            boris,
        )
        self.assertEqual(
            flags.search([*self._flags_domain(), ("name", "not ilike", "конверсия")]),
            boris,
        )

    def test_head_activity_in_head_language(self):
        self.manager.lang = "ru_RU"
        flags = self.env["crm.kpi.flag"]._evaluate_flags(MARCH)
        victor = flags.filtered(lambda f: f.rule == "low_conversion")
        self.assertEqual(
            victor.activity_ids.summary, "Много лидов, низкая конверсия: Kpi Victor"
        )
        self.assertIn("12,5 %", victor.activity_ids.note)

    def test_no_duplicates(self):
        first = self.env["crm.kpi.flag"]._evaluate_flags(MARCH)
        second = self.env["crm.kpi.flag"]._evaluate_flags(MARCH)
        self.assertEqual(len(first), 2)
        self.assertFalse(second)
        self.assertEqual(len(self._flags()), 2)

    def test_acknowledge(self):
        flags = self.env["crm.kpi.flag"]._evaluate_flags(MARCH)
        flag = flags[0].with_user(self.manager)
        flag.acknowledge_note = "Talked about it"
        flag.action_acknowledge()
        self.assertEqual(flag.state, "acknowledged")
        self.assertEqual(flag.acknowledged_by_id, self.manager)
        self.assertFalse(flag.activity_ids)
        self.assertFalse(self.env["crm.kpi.flag"]._evaluate_flags(MARCH))

    def test_meetings_without_win(self):
        # April: three people with one meeting and a win, one with four, none won
        for name in ("anna", "galina", "dmitry"):
            self._history(self.sellers[name], 2, 1, 1, 1, month=4)
        victor = self.sellers["victor"]
        self._history(victor, 1, 0, 1, 1, month=4)
        for day in (10, 11, 12):
            self._meeting(victor, dt(2025, 4, day, 10), partner=victor.partner_id)
        flags = self.env["crm.kpi.flag"]._evaluate_flags(date(2025, 4, 1))
        self.assertEqual(
            [(f.user_id.login, f.rule, f.value, f.team_median) for f in flags],
            [("kpi_victor", "meetings_no_win", 4.0, 1.0)],
        )
        # the threshold is a company setting
        self.env["crm.kpi.flag"].search([]).unlink()
        self.company.sme_kpi_high_meetings_pct = 500.0
        self.assertFalse(self.env["crm.kpi.flag"]._evaluate_flags(date(2025, 4, 1)))

    def test_slow_first_contact(self):
        user = self.sellers["galina"]
        lead = self._lead(user, dt(2025, 5, 5, 9), revenue=10)
        self._done(lead, user, self.call_type, dt(2025, 5, 6, 10))  # 25 h
        flags = self.env["crm.kpi.flag"]._evaluate_flags(date(2025, 5, 1))
        self.assertEqual(
            [(f.user_id, f.rule, f.value) for f in flags],
            [(user, "slow_first_contact", 1.0)],
        )
        self.company.sme_kpi_first_contact_hours = 26
        self.env["crm.kpi.flag"].search([]).unlink()
        self.assertFalse(self.env["crm.kpi.flag"]._evaluate_flags(date(2025, 5, 1)))

    def test_cron_last_month(self):
        today = date.today()
        last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
        flags = self.env["crm.kpi.flag"]._cron_evaluate_kpi_flags()
        self.assertTrue(all(f.period_start == last_month for f in flags))

    def test_access(self):
        self.assertEqual(len(self.env["crm.kpi.flag"]._evaluate_flags(MARCH)), 2)
        boris = self.sellers["boris"]
        summary = self.env["crm.sme.kpi.summary"].with_user(boris)
        rows = summary.search([("date", "=", MARCH), ("period_type", "=", "month")])
        self.assertEqual(rows.user_id, boris)
        self.assertEqual(rows.median_leads_received, 4.0)
        report = self.env["crm.sme.kpi.report"].with_user(boris)
        self.assertEqual(report.search([]).user_id, boris)
        with self.assertRaises(AccessError):
            self.env["crm.kpi.flag"].with_user(boris).search([])
        manager_rows = (
            self.env["crm.sme.kpi.summary"]
            .with_user(self.manager)
            .search([("date", "=", MARCH), ("period_type", "=", "month"),
                     ("team_id", "=", self.team.id)])
        )  # fmt: skip
        self.assertEqual(len(manager_rows), 5)
        flags = self.env["crm.kpi.flag"].with_user(self.manager)
        self.assertEqual(flags.search(self._flags_domain()), self._flags())
