"""Reproducible demo data: the same seed gives the same infobase.

Counterparties have INNs with valid check digits and well-formed KPPs; sole
traders have a 12-digit INN and no KPP; branches share their head's INN and
differ by KPP. Orders carry goods table parts; most orders are shipped and
paid by bank or in cash, so receivables come out of real documents.
"""

import gc
import random
from datetime import datetime, timedelta
from decimal import Decimal

from ..requisites import complete_inn
from .store import RUB_REF, Store

BASE_DATE = datetime(2025, 1, 1)
SPAN_DAYS = 365
CURRENCIES = (
    (RUB_REF, "643", "руб.", "Российский рубль"),
    ("2c5e4c5e-0000-1000-8000-000000000840", "840", "USD", "Доллар США"),
)
FORMS = ("ООО", "АО", "ПАО")
WORDS = (
    "Ромашка",
    "Север",
    "Вектор",
    "Гранит",
    "Меридиан",
    "Сибирь",
    "Альянс",
    "Восход",
    "Орбита",
    "Светоч",
    "Байкал",
    "Техно",
    "Волга",
    "Профиль",
)
SURNAMES = ("Иванов", "Петров", "Смирнов", "Кузнецов", "Попов", "Соколов")
INITIALS = "АБВГДЕИКЛМНОПРСТ"
STATUSES = ("НеСогласован", "Согласован", "КОбеспечению", "КОтгрузке", "Закрыт")


# 100-ns intervals from the Gregorian reform (UUID time zero) to 2024-01-01
_TIME_2024 = 0x01B21DD213814000 + 1_704_067_200 * 10_000_000
_TIME_BITS = 50  # about 3.5 years of 100-ns intervals after 2024-01-01


def random_guid(rng):
    """A time-based (version 1) GUID from ``rng``, shaped like the ones 1C
    makes (``uuid.uuid1()``): a timestamp after 2024, a clock sequence and
    a node (cheaper than ``uuid.UUID`` at 300k refs)."""
    bits = rng.getrandbits(128)
    time = _TIME_2024 + (bits & ((1 << _TIME_BITS) - 1))
    clock = (bits >> _TIME_BITS) & 0x3FFF
    node = bits >> 80
    return (
        f"{time & 0xFFFFFFFF:08x}-{(time >> 32) & 0xFFFF:04x}-"
        f"{0x1000 | (time >> 48):04x}-{0x8000 | clock:04x}-{node:012x}"
    )


