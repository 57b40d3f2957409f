"""Profiles are data: shipped ones load, a consultant's copy works unchanged
in code, a broken one is refused with a clear message."""

import json

import pytest
from helpers import flatten, transport_for

from onec_exchange.errors import OneCValidationError
from onec_exchange.profiles import PROFILE_DIR, SHIPPED, load_profile
from onec_exchange.standin import StandIn


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
