"""Both transports against the stand-in, for every shipped profile."""

from datetime import datetime, timedelta
from decimal import Decimal
from urllib.parse import quote

import pytest
from helpers import flatten, transport_for
from stdnum.ru import inn as inn_checker

from onec_exchange import odata_query
from onec_exchange.errors import OneCValidationError
from onec_exchange.odata_query import CONDITION_BUDGET, ref_conditions
from onec_exchange.requisites import is_valid_kpp

SINCE = datetime(2025, 7, 1)


def store_docs(standin, *kinds, since=None):
    return {
        obj["ref"]: obj
        for kind in kinds
        for obj in standin.store.objects(kind)
        if since is None or obj["date"] >= since
    }


@pytest.fixture
def transport(standin, protocol):
    with transport_for(standin, protocol) as opened:
        yield opened


def test_check_connection_describes_the_server(transport, standin):
    info = transport.check_connection()
    assert info["protocol"] == transport.protocol
    assert info["profile"] == standin.profile.name


def test_counterparties_are_read_in_pages(transport, standin):
    pages = list(transport.iter_counterparties(page_size=7))
    assert all(len(page) <= 7 for page in pages)
    records = flatten(pages)
    expected = {obj["ref"]: obj for obj in standin.store.objects("counterparty")}
    assert {record.ref for record in records} == set(expected)
    entity = standin.profile.section("counterparty")["entity"]
    for record in records:
        assert record.entity == entity
        assert inn_checker.is_valid(record.inn)
        assert record.data_version == expected[record.ref]["data_version"]
        if record.is_person:
            assert len(record.inn) == 12 and record.kpp == ""
        else:
            assert len(record.inn) == 10 and is_valid_kpp(record.kpp)


def test_orders_since_a_date_with_their_lines(transport, standin):
    records = flatten(transport.iter_orders(since=SINCE, page_size=25))
    expected = store_docs(standin, "order", since=SINCE)
    assert {record.ref for record in records} == set(expected)
    for record in records:
        assert record.date >= SINCE
        assert record.currency == "RUB"
        assert [line.line_number for line in record.lines] == list(
            range(1, len(record.lines) + 1)
        )
        assert sum(line.amount for line in record.lines) == record.amount
        assert record.amount == expected[record.ref]["amount"]


def test_shipments_point_at_their_orders(transport, standin):
    records = flatten(transport.iter_shipments(page_size=30))
    expected = store_docs(standin, "shipment")
    assert {record.ref for record in records} == set(expected)
    assert all(
        record.order_ref == expected[record.ref]["order_ref"] for record in records
    )


def test_payments_by_bank_and_in_cash(transport, standin):
    records = flatten(transport.iter_payments(page_size=30))
    expected = store_docs(standin, "payment_bank", "payment_cash")
    assert {record.ref for record in records} == set(expected)
    assert {record.kind for record in records} == {"bank", "cash"}
    entities = {
        kind: section["entity"] for kind, section in standin.profile.payment_sections()
    }
    assert all(record.entity == entities[record.kind] for record in records)


def test_settlements_add_up_to_shipments_minus_payments(transport, standin):
    debts = {}
    shipments = flatten(transport.iter_shipments())
    payments = flatten(transport.iter_payments())
    for doc, sign in [(s, 1) for s in shipments] + [(p, -1) for p in payments]:
        if doc.posted and not doc.deletion_mark:
            debts[doc.counterparty_ref] = (
                debts.get(doc.counterparty_ref, 0) + sign * doc.amount
            )
    settlements = {s.counterparty_ref: s.balance for s in transport.settlements()}
    assert settlements == {ref: amount for ref, amount in debts.items() if amount}


def test_settlements_as_of_a_past_date(transport, standin):
    as_of = datetime(2025, 4, 1)
    records = flatten(transport.iter_settlements(as_of=as_of, page_size=5))
    assert {
        r.counterparty_ref: r.balance for r in records
    } == standin.store.receivables(as_of)
    assert all(record.as_of == as_of for record in records)


def test_settlements_of_chosen_counterparties_only(transport, standin):
    everything = {s.counterparty_ref: s for s in transport.settlements()}
    debtors = sorted(everything)
    owes_nothing = next(
        c["ref"]
        for c in standin.store.objects("counterparty")
        if c["ref"] not in everything
    )
    chosen = [*debtors[:3], debtors[-1], owes_nothing]
    records = transport.settlements(counterparties=chosen)
    assert {r.counterparty_ref: r for r in records} == {
        ref: everything[ref] for ref in chosen if ref in everything
    }
    assert transport.settlements(counterparties=[]) == []


