"""Property-based tests of the parsers: whatever 1C (or a proxy) sends --
malformed, missing, mistyped, huge or Cyrillic values -- the result is a
complete record or a OneCProtocolError, never anything else."""

import random
import uuid
from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from stdnum.ru import inn as inn_checker

from onec_exchange.errors import OneCProtocolError
from onec_exchange.odata import collection_rows, decode_json, metadata_entity_sets
from onec_exchange.odata_parsers import parse_counterparty, parse_order
from onec_exchange.profiles import load_profile
from onec_exchange.records import Counterparty, Order
from onec_exchange.requisites import complete_inn, is_valid_inn
from onec_exchange.soap import parse_document
from onec_exchange.standin.odata_filter import FilterError, compile_filter
from onec_exchange.standin.odata_format import ATOM_NS, DATA_NS, AtomWriter, xml_text
from onec_exchange.standin.odata_schema import EntitySet, Field, Schema
from onec_exchange.standin.seed import random_guid

UT11 = load_profile("ut11")
COUNTERPARTY = UT11.section("counterparty")
ORDER = UT11.section("order")
# 1C's references are time-based (version 1) GUIDs; other versions parse too
GUIDS = (st.uuids(version=1) | st.uuids()).map(str)
HUGE = "Ж" * 1_000_000
TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=50) | st.sampled_from(
    ["ООО «Ромашка»", "ИП Иванов И.И.", "", " ", HUGE]
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.decimals(allow_nan=False) | TEXT,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3)
    ),
    max_leaves=10,
)
FAST = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def currency(ref):
    return "RUB"


def good_counterparty_row():
    return st.fixed_dictionaries(
        {
            "Ref_Key": GUIDS,
            "DataVersion": TEXT,
            "DeletionMark": st.booleans(),
            "Description": TEXT,
            "НаименованиеПолное": TEXT,
            "ИНН": TEXT,
            "КПП": TEXT,
            "ЮрФизЛицо": st.sampled_from(["ЮрЛицо", "ФизЛицо", ""]),
            "Партнер_Key": GUIDS | st.just("00000000-0000-0000-0000-000000000000"),
        }
    )


def spoil(row, data):
    """Drop a field, or replace its value with anything JSON can hold."""
    field = data.draw(st.sampled_from(sorted(row)))
    if data.draw(st.booleans()):
        del row[field]
    else:
        row[field] = data.draw(JSON_VALUES)
    return field


@FAST
@given(good_counterparty_row())
def test_valid_counterparty_rows_parse_completely(row):
    record = parse_counterparty(row, COUNTERPARTY)
    assert isinstance(record, Counterparty)
    assert record.name == row["Description"] and record.ref == row["Ref_Key"]
    assert record.is_person == (row["ЮрФизЛицо"] == "ФизЛицо")


@FAST
@given(good_counterparty_row(), st.data())
def test_spoiled_counterparty_rows_fail_cleanly(row, data):
    spoil(row, data)
    try:
        record = parse_counterparty(row, COUNTERPARTY)
    except OneCProtocolError as error:
        assert error.entity == "Catalog_Контрагенты"
    else:
        assert isinstance(record, Counterparty)  # spoiled into another valid value


def good_order_row():
    line = st.fixed_dictionaries(
        {
            "LineNumber": st.integers(1, 10_000).map(str),
            "Номенклатура_Key": GUIDS,
            "Количество": st.decimals(-(10**6), 10**6, places=3),
            "Цена": st.decimals(0, 10**9, places=2),
            "Сумма": st.decimals(0, 10**12, places=2),
        }
    )
    return st.fixed_dictionaries(
        {
            "Ref_Key": GUIDS,
            "DataVersion": TEXT,
            "DeletionMark": st.booleans(),
            "Number": TEXT,
            "Date": st.datetimes(datetime(1, 1, 2), datetime(9999, 1, 1)).map(
                lambda d: d.isoformat(timespec="seconds")
            ),
            "Posted": st.booleans(),
            "Контрагент_Key": GUIDS,
            "СуммаДокумента": st.decimals(-(10**15), 10**15, places=2)
            | st.integers(-(10**15), 10**15),
            "Валюта_Key": GUIDS,
            "Статус": TEXT,
            "Комментарий": TEXT,
            "Товары": st.lists(line, max_size=5),
        }
    )


@FAST
@given(good_order_row())
def test_valid_order_rows_parse_completely(row):
    order = parse_order(row, ORDER, currency)
    assert isinstance(order, Order) and len(order.lines) == len(row["Товары"])
    assert isinstance(order.amount, Decimal)


@FAST
@given(good_order_row(), st.data())
def test_spoiled_order_rows_never_give_half_records(row, data):
    target = row
    if row["Товары"] and data.draw(st.booleans()):
        target = data.draw(st.sampled_from(row["Товары"]))
    spoil(target, data)
    try:
        order = parse_order(row, ORDER, currency)
    except OneCProtocolError as error:
        assert error.entity.startswith("Document_ЗаказКлиента")
    else:
        assert all(isinstance(line.amount, Decimal) for line in order.lines)


@FAST
@given(st.binary(max_size=300) | TEXT.map(str.encode))
def test_any_bytes_as_a_collection_answer(content):
    try:
        rows = collection_rows(decode_json(content, "Catalog_X"), "Catalog_X")
    except OneCProtocolError:
        return
    assert isinstance(rows, list)


def test_deeply_nested_json_is_a_protocol_error():
    nested = b"[" * 100_000 + b"]" * 100_000
    try:
        decode_json(nested, "Catalog_X")
    except OneCProtocolError:
        return
    raise AssertionError("deep nesting should not parse as a 1C answer")


