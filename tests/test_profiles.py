"""Profiles are data: shipped ones load, a consultant's copy works unchanged
in code, a broken one is refused with a clear message."""

import json
import re
from pathlib import Path

import pytest
from helpers import flatten, transport_for

from onec_exchange.errors import OneCValidationError
from onec_exchange.profiles import PROFILE_DIR, SHIPPED, load_profile
from onec_exchange.standin import StandIn, seed, store


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_profiles_load(name):
    profile = load_profile(name)
    assert profile.name == name
    assert profile.section("counterparty")["entity"] in profile.required_entities()


def test_a_consultants_copy_with_other_names(tmp_path, protocol):
    data = json.loads((PROFILE_DIR / "unf.json").read_text(encoding="utf-8"))
    data["name"] = "unf-client-x"
    data["order"]["entity"] = "Document_ЗаказКлиентаРасширенный"
    data["counterparty"]["fields"]["inn"] = "ИННКонтрагента"
    path = tmp_path / "client-x.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with StandIn(str(path), counterparties=6, orders=9) as running:
        transport = transport_for(running, protocol)
        assert transport.check_connection()["profile"] == "unf-client-x"
        assert len(flatten(transport.iter_orders())) == 9
        inn = running.store.objects("counterparty")[0]["inn"]
        assert transport.find_counterparty(inn)


@pytest.mark.parametrize(
    "content",
    [
        "{",
        '{"name": "x"}',
        '{"name": "x", "counterparty": {}, "order": {}, '
        '"shipment": {}, "payments": {}, "receivables": {"kind": "magic"}}',
    ],
)
def test_broken_profiles_are_refused(tmp_path, content):
    path = tmp_path / "broken.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(OneCValidationError):
        load_profile(str(path))


def test_missing_profile_file():
    with pytest.raises(OneCValidationError, match="cannot load"):
        load_profile("/nonexistent/profile.json")


# ---- enumeration labels ----------------------------------------------------------


def _emitted_order_statuses():
    """Every order status the stand-in writes: seeded ones and an accountant's."""
    source = Path(store.__file__).read_text(encoding="utf-8")
    posted = set(re.findall(r'"status": "([^"]+)"', source))
    return set(seed.STATUSES) | posted


@pytest.mark.parametrize("name", SHIPPED)
def test_every_order_status_has_a_russian_and_english_label(name):
    profile = load_profile(name)
    statuses = _emitted_order_statuses()
    assert {"КОтгрузке", "НеСогласован", "КОбеспечению"} <= statuses
    enum = profile.section("order")["enums"]["status"]
    for status in statuses:
        assert set(profile.data["enum_labels"][enum][status]) == {"ru", "en"}
        english = profile.field_label("order", "status", status, "en_US")
        assert english.isascii() and english != status, status
    assert profile.field_label("order", "status", "КОтгрузке", "ru_RU") == "К отгрузке"
    assert profile.field_label("order", "status", "КОтгрузке", "en") == "Ready to ship"


def test_labels_fall_back_to_english_then_to_the_raw_value():
    profile = load_profile("ut11")
    assert profile.field_label("order", "status", "КОтгрузке", "de_DE") == (
        "Ready to ship"
    )
    assert profile.field_label("order", "status", "Отгружен", "ru_RU") == "Отгружен"
    assert profile.field_label("order", "status", "", "ru_RU") == ""
    assert profile.field_label("order", "comment", "КОтгрузке", "ru") == "КОтгрузке"
    assert profile.enum_label("НетТакого", "КОтгрузке", "ru") == "КОтгрузке"


def test_a_profile_naming_an_unlabelled_enumeration_is_refused(tmp_path):
    data = json.loads((PROFILE_DIR / "ut11.json").read_text(encoding="utf-8"))
    data["order"]["enums"] = {"status": "СостоянияЗаказов"}
    path = tmp_path / "unlabelled.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(OneCValidationError, match="СостоянияЗаказов"):
        load_profile(str(path))
