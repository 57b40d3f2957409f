"""The 1C OData behaviours of 1c-interfaces.md, over real HTTP: the stand-in
shows them and the OData transport copes with them."""

import socket
from datetime import datetime

import pytest
import requests
from helpers import LOGIN, PASSWORD, flatten, transport_for, unreachable_transport

from onec_exchange.errors import (
    OneCAuthError,
    OneCConflict,
    OneCConnectionError,
    OneCEntityNotPublished,
    OneCNotFound,
    OneCPublicationNotFound,
    OneCRequestError,
)
from onec_exchange.factory import make_transport
from onec_exchange.http_client import HttpClient, basic_auth_header
from onec_exchange.standin import StandIn

EMPTY_REF = "00000000-0000-0000-0000-000000000000"
ORDERS = "Document_ЗаказКлиента"
COUNTERPARTIES = "Catalog_Контрагенты"


@pytest.fixture(scope="module")
def ut11():
    with StandIn("ut11", seed=11, counterparties=30, orders=80) as running:
        yield running


@pytest.fixture
def client(ut11):
    http = HttpClient(f"{ut11.url}odata/standard.odata/", LOGIN, PASSWORD, timeout=10)
    yield http
    http.close()


def get_json(client, path, **options):
    return client.request("GET", path, {"$format": "json", **options}).json()


def test_metadata_is_edmx_in_the_standard_namespace(client):
    text = client.request("GET", "$metadata").text
    assert 'Namespace="StandardODATA"' in text
    assert f'<EntitySet Name="{ORDERS}"' in text
    assert 'Name="Document_ЗаказКлиента_Товары"' in text


def test_collection_and_element_answers(client, ut11):
    answer = get_json(client, COUNTERPARTIES, **{"$top": 2})
    assert answer["odata.metadata"].endswith(f"$metadata#{COUNTERPARTIES}")
    assert len(answer["value"]) == 2
    ref = answer["value"][0]["Ref_Key"]
    element = get_json(client, f"{COUNTERPARTIES}(guid'{ref}')")
    assert element["odata.metadata"].endswith(f"#{COUNTERPARTIES}/@Element")
    assert element["Ref_Key"] == ref
    assert element["Партнер@navigationLinkUrl"].endswith("/Партнер")


def test_line_numbers_and_counts_are_strings(client, ut11):
    answer = get_json(client, ORDERS, **{"$top": 1, "$inlinecount": "allpages"})
    assert answer["odata.count"] == str(ut11.store.count("order"))
    line = answer["value"][0]["Товары"][0]
    assert line["LineNumber"] == "1"
    assert client.request("GET", f"{ORDERS}/$count", {"$format": "json"}).text == str(
        ut11.store.count("order")
    )


def test_empty_reference_and_empty_date(client, ut11):
    transport = transport_for(ut11, "odata")
    created = client.request(
        "POST",
        ORDERS,
        {"$format": "json"},
        body={"СуммаДокумента": 10, "Комментарий": "x"},
    ).json()
    assert created["Date"] == "0001-01-01T00:00:00"
    assert created["Контрагент_Key"] == EMPTY_REF
    order = next(
        o for o in flatten(transport.iter_orders()) if o.ref == created["Ref_Key"]
    )
    assert order.date is None and order.counterparty_ref is None
    ut11.store.delete("order", created["Ref_Key"])


def test_data_version_changes_on_every_write_and_if_match_gives_412(client, ut11):
    ref = ut11.store.objects("counterparty")[0]["ref"]
    path = f"{COUNTERPARTIES}(guid'{ref}')"
    before = get_json(client, path)["DataVersion"]
    after = client.request(
        "PATCH",
        path,
        {"$format": "json"},
        body={"Description": "Переименован"},
        headers={"If-Match": before},
    ).json()["DataVersion"]
    assert after != before
    with pytest.raises(OneCConflict) as stale:
        client.request(
            "PATCH",
            path,
            {"$format": "json"},
            body={"Description": "Снова"},
            headers={"If-Match": before},
            entity=COUNTERPARTIES,
            key=ref,
        )
    assert stale.value.http_status == 412 and stale.value.key == ref
    assert stale.value.retryable


