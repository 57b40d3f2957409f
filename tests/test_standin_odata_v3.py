"""The stand-in answers like 1C 8.3's OData standard interface (v3) to any
client: requests as a generic client sends them (no ``$format``, Accept
headers, named keys, navigation links), over real HTTP."""

import uuid
from datetime import datetime

import pytest
import requests
from helpers import flatten, odata_json, odata_request, transport_for
from lxml import etree

from onec_exchange.standin import StandIn
from onec_exchange.standin.store import Store

ATOM = "{http://www.w3.org/2005/Atom}"
D = "{http://schemas.microsoft.com/ado/2007/08/dataservices}"
M = "{http://schemas.microsoft.com/ado/2007/08/dataservices/metadata}"
ORDERS = "Document_ЗаказКлиента"
COUNTERPARTIES = "Catalog_Контрагенты"
PARTNERS = "Catalog_Партнеры"
EMPTY_REF = "00000000-0000-0000-0000-000000000000"


@pytest.fixture(scope="module")
def ut11():
    with StandIn("ut11", seed=5, counterparties=25, orders=60) as running:
        yield running


def atom(answer):
    assert answer.status_code == 200, answer.text
    return etree.fromstring(answer.content)


def entry_properties(entry):
    return entry.find(f"{ATOM}content/{M}properties")


def first_order(standin):
    return standin.store.objects("order")[0]


# ---- 1. format negotiation ---------------------------------------------------


def test_no_format_and_no_accept_answers_an_atom_feed(ut11):
    answer = odata_request(ut11, "GET", ORDERS, {"$top": 2})
    assert answer.headers["Content-Type"].startswith("application/atom+xml")
    feed = atom(answer)
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 2
    properties = entry_properties(entries[0])
    ref = properties.find(f"{D}Ref_Key")
    assert ref.get(f"{M}type") == "Edm.Guid"
    assert entries[0].find(f"{ATOM}id").text.endswith(f"{ORDERS}(guid'{ref.text}')")
    lines = properties.find(f"{D}Товары")
    assert lines.get(f"{M}type") == (
        "Collection(StandardODATA.Document_ЗаказКлиента_Товары_RowType)"
    )
    first_line = lines.find(f"{D}element")
    assert first_line.find(f"{D}LineNumber").text == "1"
    assert first_line.find(f"{D}LineNumber").get(f"{M}type") == "Edm.Int64"


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        ("application/atom+xml", "application/atom+xml"),
        ("application/xml", "application/xml"),
        ("*/*", "application/atom+xml"),
        (
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "application/xml",
        ),
    ],
)
def test_atom_or_xml_on_accept(ut11, accept, content_type):
    answer = odata_request(
        ut11, "GET", COUNTERPARTIES, {"$top": 1}, headers={"Accept": accept}
    )
    assert answer.headers["Content-Type"].startswith(content_type)
    assert atom(answer).tag == f"{ATOM}feed"


@pytest.mark.parametrize(
    "accept",
    [
        "application/json",
        "application/json;odata=minimalmetadata",
        "application/json;odata=fullmetadata",
        "application/json, text/plain, */*",
        "text/html, application/json;q=0.9",
    ],
)
def test_json_on_accept(ut11, accept):
    answer = odata_request(
        ut11, "GET", COUNTERPARTIES, {"$top": 1}, headers={"Accept": accept}
    )
    assert answer.headers["Content-Type"].startswith("application/json")
    body = answer.json()
    assert body["odata.metadata"].endswith(f"$metadata#{COUNTERPARTIES}")
    assert "Партнер@navigationLinkUrl" in body["value"][0]


def test_json_without_metadata(ut11):
    body = odata_json(
        ut11,
        COUNTERPARTIES,
        {"$top": 1},
        headers={"Accept": "application/json;odata=nometadata"},
    )
    assert "odata.metadata" not in body
    assert not [name for name in body["value"][0] if "@" in name]