class _Seeder:
    """Fills a store from one random generator, so the data is reproducible."""

    def __init__(self, store, rng, start):
        self.store = store
        self.rng = rng
        self.start = start
        self.products = []
        self.counterparties = []

    def ref(self):
        return random_guid(self.rng)

    def date(self):
        seconds = self.rng.randrange(SPAN_DAYS * 86400)
        return self.start + timedelta(seconds=seconds)

    def catalogs(self, products):
        for ref, code, name, full_name in CURRENCIES:
            self.store.insert(
                "currency",
                {"ref": ref, "code": code, "name": name, "full_name": full_name},
            )
        for number in range(1, products + 1):
            self.products.append(
                self.store.insert(
                    "product",
                    {
                        "ref": self.ref(),
                        "code": f"{number:09d}",
                        "name": f"Товар {number}",
                    },
                )
            )

    def counterparty(self, number):
        roll = self.rng.random()
        if roll < 0.1 and self.counterparties:
            return self._branch(self.rng.choice(self.counterparties))
        if roll < 0.25:
            return self._sole_trader()
        return self._company(number)

    def _company(self, number):
        form = self.rng.choice(FORMS)
        name = f"{form} «{self.rng.choice(WORDS)} {number}»"
        inn = complete_inn(f"{self.rng.randrange(10**8, 10**9):09d}")
        kpp = f"{inn[:4]}01{self.rng.randrange(1, 1000):03d}"
        return self._add_counterparty(
            name, f"{name} полное", inn, kpp, is_person=False, head_ref=None
        )

    def _sole_trader(self):
        surname = self.rng.choice(SURNAMES)
        initials = ".".join(self.rng.sample(INITIALS, 2))
        name = f"ИП {surname} {initials}."
        inn = complete_inn(f"{self.rng.randrange(10**9, 10**10):010d}")
        return self._add_counterparty(
            name, name, inn, "", is_person=True, head_ref=None
        )

    def _branch(self, head):
        if head["is_person"] or head.get("head_ref"):
            return self._company(len(self.counterparties) + 1)
        kpp = (
            f"{self.rng.randrange(1000, 10000)}{self.rng.choice(('02', '43', 'AB'))}001"
        )
        name = f"{head['name']} (филиал {kpp[:4]})"
        return self._add_counterparty(
            name,
            name,
            head["inn"],
            kpp,
            is_person=False,
            head_ref=head["ref"],
            partner_ref=head["partner_ref"],
        )

    def _add_counterparty(
        self, name, full_name, inn, kpp, *, is_person, head_ref, partner_ref=None
    ):
        if partner_ref is None:
            partner_ref = self.store.insert(
                "partner",
                {
                    "ref": self.ref(),
                    "name": name,
                    "full_name": full_name,
                    "is_client": True,
                },
            )["ref"]
        counterparty = self.store.insert(
            "counterparty",
            {
                "ref": self.ref(),
                "name": name,
                "full_name": full_name,
                "inn": inn,
                "kpp": kpp,
                "is_person": is_person,
                "partner_ref": partner_ref,
                "head_ref": head_ref,
            },
        )
        self.counterparties.append(counterparty)
        return counterparty

    def order(self):
        counterparty = self.rng.choice(self.counterparties)
        lines = [self._line() for _ in range(self.rng.randint(1, 3))]
        return self.store.insert(
            "order",
            {
                "ref": self.ref(),
                "date": self.date(),
                "counterparty_ref": counterparty["ref"],
                "partner_ref": counterparty["partner_ref"],
                "amount": sum((line["amount"] for line in lines), Decimal(0)),
                "currency_ref": RUB_REF,
                "status": self.rng.choice(STATUSES),
                "comment": f"CRM-{self.rng.randrange(1, 10**6)}"
                if self.rng.random() < 0.3
                else "",
                "lines": lines,
                "posted": self.rng.random() < 0.95,
                "deletion_mark": self.rng.random() < 0.02,
            },
        )

    def _line(self):
        quantity = Decimal(self.rng.randint(1, 20))
        price = Decimal(self.rng.randrange(100, 100000)) / 100
        return {
            "product_ref": self.rng.choice(self.products)["ref"],
            "quantity": quantity,
            "price": price,
            "amount": quantity * price,
        }

    def shipment(self, order):
        return self.store.insert(
            "shipment",
            {
                "ref": self.ref(),
                "date": order["date"] + timedelta(days=self.rng.randint(0, 10)),
                "counterparty_ref": order["counterparty_ref"],
                "partner_ref": order["partner_ref"],
                "order_ref": order["ref"],
                "amount": order["amount"],
                "currency_ref": RUB_REF,
                "comment": "",
                "lines": [dict(line) for line in order["lines"]],
                "posted": True,
            },
        )

    def payment(self, order, parts):
        # several payments per order when there are more payments than
        # shipments; a third of the orders stay half unpaid
        share = self.rng.choice((Decimal(1), Decimal(1), Decimal("0.5"))) / parts
        kind = "bank" if self.rng.random() < 0.7 else "cash"
        return self.store.insert(
            f"payment_{kind}",
            {
                "ref": self.ref(),
                "date": order["date"] + timedelta(days=self.rng.randint(0, 30)),
                "counterparty_ref": order["counterparty_ref"],
                "order_ref": order["ref"],
                "amount": (order["amount"] * share).quantize(Decimal("0.01")),
                "currency_ref": RUB_REF,
                "comment": "",
                "posted": True,
            },
        )


def seed_store(
    seed=1, counterparties=50, orders=200, payments=None, products=50, *, start=None
):
    """A new :class:`Store` with reproducible demo data.

    ``payments`` defaults to about one payment per two orders; about 70 % of
    the orders are shipped. The documents are dated over the year from
    ``start`` (a datetime; default: 2025-01-01, which the tests expect).
    """
    # hundreds of thousands of long-lived dicts: the cyclic GC would rescan
    # them over and over while they are created (a third of the time)
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _seed(
            seed, counterparties, orders, payments, products, start=start or BASE_DATE
        )
    finally:
        if was_enabled:
            gc.enable()


def _seed(seed, counterparties, orders, payments, products, *, start):
    rng = random.Random(seed)
    store = Store(ref_source=lambda: random_guid(rng))
    seeder = _Seeder(store, rng, start)
    seeder.catalogs(products)
    for number in range(1, counterparties + 1):
        seeder.counterparty(number)
    created = [seeder.order() for _ in range(orders)] if counterparties else []
    shipped = [order for order in created if rng.random() < 0.7]
    for order in shipped:
        seeder.shipment(order)
    if payments is None:
        payments = len(created) // 2
    parts = -(-payments // len(shipped)) if shipped else 0
    for number in range(payments if shipped else 0):
        seeder.payment(shipped[number % len(shipped)], parts)
    return store
