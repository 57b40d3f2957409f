"""The real overdue debt from a register with due dates (UT 11 / KA 2), the
estimate elsewhere, and the customers' monthly sales from the sales
register's ``Turnovers``, against the stand-in."""

from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from urllib.parse import quote, unquote

import pytest
from helpers import PROFILES, odata_json, transport_for

from onec_exchange import odata
from onec_exchange.factory import make_transport
from onec_exchange.odata_query import CONDITION_BUDGET
from onec_exchange.profiles import load_profile
from onec_exchange.records import Settlement
from onec_exchange.standin import StandIn
from onec_exchange.transport import month_periods

DUE_DATES = "AccumulationRegister_РасчетыСКлиентамиПоСрокам"
NOW = datetime.now().replace(microsecond=0)


def days_ago(days):
    return NOW - timedelta(days=days)


@pytest.fixture(scope="module", params=PROFILES)
def quiet(request):
    """A stand-in with counterparties and no documents: each test books its
    own on a counterparty of its own."""
    with StandIn(request.param, seed=5, counterparties=8, orders=0) as standin:
        yield standin


def _customer(standin, number):
    companies = [c for c in standin.store.objects("counterparty") if c["inn"]]
    return companies[number]["ref"]


def _ship(standin, ref, amount, days):
    order = standin.store.post_order(ref, amount, date=days_ago(days))
    standin.store.post_shipment(order["ref"], date=days_ago(days))


def _settlement(transport, ref, as_of=None):
    (record,) = transport.settlements(as_of, counterparties=[ref])
    return record


def test_overdue_is_the_debt_past_its_due_date(quiet, protocol):
    ref = _customer(quiet, 0 if protocol == "odata" else 4)
    _ship(quiet, ref, 1000, 60)  # due 46 days ago
    quiet.store.post_payment(ref, 300, date=days_ago(10))  # pays the oldest
    _ship(quiet, ref, 500, 3)  # not due yet
    with transport_for(quiet, protocol) as transport:
        record = _settlement(transport, ref)
        earlier = _settlement(transport, ref, as_of=days_ago(50))
    assert record.balance == 1200
    assert record.overdue == 700
    # UT 11 over OData reads the register; the others estimate from the terms
    from_register = protocol == "odata" and quiet.profile.name == "ut11"
    assert record.overdue_estimated is not from_register
    assert (earlier.balance, earlier.overdue) == (1000, 0)


def test_a_prepayment_covers_the_next_shipments(quiet):
    ref = _customer(quiet, 1)
    quiet.store.post_payment(ref, 2000, date=days_ago(90))
    _ship(quiet, ref, 500, 60)
    with transport_for(quiet, "odata") as transport:
        record = _settlement(transport, ref)
    assert (record.balance, record.overdue) == (-1500, 0)


def test_the_register_is_read_with_a_condition_on_the_due_date(quiet):
    if quiet.profile.name != "ut11":
        pytest.skip("only UT 11 has a register with due dates")
    ref = _customer(quiet, 2)
    _ship(quiet, ref, 800, 40)
    seen = []
    with transport_for(quiet, "odata") as transport:
        original = transport.http.session.request

        def spy(method, url, **kwargs):
            seen.append(unquote(url))
            return original(method, url, **kwargs)

        transport.http.session.request = spy
        assert _settlement(transport, ref).overdue == 800
    (balance,) = [url for url in seen if DUE_DATES in url]
    assert ") and ДатаПлановогоПогашения lt datetime''" in balance
    assert "Dimensions='АналитикаУчетаПоПартнерам_Key,Валюта_Key'" in balance
    # no shipments read: nothing is estimated; the analytics keys read once
    assert not [url for url in seen if "Document_" in url]
    assert len([url for url in seen if "Catalog_КлючиАналитики" in url]) == 1


def test_many_debtors_keep_each_request_short(standin):
    if standin.profile.name != "ut11":
        pytest.skip("only UT 11 has a register with due dates")
    refs = [c["ref"] for c in standin.store.objects("counterparty")]
    seen = []
    with transport_for(standin, "odata") as transport:
        original = transport.http.session.request

        def spy(method, url, **kwargs):
            seen.append(url)
            return original(method, url, **kwargs)

        transport.http.session.request = spy
        by_ref = {r.counterparty_ref: r for r in transport.settlements()}
        chosen = transport.settlements(counterparties=refs)
    assert {r.counterparty_ref: r for r in chosen} == by_ref
    due = quote(DUE_DATES)
    requests = [url.split("?")[0] for url in seen if f"{due}/Balance(" in url]
    assert len(requests) > 2  # the chosen ones took several
    for path in requests:
        arguments = path.split("/Balance(", 1)[1]
        assert len(arguments) <= CONDITION_BUDGET + 40