def test_format_json_wins_over_accept(ut11):
    answer = odata_request(
        ut11,
        "GET",
        COUNTERPARTIES,
        {"$format": "json", "$top": 1},
        headers={"Accept": "application/atom+xml"},
    )
    assert answer.json()["value"]


def test_format_atom_and_unknown_format(ut11):
    answer = odata_request(ut11, "GET", COUNTERPARTIES, {"$format": "atom", "$top": 1})
    assert atom(answer).tag == f"{ATOM}feed"
    refused = odata_request(ut11, "GET", COUNTERPARTIES, {"$format": "csv"})
    assert refused.status_code == 400
    assert refused.json()["odata.error"]["code"] == "14"


def test_a_single_object_as_an_atom_entry(ut11):
    ref = first_order(ut11)["ref"]
    answer = odata_request(ut11, "GET", f"{ORDERS}(guid'{ref}')")
    assert "type=entry" in answer.headers["Content-Type"]
    entry = atom(answer)
    assert entry.tag == f"{ATOM}entry"
    assert entry_properties(entry).find(f"{D}Ref_Key").text == ref
    related = {
        link.get("title"): link.get("href")
        for link in entry.findall(f"{ATOM}link")
        if "/related/" in (link.get("rel") or "")
    }
    assert related["Контрагент"] == f"{ORDERS}(guid'{ref}')/Контрагент"


def test_service_document_in_both_formats(ut11):
    service = atom(odata_request(ut11, "GET", ""))
    names = {
        c.get("href") for c in service.iter("{http://www.w3.org/2007/app}collection")
    }
    assert {ORDERS, COUNTERPARTIES} <= names
    body = odata_json(ut11, "")
    assert {s["name"] for s in body["value"]} == names


@pytest.mark.parametrize("accept", [None, "application/json", "application/atom+xml"])
def test_count_answers_a_number_whatever_is_accepted(ut11, accept):
    headers = {"Accept": accept} if accept else {}
    answer = odata_request(ut11, "GET", f"{ORDERS}/$count", headers=headers)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/plain")
    assert answer.text == str(ut11.store.count("order"))


@pytest.mark.parametrize("accept", [None, "application/json"])
def test_post_and_unpost_without_format(ut11, accept):
    headers = {"Accept": accept} if accept else {}
    ref = first_order(ut11)["ref"]
    path = f"{ORDERS}(guid'{ref}')"
    answer = odata_request(ut11, "POST", f"{path}/Unpost", headers=headers)
    assert answer.status_code == 200
    assert ut11.store.get("order", ref)["posted"] is False
    answer = odata_request(
        ut11,
        "POST",
        f"{path}/Post",
        {"PostingModeOperational": "false"},
        headers=headers,
    )
    assert answer.status_code == 200
    assert ut11.store.get("order", ref)["posted"] is True


def test_inlinecount_in_atom(ut11):
    feed = atom(
        odata_request(ut11, "GET", ORDERS, {"$top": 1, "$inlinecount": "allpages"})
    )
    assert feed.find(f"{M}count").text == str(ut11.store.count("order"))


# ---- 6. references -----------------------------------------------------------


def test_refs_are_time_based_guids(ut11):
    body = odata_json(ut11, ORDERS, {"$select": "Ref_Key,Контрагент_Key"})
    refs = [row["Ref_Key"] for row in body["value"]]
    refs += [row["Контрагент_Key"] for row in body["value"]]
    for ref in refs:
        value = uuid.UUID(ref)
        assert value.version == 1 and value.variant == uuid.RFC_4122
        # 100-ns intervals since 1582-10-15: a time after 2024
        assert value.time > 0x01B21DD213814000 + 1_704_067_200 * 10**7


def test_created_objects_get_time_based_guids(fresh_standin):
    created = odata_request(
        fresh_standin,
        "POST",
        PARTNERS,
        headers={"Accept": "application/json"},
        json={"Description": "Новый партнер"},
    )
    assert created.status_code == 201
    assert uuid.UUID(created.json()["Ref_Key"]).version == 1
    assert uuid.UUID(Store().insert("partner", {"name": "x"})["ref"]).version == 1


