"""New clients into 1C: looked up by INN/KPP first, created otherwise."""

from odoo.tests import new_test_user, tagged

from onec_exchange.requisites import complete_inn

from .common import OnecCase


class ExportTests:
    def counterparties_with(self, inn):
        return [c for c in self.store.objects("counterparty") if c["inn"] == inn]

    def export_of(self, partner):
        return self.env["onec.client.export"].search(
            [
                ("partner_id", "=", partner.id),
                ("connection_id", "=", self.connection.id),
            ]
        )

    def test_new_client_is_created_in_1c(self):
        inn = self.new_inn(11)
        kpp = inn[:4] + "01001"
        partner = self.make_partner(name="ООО «Новый клиент»", vat=inn, onec_kpp=kpp)
        self.assertFalse(partner.onec_requisites_error)
        partner._sme_mark_as_client("manual")
        export = self.export_of(partner)
        self.assertEqual(export.state, "pending")
        journals = self.run_exchange()
        self.assertEqual(journals["export"].count_created, 1, journals["export"].error)
        created = self.counterparties_with(inn)
        self.assertEqual(len(created), 1)
        self.assertEqual(created[0]["kpp"], kpp)
        self.assertEqual(export.state, "done")
        self.assertEqual(export.onec_ref, created[0]["ref"])
        binding = self.mirror("onec.counterparty", created[0]["ref"])
        self.assertEqual(binding.partner_id, partner)
        # nothing is sent twice
        journals = self.run_exchange()
        self.assertEqual(journals["export"].count_read, 0)
        self.assertEqual(len(self.counterparties_with(inn)), 1)

    def test_existing_inn_in_1c_is_not_duplicated(self):
        counterparty = self.company_counterparty()
        before = self.store_count("counterparty")
        partner = self.make_partner(
            name="Same company, typed by a salesperson",
            vat=counterparty["inn"],
            onec_kpp=counterparty["kpp"],
        )
        partner._sme_mark_as_client("manual")
        # not read from 1C yet: the export looks the INN up instead
        self.connection.stream_orders = self.connection.stream_payments = False
        self.connection.stream_shipments = self.connection.stream_settlements = False
        self.connection.last_full_scan_at = "2100-01-01 00:00:00"
        journals = self.run_exchange()
        self.assertEqual(journals["export"].count_updated, 1, journals["export"].error)
        self.assertEqual(self.store_count("counterparty"), before)
        self.assertEqual(self.export_of(partner).onec_ref, counterparty["ref"])
        self.assertEqual(
            self.mirror("onec.counterparty", counterparty["ref"]).partner_id, partner
        )

    def test_sole_trader_without_kpp(self):
        inn = complete_inn("7712345678")  # 12 digits: a sole trader
        partner = self.make_partner(name="ИП Петров П.П.", vat=inn)
        self.assertFalse(partner.onec_requisites_error)
        partner._sme_mark_as_client("manual")
        self.run_exchange()
        created = self.counterparties_with(inn)
        self.assertEqual(len(created), 1)
        self.assertTrue(created[0]["is_person"])

    def test_invalid_requisites_are_shown_and_not_sent(self):
        before = self.store_count("counterparty")
        bad_digit = self.make_partner(
            name="Bad INN", vat="7707083894", onec_kpp="770701001"
        )
        self.assertIn("check digits", bad_digit.onec_requisites_error)
        bad_kpp = self.make_partner(
            name="Bad KPP", vat="7707083893", onec_kpp="77070100"
        )
        self.assertIn("KPP", bad_kpp.onec_requisites_error)
        no_kpp = self.make_partner(name="No KPP", vat="7707083893")
        self.assertIn("KPP", no_kpp.onec_requisites_error)
        (bad_digit | bad_kpp | no_kpp)._sme_mark_as_client("manual")
        journals = self.run_exchange()
        self.assertEqual(journals["export"].count_failed, 3)
        self.assertEqual(self.store_count("counterparty"), before)
        for partner in bad_digit | bad_kpp | no_kpp:
            export = self.export_of(partner)
            self.assertEqual(export.state, "invalid")
            self.assertEqual(export.error, partner.onec_requisites_error)

    def test_requisites_problem_in_the_readers_language_until_linked(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        field = self.env["res.partner"]._fields["onec_requisites_error"]
        self.assertFalse(field.store)
        counterparty = self.company_counterparty()
        partner = self.make_partner(name="No KPP typed", vat=counterparty["inn"])
        partner._sme_mark_as_client("manual")
        self.assertEqual(
            partner.with_context(lang="en_US").onec_requisites_error,
            "An organization needs its KPP.",
        )
        self.assertEqual(
            partner.with_context(lang="ru_RU").onec_requisites_error,
            "Для организации нужен КПП.",
        )
        contact = self.env["res.partner"].create(
            {"name": "Buyer", "parent_id": partner.id, "type": "contact"}
        )
        self.assertTrue(contact.onec_requisites_error)
        # a manager links it to its 1C counterparty: 1C holds the requisites
        self.run_exchange()
        binding = self.mirror("onec.counterparty", counterparty["ref"])
        self.assertFalse(binding.partner_id)  # INN alone does not match
        binding.partner_id = partner
        self.assertFalse(partner.onec_requisites_error)
        self.assertFalse(contact.onec_requisites_error)

    def test_form_says_a_new_client_will_go_to_1c(self):
        inn = self.new_inn(17)
        partner = self.make_partner(name="Hinted", vat=inn, onec_kpp=inn[:4] + "01001")
        bad = self.make_partner(name="Bad INN", vat="7707083894", onec_kpp="770701001")
        self.assertFalse(partner.onec_export_pending)  # not a client yet
        (partner | bad)._sme_mark_as_client("manual")
        self.assertTrue(partner.onec_export_pending)
        salesman = new_test_user(
            self.env, "onec_hint_salesman", groups="sales_team.group_sale_salesman"
        )
        self.assertTrue(partner.with_user(salesman).onec_export_pending)
        # a client that cannot go shows the warning instead
        self.assertFalse(bad.onec_export_pending)
        self.assertTrue(bad.onec_requisites_error)
        arch = self.env["res.partner"].get_views([(False, "form")])["views"]["form"][
            "arch"
        ]
        self.assertIn('name="onec_export_hint"', arch)
        self.assertIn("alert-info", arch)
        # once created in 1C (linked), nothing more to say
        self.run_exchange()
        self.assertEqual(self.export_of(partner).state, "done")
        partner.invalidate_recordset()
        self.assertFalse(partner.onec_export_pending)

    def test_dry_run_sends_nothing(self):
        inn = self.new_inn(13)
        partner = self.make_partner(name="Dry", vat=inn, onec_kpp=inn[:4] + "01001")
        partner._sme_mark_as_client("manual")
        before = self.store_count("counterparty")
        journals = self.run_exchange(dry_run=True)
        self.assertEqual(journals["export"].count_created, 1)
        self.assertEqual(self.store_count("counterparty"), before)
        self.assertEqual(self.export_of(partner).state, "pending")


@tagged("post_install", "-at_install")
class TestExportUt11OData(ExportTests, OnecCase):
    profile = "ut11"
    orders = 5


@tagged("post_install", "-at_install")
class TestExportBp30OData(ExportTests, OnecCase):
    profile = "bp30"
    orders = 5


@tagged("post_install", "-at_install")
class TestExportUnfOData(ExportTests, OnecCase):
    profile = "unf"
    orders = 5


@tagged("post_install", "-at_install")
class TestExportUt11Soap(ExportTests, OnecCase):
    profile = "ut11"
    protocol = "soap"
    orders = 5