def test_a_payment_split_over_due_dates_records_each_part(quiet):
    if quiet.profile.name != "ut11":
        pytest.skip("only UT 11 has a register with due dates")
    ref = _customer(quiet, 3)
    _ship(quiet, ref, 100, 80)
    _ship(quiet, ref, 200, 70)
    payment = quiet.store.post_payment(ref, 250, date=days_ago(5))
    entity = quiet.profile.data["payments"]["bank"]["entity"]
    record_set = odata_json(
        quiet,
        f"{DUE_DATES}(Recorder=guid'{payment['ref']}',"
        f"Recorder_Type='StandardODATA.{entity}')",
    )
    records = record_set["RecordSet"]
    assert [(r["RecordType"], r["Долг"]) for r in records] == [
        ("Expense", 100.0),
        ("Expense", 150.0),
    ]
    due = [r["ДатаПлановогоПогашения"] for r in records]
    assert due == sorted(due) and len(set(due)) == 2


def test_profiles_name_their_registers():
    ut11 = load_profile("ut11")
    assert ut11.data["receivables"]["due_dates"]["register"] == DUE_DATES
    for name in PROFILES:
        profile = load_profile(name)
        assert profile.data["sales"]["register"] in profile.required_entities()
    assert "due_dates" not in load_profile("bp30").data["receivables"]


# ---- sales -------------------------------------------------------------------


def test_month_periods_cover_twelve_calendar_months():
    periods = month_periods(datetime(2026, 3, 15, 10, 30), 12)
    assert len(periods) == 12
    assert periods[0] == (datetime(2025, 4, 1), datetime(2025, 4, 30, 23, 59, 59))
    assert periods[-1] == (datetime(2026, 3, 1), datetime(2026, 3, 15, 10, 30))
    for (_start, end), (start, _end) in pairwise(periods):
        assert start - end == timedelta(seconds=1)


def test_monthly_sales_are_the_shipments_of_each_month(standin):
    as_of = datetime(2025, 12, 31, 23, 59, 59)
    expected = defaultdict(Decimal)
    for shipment in standin.store.objects("shipment"):
        if shipment["posted"] and not shipment["deletion_mark"]:
            month = shipment["date"].replace(day=1, hour=0, minute=0, second=0)
            if month.year == 2025:
                expected[(shipment["counterparty_ref"], month)] += shipment["amount"]
    with transport_for(standin, "odata") as transport:
        sales = transport.monthly_sales(as_of=as_of)
    got = {(s.counterparty_ref, s.start): s.amount for s in sales}
    assert got == {key: Decimal(str(float(v))) for key, v in expected.items()}
    assert all(isinstance(s.amount, Decimal) for s in sales)
    if standin.profile.name == "ut11":
        assert all(s.partner_ref for s in sales)


def test_soap_has_no_sales_call(standin):
    with transport_for(standin, "soap") as transport:
        assert transport.monthly_sales() is None


def test_overdue_debt_counts_once_over_several_analytics_keys(monkeypatch):
    """UT 11 keeps a counterparty's debt under one settlement analytics key
    per partner: its overdue debt, summed by 1C over them, is counted once."""

    def balance(amount, partner):
        return Settlement("customer", Decimal(amount), "RUB", None, partner_ref=partner)

    class TwoKeys:
        def pages(self, as_of, page_size, counterparties):
            return iter([[balance(100, "partner-a")], [balance(50, "partner-b")]])

    monkeypatch.setattr(odata, "receivables_reader", lambda transport, spec: TwoKeys())
    monkeypatch.setattr(
        odata, "overdue_debts", lambda *args: {("customer", "RUB"): Decimal(30)}
    )
    transport = make_transport(
        "odata", "http://127.0.0.1:9", "trade", "ut11", username="u", password="p"
    )
    records = [r for page in transport._iter_balances(None, 100) for r in page]
    assert [r.balance for r in records] == [Decimal(100), Decimal(50)]
    assert sum(r.overdue for r in records) == Decimal(30)