# ---- 7. errors ---------------------------------------------------------------


def test_401_challenges_basic_with_a_plain_body(ut11):
    answer = requests.get(f"{ut11.url}odata/standard.odata/{ORDERS}", timeout=10)
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"].startswith("Basic")
    assert answer.headers["Content-Type"].startswith("text/plain")
    assert "аутентификации" in answer.text


def test_401_lets_a_client_retry_with_basic_credentials(ut11):
    # what requests does with auth=: Latin-1 credentials, challenged first
    answer = requests.get(
        f"{ut11.url}odata/standard.odata/{ORDERS}/$count",
        auth=requests.auth.HTTPBasicAuth("Администратор".encode(), "пароль".encode()),
        timeout=10,
    )
    assert answer.status_code == 200 and int(answer.text) > 0


def test_errors_in_the_negotiated_format(ut11):
    xml = odata_request(ut11, "GET", "Catalog_Несуществующий")
    assert xml.status_code == 404
    error = etree.fromstring(xml.content)
    assert error.tag == f"{M}error" and error.find(f"{M}code").text == "9"
    body = odata_request(
        ut11, "GET", "Catalog_Несуществующий", headers={"Accept": "application/json"}
    ).json()
    assert body["odata.error"]["code"] == "9"
    assert body["odata.error"]["message"]["lang"] == "ru"


# ---- 5. writes with table parts ----------------------------------------------


def order_body(counterparty, lines):
    return {
        "Контрагент_Key": counterparty,
        "СуммаДокумента": sum(line["Сумма"] for line in lines),
        "Товары": lines,
    }


def test_table_part_written_with_the_object_and_renumbered(fresh_standin):
    counterparty = fresh_standin.store.objects("counterparty")[0]["ref"]
    lines = [
        {"LineNumber": "7", "Количество": 2, "Цена": 10, "Сумма": 20},
        {"LineNumber": "3", "Количество": 1, "Цена": 5, "Сумма": 5},
    ]
    created = odata_request(
        fresh_standin,
        "POST",
        ORDERS,
        {"$format": "json"},
        json=order_body(counterparty, lines),
    ).json()
    assert [line["LineNumber"] for line in created["Товары"]] == ["1", "2"]
    assert [line["Сумма"] for line in created["Товары"]] == [20.0, 5.0]
    assert created["Товары"][0]["Номенклатура_Key"] == EMPTY_REF
    path = f"{ORDERS}(guid'{created['Ref_Key']}')"
    patched = odata_request(
        fresh_standin,
        "PATCH",
        path,
        {"$format": "json"},
        json={"Товары": [{"Количество": 3, "Цена": 1, "Сумма": 3}]},
    ).json()
    assert [(line["LineNumber"], line["Сумма"]) for line in patched["Товары"]] == [
        ("1", 3.0)
    ]
    untouched = odata_request(
        fresh_standin, "PATCH", path, {"$format": "json"}, json={"Комментарий": "x"}
    ).json()
    assert untouched["Товары"] == patched["Товары"]
    assert len(fresh_standin.store.get("order", created["Ref_Key"])["lines"]) == 1


@pytest.mark.parametrize(
    "lines",
    [
        [{"Нет такой колонки": 1}],
        [{"Количество": "много"}],
        "not rows",
    ],
)
def test_bad_table_part_rows_are_refused(fresh_standin, lines):
    answer = odata_request(
        fresh_standin, "POST", ORDERS, {"$format": "json"}, json={"Товары": lines}
    )
    assert answer.status_code == 400
    assert answer.json()["odata.error"]["code"] == "14"


