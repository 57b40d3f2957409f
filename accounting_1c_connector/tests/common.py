"""A 1C stand-in on loopback, a connection to it, and helpers for the tests."""

from datetime import datetime, timedelta

from odoo.tests import TransactionCase

from onec_exchange.requisites import complete_inn
from onec_exchange.standin import StandIn

QUIET = {"tracking_disable": True, "mail_notrack": True, "mail_create_nolog": True}


def start_standin(test_class, profile="ut11", counterparties=12, orders=40):
    """A stand-in on loopback for the whole test class, stopped after it."""
    standin = StandIn(
        profile=profile, counterparties=counterparties, orders=orders, seed=7
    )
    standin.start()
    test_class.addClassCleanup(standin.stop)
    return standin


def standin_connection_values(standin, profile="ut11", protocol="odata"):
    """What a connection to ``standin`` holds (its administrator's login)."""
    return {
        "protocol": protocol,
        "base_url": standin.host_url,
        "publication": standin.publication,
        "profile": profile,
        "username": "Администратор",
        "password": "пароль",
        "timeout": 20,
        "tz": "UTC",
    }


class OnecCase(TransactionCase):
    """Starts one stand-in per class (``profile``, ``protocol``)."""

    profile = "ut11"
    protocol = "odata"
    counterparties = 12
    orders = 40
    page_size = 500
    lang = None  # e.g. "en_US": messages checked in it, whatever the users read

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        context = dict(cls.env.context, **QUIET)
        if cls.lang:
            context["lang"] = cls.lang
        cls.env = cls.env(context=context)
        cls.standin = start_standin(
            cls, cls.profile, counterparties=cls.counterparties, orders=cls.orders
        )
        cls.store = cls.standin.store
        cls.connection = cls.env["onec.connection"].create(
            {
                **standin_connection_values(cls.standin, cls.profile, cls.protocol),
                "name": f"Test {cls.profile} {cls.protocol}",
                "code": f"test_{cls.profile}_{cls.protocol}",
                "page_size": cls.page_size,
            }
        )

    # ---- helpers ---------------------------------------------------------------------

    def run_exchange(self, connection=None, **kwargs):
        journals = (connection or self.connection)._onec_run(**kwargs)
        self.env.flush_all()
        return {journal.stream: journal for journal in journals}

    def counterparties_1c(self):
        return [c for c in self.store.objects("counterparty") if not c["deletion_mark"]]

    def company_counterparty(self):
        return self.store.legal_entity()

    def make_partner(self, counterparty=None, **values):
        vals = {"name": "Test customer", "is_company": True}
        if counterparty:
            vals.update(
                name=counterparty["name"] + " (CRM)",
                vat=counterparty["inn"],
                onec_kpp=counterparty["kpp"] or False,
            )
        vals.update(values)
        return self.env["res.partner"].create(vals)

    def mirror(self, model, ref):
        return (
            self.env[model]
            .with_context(active_test=False)
            .search([("connection_id", "=", self.connection.id), ("ref", "=", ref)])
        )

    def mirror_count(self, model):
        return (
            self.env[model]
            .with_context(active_test=False)
            .search_count([("connection_id", "=", self.connection.id)])
        )

    def store_count(self, kind):
        return self.store.count(kind)

    @staticmethod
    def new_inn(seed):
        return complete_inn(f"{(770000000 + seed) % 10**9:09d}")

    @staticmethod
    def recent(days=0):
        return datetime.now().replace(microsecond=0) - timedelta(days=days)