def test_settlements_of_many_counterparties_take_several_requests(
    transport, standin, monkeypatch
):
    """Long conditions are split: proxies refuse long request lines."""
    monkeypatch.setattr(odata_query, "CONDITION_BUDGET", 400)
    refs = [c["ref"] for c in standin.store.objects("counterparty")]
    expected = {s.counterparty_ref: s.balance for s in transport.settlements()}
    records = transport.settlements(counterparties=refs)
    assert {r.counterparty_ref: r.balance for r in records} == expected


def test_ref_conditions_stay_within_the_budget():
    refs = [f"00000000-0000-4000-8000-{number:012d}" for number in range(500)]
    conditions = ref_conditions("Контрагент_Key", refs)
    assert len(conditions) > 1
    assert " or ".join(conditions).count(" eq ") == 500
    assert all(len(quote(c.replace("'", "''"))) <= CONDITION_BUDGET for c in conditions)
    assert ref_conditions("Контрагент_Key", None) == [None]
    assert ref_conditions("Контрагент_Key", []) == []


def test_find_counterparty_by_inn_and_kpp(transport, standin):
    companies = [c for c in standin.store.objects("counterparty") if not c["is_person"]]
    target = companies[0]
    sharing_inn = [c for c in companies if c["inn"] == target["inn"]]
    found = transport.find_counterparty(target["inn"])
    assert {c.ref for c in found} == {c["ref"] for c in sharing_inn}
    exact = transport.find_counterparty(target["inn"], target["kpp"])
    assert [c.ref for c in exact] == [target["ref"]]
    assert transport.find_counterparty("1234567890") == []


def test_branches_share_the_inn_of_their_head(transport, standin):
    branches = [c for c in standin.store.objects("counterparty") if c.get("head_ref")]
    assert branches, "the seed makes branches"
    branch = branches[0]
    found = transport.find_counterparty(branch["inn"])
    assert len(found) >= 2
    assert len({c.kpp for c in found}) == len(found)


def test_create_counterparty_then_find_it(transport, standin):
    created = transport.create_counterparty(
        "ООО «Новая Заря»",
        "7707083893",
        "770701001",
        full_name="ООО «Новая Заря» полное",
    )
    assert created.ref and created.inn == "7707083893" and not created.is_person
    assert [c.ref for c in transport.find_counterparty("7707083893", "770701001")] == [
        created.ref
    ]
    standin.store.mark_deleted("counterparty", created.ref)


def test_create_sole_trader_without_kpp(transport, standin):
    created = transport.create_counterparty(
        "ИП Сидоров С.С.", "500100732259", is_person=True
    )
    assert created.is_person and created.kpp == ""
    assert standin.store.get("counterparty", created.ref)["is_person"] is True
    standin.store.mark_deleted("counterparty", created.ref)


@pytest.mark.parametrize(
    ("inn", "kpp", "is_person"),
    [
        ("7707083894", "770701001", False),  # wrong check digit
        ("7707083893", "", False),  # a company without KPP
        ("7707083893", "77070100", False),  # KPP too short
        ("500100732259", "770701001", True),  # a person with a KPP
    ],
)
def test_invalid_requisites_are_refused_before_sending(
    transport, standin, inn, kpp, is_person
):
    revision = standin.store.revision
    with pytest.raises(OneCValidationError):
        transport.create_counterparty("X", inn, kpp, is_person=is_person)
    assert standin.store.revision == revision


def test_amounts_are_decimals(transport):
    order = flatten(transport.iter_orders(page_size=5))[0]
    assert isinstance(order.amount, Decimal)
    assert all(isinstance(line.quantity, Decimal) for line in order.lines)


def test_overdue_is_debt_older_than_the_payment_terms(transport, standin):
    as_of = datetime(2025, 9, 1)
    terms = standin.profile.data["receivables"]["payment_terms_days"]
    recent = {}
    for shipment in standin.store.objects("shipment"):
        if (
            shipment["posted"]
            and as_of - timedelta(days=terms) <= shipment["date"] <= as_of
        ):
            ref = shipment["counterparty_ref"]
            recent[ref] = recent.get(ref, 0) + shipment["amount"]
    records = transport.settlements(as_of)
    assert any(r.overdue and r.overdue < r.balance for r in records)
    for record in records:
        expected = max(record.balance - recent.get(record.counterparty_ref, 0), 0)
        assert record.overdue == expected