def test_a_table_part_set_on_its_own_stays_refused(fresh_standin):
    ref = fresh_standin.store.objects("order")[0]["ref"]
    for method, path in [
        ("POST", f"{ORDERS}_Товары"),
        ("PATCH", f"{ORDERS}_Товары(Ref_Key=guid'{ref}',LineNumber=1)"),
    ]:
        answer = odata_request(
            fresh_standin, method, path, {"$format": "json"}, json={"Цена": 1}
        )
        assert answer.status_code == 400
        assert answer.json()["odata.error"]["code"] == "13"


def test_a_table_part_row_read_by_its_named_key(ut11):
    ref = first_order(ut11)["ref"]
    row = odata_json(ut11, f"{ORDERS}_Товары(Ref_Key=guid'{ref}',LineNumber=1)")
    assert row["Ref_Key"] == ref and row["LineNumber"] == "1"


# ---- 3. query options --------------------------------------------------------


def test_expand_inlines_the_referenced_object(ut11):
    order = first_order(ut11)
    body = odata_json(
        ut11, f"{ORDERS}(guid'{order['ref']}')", {"$expand": "Контрагент"}
    )
    counterparty = odata_json(
        ut11, f"{COUNTERPARTIES}(guid'{order['counterparty_ref']}')"
    )
    counterparty.pop("odata.metadata")
    assert body["Контрагент"] == counterparty


def test_expand_nested_and_in_a_collection(ut11):
    body = odata_json(ut11, ORDERS, {"$top": 3, "$expand": "Контрагент/Партнер"})
    for row in body["value"]:
        partner = row["Контрагент"]["Партнер"]
        assert partner["Ref_Key"] == row["Контрагент"]["Партнер_Key"]


def test_expand_of_an_empty_reference_is_null(fresh_standin):
    created = odata_request(
        fresh_standin,
        "POST",
        ORDERS,
        {"$format": "json"},
        json={"Комментарий": "без контрагента"},
    ).json()
    body = odata_json(
        fresh_standin,
        f"{ORDERS}(guid'{created['Ref_Key']}')",
        {"$expand": "Контрагент"},
    )
    assert body["Контрагент"] is None


def test_expand_in_atom_is_an_inline_entry(ut11):
    order = first_order(ut11)
    entry = atom(
        odata_request(
            ut11, "GET", f"{ORDERS}(guid'{order['ref']}')", {"$expand": "Контрагент"}
        )
    )
    link = next(
        link
        for link in entry.findall(f"{ATOM}link")
        if link.get("title") == "Контрагент"
    )
    inline = link.find(f"{M}inline/{ATOM}entry")
    ref = entry_properties(inline).find(f"{D}Ref_Key").text
    assert ref == order["counterparty_ref"]


def test_expand_of_something_that_is_no_reference(ut11):
    answer = odata_request(
        ut11,
        "GET",
        ORDERS,
        {"$expand": "Комментарий"},
        headers={"Accept": "application/json"},
    )
    assert answer.status_code == 400


def test_select_on_a_single_object(ut11):
    ref = first_order(ut11)["ref"]
    body = odata_json(ut11, f"{ORDERS}(guid'{ref}')", {"$select": "Ref_Key,Number"})
    assert set(body) == {"odata.metadata", "Ref_Key", "Number"}


def test_select_with_a_navigation_path(ut11):
    body = odata_json(
        ut11, ORDERS, {"$top": 2, "$select": "Ref_Key,Контрагент/Description"}
    )
    for row in body["value"]:
        assert set(row) == {"Ref_Key", "Контрагент"}
        assert set(row["Контрагент"]) == {"Description"}
        order = ut11.store.get("order", row["Ref_Key"])
        name = ut11.store.get("counterparty", order["counterparty_ref"])["name"]
        assert row["Контрагент"]["Description"] == name


