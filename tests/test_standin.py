"""The stand-in itself: reproducible, well-formed demo data, writes like 1C,
and a command line that another process can start and drive."""

import time
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
import requests
from helpers import LOGIN, PASSWORD
from stdnum.ru import inn as inn_checker

from onec_exchange.http_client import basic_auth_header
from onec_exchange.requisites import is_valid_kpp
from onec_exchange.standin.process import spawn
from onec_exchange.standin.seed import seed_store
from onec_exchange.standin.store import StoreError


@pytest.fixture(scope="module")
def store():
    return seed_store(seed=21, counterparties=300, orders=600)


def test_same_seed_same_data():
    first, second = (
        seed_store(seed=4, counterparties=20, orders=30),
        seed_store(seed=4, counterparties=20, orders=30),
    )
    assert first.objects("order") == second.objects("order")
    assert first.objects("counterparty") != seed_store(
        seed=5, counterparties=20, orders=30
    ).objects("counterparty")


def test_requisites_are_well_formed(store):
    counterparties = store.objects("counterparty")
    assert all(inn_checker.is_valid(c["inn"]) for c in counterparties)
    people = [c for c in counterparties if c["is_person"]]
    companies = [c for c in counterparties if not c["is_person"]]
    assert people and all(len(c["inn"]) == 12 and c["kpp"] == "" for c in people)
    assert all(len(c["inn"]) == 10 and is_valid_kpp(c["kpp"]) for c in companies)
    branches = [c for c in companies if c["head_ref"]]
    assert branches
    for branch in branches:
        head = store.get("counterparty", branch["head_ref"])
        assert head["inn"] == branch["inn"] and head["kpp"] != branch["kpp"]


def test_orders_have_table_parts_that_add_up(store):
    for order in store.objects("order"):
        assert order["lines"]
        assert sum(line["amount"] for line in order["lines"]) == order["amount"]


def test_receivables_never_exceed_shipments(store):
    shipped = {}
    for shipment in store.objects("shipment"):
        ref = shipment["counterparty_ref"]
        shipped[ref] = shipped.get(ref, Decimal(0)) + shipment["amount"]
    for ref, debt in store.receivables().items():
        assert Decimal(0) <= debt <= shipped[ref] or debt > -Decimal("0.05")


def test_every_write_changes_the_data_version(store):
    obj = store.objects("counterparty")[0]
    versions = {obj["data_version"]}
    for name in ("Первое", "Второе", "Третье"):
        versions.add(
            store.update("counterparty", obj["ref"], {"name": name})["data_version"]
        )
    assert len(versions) == 4
    with pytest.raises(StoreError) as stale:
        store.update("counterparty", obj["ref"], {"name": "x"}, if_match="AAAA")
    assert stale.value.status == 412


def test_posting_a_payment_lowers_the_debt(store):
    debtor, debt = next(iter(store.receivables().items()))
    store.post_payment(debtor, debt, kind="cash", date=datetime(2025, 12, 31))
    assert debtor not in store.receivables()


def test_seeding_the_benchmark_volume_is_fast():
    # CPU time, not wall time: shared CI machines are often busy
    started = time.process_time()
    big = seed_store(seed=1, counterparties=20000, orders=100000, payments=100000)
    assert big.count("order") == 100000
    assert time.process_time() - started < 15


def test_command_line_starts_a_server_another_process_can_drive():
    process, info = spawn(
        "--profile",
        "bp30",
        "--counterparties",
        "5",
        "--orders",
        "5",
        "--user",
        "robot:секрет",
    )
    try:
        assert info["odata"].startswith("http://127.0.0.1:")
        headers = {"Authorization": basic_auth_header("robot", "секрет")}
        state = requests.get(info["control"], headers=headers, timeout=5).json()
        assert state["profile"] == "bp30" and state["counts"]["counterparty"] == 5
        denied = requests.get(
            info["control"],
            headers={"Authorization": basic_auth_header(LOGIN, PASSWORD)},
            timeout=5,
        )
        assert denied.status_code == 401
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_balances_follow_every_write_like_a_register():
    store = seed_store(seed=8, counterparties=30, orders=80)
    store.receivables()  # summed once, then kept in step by each write
    customer = store.objects("counterparty")[0]["ref"]
    order = store.post_order(customer, "1200.50")
    shipment = store.post_shipment(order["ref"])
    payment = store.post_payment(customer, "200.50")
    store.update("shipment", shipment["ref"], {"amount": Decimal("1500")})
    store.set_posted("payment_bank", payment["ref"], False)
    store.mark_deleted("shipment", store.objects("shipment")[0]["ref"])
    store.delete("payment_cash", store.objects("payment_cash")[0]["ref"])
    assert store.receivables() == store.receivables(as_of=datetime.max)
    assert store.receivables()[customer] >= Decimal("1500")


def test_the_history_starts_where_asked():
    """A demo dates its documents over the last year, so that what the CRM
    shows for the last twelve months is there."""
    start = datetime(2026, 1, 1)
    store = seed_store(seed=3, counterparties=5, orders=20, start=start)
    dates = [order["date"] for order in store.objects("order")]
    assert dates
    assert all(start <= day < start + timedelta(days=366) for day in dates)
    default = seed_store(seed=3, counterparties=5, orders=20)
    assert min(order["date"] for order in default.objects("order")).year == 2025