def test_deletion_mark_is_read_and_excluded_from_lookups(ut11):
    transport = transport_for(ut11, "odata")
    target = next(c for c in ut11.store.objects("counterparty") if c["is_person"])
    ut11.store.mark_deleted("counterparty", target["ref"])
    try:
        records = {c.ref: c for c in flatten(transport.iter_counterparties())}
        assert records[target["ref"]].deletion_mark is True
        assert target["ref"] not in {
            c.ref for c in transport.find_counterparty(target["inn"])
        }
    finally:
        ut11.store.mark_deleted("counterparty", target["ref"], mark=False)


def test_posted_is_changed_only_through_post_and_unpost(client, ut11):
    ref = ut11.store.objects("order")[0]["ref"]
    path = f"{ORDERS}(guid'{ref}')"
    with pytest.raises(OneCRequestError) as refused:
        client.request("PATCH", path, {"$format": "json"}, body={"Posted": False})
    assert refused.value.http_status == 400 and refused.value.onec_code == "14"
    client.request("POST", f"{path}/Unpost", {"$format": "json"})
    assert get_json(client, path)["Posted"] is False
    client.request(
        "POST", f"{path}/Post", {"PostingModeOperational": "false", "$format": "json"}
    )
    assert get_json(client, path)["Posted"] is True


def test_table_part_rows_cannot_be_written_on_their_own(client):
    with pytest.raises(OneCRequestError) as refused:
        client.request(
            "POST", f"{ORDERS}_Товары", {"$format": "json"}, body={"Цена": 1}
        )
    assert refused.value.onec_code == "13"


def test_balance_virtual_table_with_a_period(client, ut11):
    period = "datetime'2025-06-01T00:00:00'"
    answer = get_json(
        client, f"AccumulationRegister_РасчетыСКлиентами/Balance(Period={period})"
    )
    total = sum(row["СуммаBalance"] for row in answer["value"])
    expected = sum(ut11.store.receivables(datetime(2025, 6, 1)).values())
    assert round(total, 2) == float(expected)


def test_balance_condition_selects_rows(client, ut11):
    register = "AccumulationRegister_РасчетыСКлиентами"
    everything = get_json(client, f"{register}/Balance")["value"]
    key = everything[0]["АналитикаУчетаПоПартнерам_Key"]
    condition = f"АналитикаУчетаПоПартнерам_Key eq guid''{key}''"
    chosen = get_json(client, f"{register}/Balance(Condition='{condition}')")["value"]
    assert chosen == [everything[0]]


def test_unknown_entity_answers_odata_error(client):
    with pytest.raises(OneCNotFound) as missing:
        client.request("GET", "Catalog_Несуществующий", {"$format": "json"}, entity="X")
    assert missing.value.onec_code == "9" and missing.value.http_status == 404


def test_filter_with_plus_for_spaces_is_rejected(ut11):
    # what requests does with params=: spaces become "+"
    url = f"{ut11.url}odata/standard.odata/{COUNTERPARTIES}"
    answer = requests.get(
        url,
        params={"$format": "json", "$filter": "DeletionMark eq false"},
        headers={"Authorization": basic_auth_header(LOGIN, PASSWORD)},
        timeout=10,
    )
    assert "+eq+" in answer.url
    assert answer.status_code == 400
    assert "odata.error" in answer.json()


def test_substringof_works_and_v4_contains_does_not(client):
    found = get_json(
        client, COUNTERPARTIES, **{"$filter": "substringof('ИП', Description) eq true"}
    )
    assert found["value"] and all("ИП" in row["Description"] for row in found["value"])
    with pytest.raises(OneCRequestError):
        client.request(
            "GET",
            COUNTERPARTIES,
            {"$format": "json", "$filter": "contains(Description,'ИП')"},
        )


def test_cyrillic_login_works_and_a_bad_password_gives_401(ut11):
    assert transport_for(ut11, "odata").check_connection()["profile"] == "ut11"
    wrong = make_transport(
        "odata",
        ut11.host_url,
        "trade",
        "ut11",
        username=LOGIN,
        password="неверный",
        timeout=5,
    )
    with pytest.raises(OneCAuthError) as denied:
        wrong.check_connection()
    assert denied.value.http_status == 401 and not denied.value.retryable


def test_unknown_publication(ut11):
    transport = unreachable_transport("odata", ut11.host_url, "nosuchbase")
    with pytest.raises(OneCPublicationNotFound) as missing:
        transport.check_connection()
    assert missing.value.http_status == 404