def test_navigation_links_can_be_followed(ut11):
    root = f"{ut11.url}odata/standard.odata/"
    counterparty = odata_json(ut11, COUNTERPARTIES, {"$top": 1})["value"][0]
    link = counterparty["Партнер@navigationLinkUrl"]
    assert link == f"{COUNTERPARTIES}(guid'{counterparty['Ref_Key']}')/Партнер"
    partner = odata_json(ut11, link)
    assert partner["Ref_Key"] == counterparty["Партнер_Key"]
    assert partner["odata.metadata"] == f"{root}$metadata#{PARTNERS}/@Element"
    assert atom(odata_request(ut11, "GET", link)).tag == f"{ATOM}entry"


def test_property_paths(ut11):
    counterparty = ut11.store.objects("counterparty")[0]
    path = f"{COUNTERPARTIES}(guid'{counterparty['ref']}')/Description"
    assert odata_json(ut11, path)["value"] == counterparty["name"]
    xml = etree.fromstring(odata_request(ut11, "GET", path).content)
    assert xml.tag == f"{D}Description" and xml.text == counterparty["name"]
    raw = odata_request(ut11, "GET", f"{path}/$value")
    assert raw.headers["Content-Type"].startswith("text/plain")
    assert raw.text == counterparty["name"]
    partner_name = odata_json(
        ut11, f"{COUNTERPARTIES}(guid'{counterparty['ref']}')/Партнер/Description"
    )
    partner = ut11.store.get("partner", counterparty["partner_ref"])
    assert partner_name["value"] == partner["name"]


def test_unknown_segments_are_refused(ut11):
    ref = first_order(ut11)["ref"]
    for path in (f"{ORDERS}(guid'{ref}')/Нет", f"{ORDERS}(guid'{ref}')/Number/Нет"):
        answer = odata_request(
            ut11, "GET", path, headers={"Accept": "application/json"}
        )
        assert answer.status_code == 400


def test_named_keys(ut11):
    ref = first_order(ut11)["ref"]
    assert odata_json(ut11, f"{ORDERS}(Ref_Key=guid'{ref}')")["Ref_Key"] == ref
    for key in ("Номер=guid'{ref}'", "'{ref}'", "guid'nope'"):
        answer = odata_request(
            ut11,
            "GET",
            f"{ORDERS}({key.format(ref=ref)})",
            headers={"Accept": "application/json"},
        )
        assert answer.status_code == 400
        assert answer.json()["odata.error"]["code"] == "14"


def test_if_match_star_and_etag_forms(fresh_standin):
    obj = fresh_standin.store.objects("counterparty")[0]
    path = f"{COUNTERPARTIES}(guid'{obj['ref']}')"
    for weak in (False, True):
        version = fresh_standin.store.get("counterparty", obj["ref"])["data_version"]
        if_match = f'W/"{version}"' if weak else "*"
        answer = odata_request(
            fresh_standin,
            "PATCH",
            path,
            {"$format": "json"},
            headers={"If-Match": if_match},
            json={"Description": f"Переименован {if_match[:1]}"},
        )
        assert answer.status_code == 200, answer.text
    stale = odata_request(
        fresh_standin,
        "PATCH",
        path,
        {"$format": "json"},
        headers={"If-Match": '"stale"'},
        json={"Description": "x"},
    )
    assert stale.status_code == 412


def order_rows(standin):
    return odata_json(standin, ORDERS)["value"]


def filtered(standin, text, entity=ORDERS):
    return odata_json(standin, entity, {"$filter": text})["value"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "startswith(Description, 'ИП') eq true",
            lambda r: r["Description"].startswith("ИП"),
        ),
        ("startswith(Description, 'ИП')", lambda r: r["Description"].startswith("ИП")),
        ("endswith(Description, '»')", lambda r: r["Description"].endswith("»")),
        ("length(ИНН) eq 12", lambda r: len(r["ИНН"]) == 12),
        (
            "substringof('ип', tolower(Description))",
            lambda r: "ип" in r["Description"].lower(),
        ),
        ("toupper(ЮрФизЛицо) eq 'ФИЗЛИЦО'", lambda r: r["ЮрФизЛицо"] == "ФизЛицо"),
        (
            "substringof('ООО', Description) eq true",
            lambda r: "ООО" in r["Description"],
        ),
    ],
)
def test_string_functions(ut11, text, expected):
    rows = odata_json(ut11, COUNTERPARTIES)["value"]
    wanted = [row["Ref_Key"] for row in rows if expected(row)]
    got = [row["Ref_Key"] for row in filtered(ut11, text, COUNTERPARTIES)]
    assert got == wanted