@FAST
@given(st.binary(max_size=300) | st.text(max_size=50).map(str.encode))
def test_any_bytes_as_metadata(content):
    try:
        assert isinstance(metadata_entity_sets(content), set)
    except OneCProtocolError:
        pass


def test_metadata_with_an_entity_bomb_is_refused():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><x>&b;</x>'
    )
    try:
        metadata_entity_sets(bomb)
    except OneCProtocolError as error:
        assert "DTD" in str(error) or "forbidden" in str(error).lower()
        return
    raise AssertionError("a DTD must be refused")


def soap_document(**overrides):
    values = {
        "Ref": "a",
        "Kind": "order",
        "Number": "1",
        "Date": datetime(2025, 1, 1),
        "CounterpartyRef": None,
        "OrderRef": None,
        "Amount": Decimal(1),
        "Currency": "RUB",
        "Status": None,
        "Comment": None,
        "Posted": True,
        "DeletionMark": False,
        "DataVersion": "v",
        "Lines": [],
    }
    values.update(overrides)
    return SimpleNamespace(**values)


SOAP_FIELDS = sorted(vars(soap_document()))
ENTITIES = {
    "order": "Document_A",
    "shipment": "Document_B",
    "bank": "Document_C",
    "cash": "Document_D",
}


@FAST
@given(st.sampled_from(SOAP_FIELDS), JSON_VALUES | st.datetimes())
def test_soap_documents_with_mistyped_values(field, value):
    try:
        record = parse_document(soap_document(**{field: value}), ENTITIES)
    except OneCProtocolError:
        return
    assert record.entity in ENTITIES.values()


@FAST
@given(st.text(max_size=80))
def test_filter_parser_accepts_or_refuses_cleanly(text):
    try:
        predicate = compile_filter(text)
        predicate({"Description": "ООО", "DeletionMark": False})
    except FilterError:
        pass


@FAST
@given(st.text(alphabet="0123456789", min_size=9, max_size=10))
def test_generated_inns_pass_stdnum(body):
    assert inn_checker.is_valid(complete_inn(body))


@FAST
@given(st.text(max_size=14) | st.text(alphabet="0123456789", min_size=10, max_size=12))
def test_inn_check_agrees_with_stdnum(text):
    assert is_valid_inn(text) == (
        text.isascii()
        and text.isdigit()
        and len(text) in (10, 12)
        and inn_checker.is_valid(text)
    )


# ---- what the stand-in sends beyond plain JSON rows ------------------------


@FAST
@given(good_order_row(), st.dictionaries(TEXT, JSON_VALUES, max_size=4))
def test_rows_with_expanded_references_parse(row, expanded):
    """``$expand=Контрагент`` inlines an object (of any shape) next to the
    reference and its link: the record is the same."""
    plain = parse_order(dict(row), ORDER, currency)
    row["Контрагент"] = expanded
    row["Контрагент@navigationLinkUrl"] = "Document_ЗаказКлиента(guid'x')/Контрагент"
    assert parse_order(row, ORDER, currency) == plain


@FAST
@given(st.integers(0, 2**32))
def test_seeded_refs_are_version_1_guids(seed):
    rng = random.Random(seed)
    for _ in range(5):
        ref = uuid.UUID(random_guid(rng))
        assert ref.version == 1 and ref.variant == uuid.RFC_4122


ATOM_SET = EntitySet(
    "Catalog_X",
    ("Ref_Key",),
    (
        Field("Ref_Key", "Edm.Guid"),
        Field("Description", "Edm.String"),
        Field("Сумма", "Edm.Double"),
        Field("DeletionMark", "Edm.Boolean"),
    ),
)
ATOM_ROWS = st.lists(
    st.fixed_dictionaries(
        {
            "Ref_Key": GUIDS,
            "Description": TEXT | st.text(max_size=20),
            "Сумма": st.floats(allow_nan=False, allow_infinity=False),
            "DeletionMark": st.booleans(),
        }
    ),
    max_size=3,
)


@FAST
@given(ATOM_ROWS)
def test_atom_answers_are_well_formed_and_keep_the_values(rows):
    writer = AtomWriter("http://h/p/odata/standard.odata/", Schema([ATOM_SET]))
    _status, content_type, body = writer.feed("Catalog_X", ATOM_SET, rows, len(rows))
    assert content_type.startswith("application/atom+xml")
    feed = etree.fromstring(body)
    entries = feed.findall(f"{{{ATOM_NS}}}entry")
    assert len(entries) == len(rows)
    for entry, row in zip(entries, rows, strict=True):
        values = {
            etree.QName(node).localname: node.text or ""
            for node in entry.iter(f"{{{DATA_NS}}}*")
        }
        assert values["Ref_Key"] == row["Ref_Key"]
        assert values["Description"] == xml_text(row["Description"])
        assert float(values["Сумма"]) == row["Сумма"]
        assert values["DeletionMark"] == str(row["DeletionMark"]).lower()


FILTER_WORDS = st.sampled_from(
    [
        "Description",
        "Товары",
        "d",
        "/",
        ":",
        "(",
        ")",
        ",",
        "any",
        "all",
        "eq",
        "ne",
        "add",
        "sub",
        "mul",
        "div",
        "mod",
        "and",
        "or",
        "not",
        "length",
        "tolower",
        "startswith",
        "year",
        "isof",
        "substringof",
        "'ООО'",
        "1",
        "0",
        "2.5",
        "true",
        "null",
        "datetime'2025-01-01T00:00:00'",
    ]
)


@FAST
@given(st.lists(FILTER_WORDS, max_size=12).map(" ".join))
def test_v3_filter_syntax_is_accepted_or_refused_cleanly(text):
    row = {"Description": "ООО", "Товары": [{"d": 1}], "DeletionMark": False}
    try:
        compile_filter(text, "StandardODATA.Catalog_X")(row)
    except FilterError:
        pass