def test_entity_missing_from_metadata():
    with StandIn(
        "bp30",
        counterparties=3,
        orders=3,
        unpublished=["Document_ПоступлениеНаРасчетныйСчет"],
    ) as running:
        with pytest.raises(OneCEntityNotPublished) as missing:
            transport_for(running, "odata").check_connection()
    assert missing.value.entity == "Document_ПоступлениеНаРасчетныйСчет"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("protocol", ["odata", "soap"])
def test_refused_connection_is_retryable(protocol):
    transport = unreachable_transport(protocol, f"http://127.0.0.1:{free_port()}/")
    with pytest.raises(OneCConnectionError) as refused:
        transport.check_connection()
    assert refused.value.retryable and "refused" in str(refused.value)


def test_unknown_host_name():
    transport = unreachable_transport("odata", "http://no-such-host.invalid/")
    with pytest.raises(OneCConnectionError) as unknown:
        transport.check_connection()
    assert "resolve" in str(unknown.value)


def _refs(client, text):
    answer = get_json(client, ORDERS, **{"$filter": text, "$orderby": "Ref_Key"})
    return [row["Ref_Key"] for row in answer["value"]]


def test_date_window_answers_like_a_full_scan(client, ut11):
    dates = sorted(order["date"] for order in ut11.store.objects("order"))
    floor = dates[len(dates) // 2].strftime("%Y-%m-%dT%H:%M:%S")
    window = f"Date ge datetime'{floor}' and DeletionMark eq false"
    # an 'or' keeps the stand-in from using its date index: a full scan
    full_scan = f"{window} or Number eq 'no such number'"
    refs = _refs(client, window)
    assert refs and refs == _refs(client, full_scan)
    assert refs == sorted(refs)


def test_date_window_sees_a_back_dated_document_moved_forward(fresh_standin):
    http = HttpClient(
        f"{fresh_standin.url}odata/standard.odata/", LOGIN, PASSWORD, timeout=10
    )
    store = fresh_standin.store
    orders = sorted(store.objects("order"), key=lambda order: order["date"])
    oldest, newest = orders[0], orders[-1]
    floor = newest["date"].strftime("%Y-%m-%dT%H:%M:%S")
    assert oldest["ref"] not in _refs(http, f"Date ge datetime'{floor}'")
    store.update("order", oldest["ref"], {"date": newest["date"]})
    assert oldest["ref"] in _refs(http, f"Date ge datetime'{floor}'")
    http.close()


def test_membership_answers_like_a_full_scan_and_follows_writes(client, ut11):
    """``F eq a or F eq b``: answered from an index, the same as a scan."""
    counterparties = [c["ref"] for c in ut11.store.objects("counterparty")][:3]
    membership = " or ".join(f"Контрагент_Key eq guid'{ref}'" for ref in counterparties)
    # 'DeletionMark ne null' is always true and keeps the index from being used
    full_scan = f"({membership}) and DeletionMark ne null"
    refs = _refs(client, membership)
    assert refs and refs == _refs(client, full_scan)
    assert refs == sorted(refs)
    new = ut11.store.post_order(counterparties[0], 10)
    assert _refs(client, membership) == sorted([*refs, new["ref"]])


def test_balance_condition_casts_a_composite_reference():
    """BP 3.0: ``ExtDimension1`` is composite, 1C wants ``cast(guid, type)``."""
    with StandIn("bp30", seed=3, counterparties=8, orders=30) as bp30:
        http = HttpClient(
            f"{bp30.url}odata/standard.odata/", LOGIN, PASSWORD, timeout=10
        )
        debtor = sorted(bp30.store.receivables())[0]
        condition = f"ExtDimension1 eq cast(guid''{debtor}'', ''Catalog_Контрагенты'')"
        answer = get_json(
            http, f"AccountingRegister_Хозрасчетный/Balance(Condition='{condition}')"
        )
        http.close()
    assert {row["ExtDimension1"] for row in answer["value"]} == {debtor}


def test_order_without_a_filter(client, ut11):
    answer = get_json(
        client,
        ORDERS,
        **{"$orderby": "Date desc", "$top": 3, "$select": "Ref_Key,Date"},
    )
    dates = [row["Date"] for row in answer["value"]]
    assert len(dates) == 3 and dates == sorted(dates, reverse=True)
    latest = max(order["date"] for order in ut11.store.objects("order"))
    assert dates[0] == latest.isoformat(timespec="seconds")