def test_date_functions(ut11):
    rows = order_rows(ut11)
    march = [r["Ref_Key"] for r in rows if r["Date"].startswith("2025-03")]
    text = "year(Date) eq 2025 and month(Date) eq 3"
    assert [r["Ref_Key"] for r in filtered(ut11, text)] == march
    first_days = [r["Ref_Key"] for r in rows if r["Date"][8:10] == "01"]
    assert [r["Ref_Key"] for r in filtered(ut11, "day(Date) eq 1")] == first_days


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("СуммаДокумента add 100 gt 10000", lambda a: a + 100 > 10000),
        ("СуммаДокумента sub 100 lt 5000", lambda a: a - 100 < 5000),
        ("СуммаДокумента mul 2 ge 20000", lambda a: a * 2 >= 20000),
        ("СуммаДокумента div 4 le 2000", lambda a: a / 4 <= 2000),
        ("СуммаДокумента mod 2 eq 0", lambda a: round(a % 2, 6) == 0),
    ],
)
def test_arithmetic(ut11, text, expected):
    rows = order_rows(ut11)
    wanted = [r["Ref_Key"] for r in rows if expected(r["СуммаДокумента"])]
    assert [r["Ref_Key"] for r in filtered(ut11, text)] == wanted


def test_division_by_zero_is_a_bad_request(ut11):
    answer = odata_request(
        ut11,
        "GET",
        ORDERS,
        {"$filter": "СуммаДокумента div 0 eq 1"},
        headers={"Accept": "application/json"},
    )
    assert answer.status_code == 400


def test_any_and_all_on_a_table_part(ut11):
    rows = order_rows(ut11)
    product = rows[0]["Товары"][0]["Номенклатура_Key"]
    text = f"Товары/any(d: d/Номенклатура_Key eq guid'{product}')"
    wanted = [
        r["Ref_Key"]
        for r in rows
        if any(line["Номенклатура_Key"] == product for line in r["Товары"])
    ]
    assert [r["Ref_Key"] for r in filtered(ut11, text)] == wanted
    cheap = [
        r["Ref_Key"] for r in rows if all(line["Цена"] < 500 for line in r["Товары"])
    ]
    assert [
        r["Ref_Key"] for r in filtered(ut11, "Товары/all(x: x/Цена lt 500)")
    ] == cheap
    assert len(filtered(ut11, "Товары/any()")) == len([r for r in rows if r["Товары"]])


def test_isof(ut11):
    shipments = "Document_РеализацияТоваровУслуг"
    rows = filtered(
        ut11, "isof(ЗаказКлиента, 'StandardODATA.Document_ЗаказКлиента')", shipments
    )
    assert len(rows) == ut11.store.count("shipment")
    assert filtered(ut11, f"isof('StandardODATA.{ORDERS}')") == order_rows(ut11)
    assert filtered(ut11, "isof('StandardODATA.Catalog_Контрагенты')") == []


def test_filter_in_atom_answers(ut11):
    feed = atom(
        odata_request(ut11, "GET", COUNTERPARTIES, {"$filter": "length(ИНН) eq 12"})
    )
    inns = [
        entry_properties(e).find(f"{D}ИНН").text for e in feed.findall(f"{ATOM}entry")
    ]
    assert inns and all(len(inn) == 12 for inn in inns)


def test_our_own_transport_still_reads_everything(ut11):
    transport = transport_for(ut11, "odata")
    assert len(flatten(transport.iter_orders())) == ut11.store.count("order")
    assert transport.settlements(as_of=datetime(2026, 1, 1))
