"""One stream never fails because of another stream's bad document, and an
answer in the wrong format says which setting to change.

The only stream that reads another's documents is the settlements stream:
its overdue estimate reads the recent shipments (``Transport._recent_shipments``).
"""

from datetime import datetime

import pytest
from helpers import transport_for

from onec_exchange.errors import OneCFormatError, OneCProtocolError
from onec_exchange.odata import decode_json
from onec_exchange.standin import StandIn

SHIPMENTS = {
    "bp30": "Document_РеализацияТоваровУслуг",
    "unf": "Document_РасходнаяНакладная",
}
AS_OF = datetime(2025, 9, 1)


# UT 11 over OData reads no shipments: its overdue debt comes from a register
@pytest.fixture(scope="module", params=("bp30", "unf"))
def running(request):
    with StandIn(request.param, seed=11, counterparties=25, orders=120) as standin:
        yield standin


@pytest.fixture
def faults(running):
    yield running.faults
    running.faults.clear()


def _bad_shipment_fault(running, protocol):
    """The shipment read of the estimate gets a record without a reference."""
    if protocol == "odata":
        entity = SHIPMENTS[running.profile.name]
        running.faults.add(rf"GET .*/{entity}\?", "partial", times=1)
    else:
        # SOAP: one path for every call; the balances come first, then the
        # shipments (a no-op rule lets the first call through)
        running.faults.add(r"^POST /trade/ws/", "latency", times=1)
        running.faults.add(r"^POST /trade/ws/", "partial", times=1)


def test_a_bad_shipment_does_not_block_the_settlements(running, faults, protocol):
    with transport_for(running, protocol) as transport:
        expected = {r.counterparty_ref: r for r in transport.settlements(AS_OF)}
        _bad_shipment_fault(running, protocol)
        skipped = []
        records = transport.settlements(
            AS_OF, skipped=lambda stream, item: skipped.append((stream, item))
        )
    assert [stream for stream, _item in skipped] == ["shipment"]
    item = skipped[0][1]
    assert item.record is None and item.error and item.payload
    assert {r.counterparty_ref: r.balance for r in records} == {
        ref: r.balance for ref, r in expected.items()
    }
    # the bad shipment is left out of the estimate: never more overdue
    for record in records:
        assert record.overdue_estimated
        assert record.overdue >= expected[record.counterparty_ref].overdue


def test_without_a_callback_the_bad_shipment_is_left_out_silently(running, faults):
    _bad_shipment_fault(running, "odata")
    with transport_for(running, "odata") as transport:
        assert transport.settlements(AS_OF)


def test_the_strict_shipment_reader_still_refuses_it(running, faults):
    _bad_shipment_fault(running, "odata")
    with transport_for(running, "odata") as transport:
        with pytest.raises(OneCProtocolError) as refused:
            list(transport.iter_shipments(since=AS_OF))
    assert not refused.value.retryable


# ---- Atom answers ------------------------------------------------------------


def test_an_atom_answer_to_a_json_request_is_one_clear_error(running, faults):
    running.faults.add(r"GET .*/Catalog_Контрагенты\?", "atom", times=1)
    with transport_for(running, "odata") as transport:
        with pytest.raises(OneCFormatError) as wrong:
            list(transport.iter_counterparties())
        assert [c for page in transport.iter_counterparties() for c in page]
    error = wrong.value
    assert not error.retryable
    assert isinstance(error, OneCProtocolError)
    assert error.entity == "Catalog_Контрагенты"
    assert "Atom/XML" in error.message and "proxy" in error.message
    assert "xml" in error.details  # the Content-Type it answered


@pytest.mark.parametrize(
    "content, content_type",
    [
        (b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"/>', None),
        (b"\xef\xbb\xbf  <feed/>", "application/octet-stream"),
        (b'{"value": []}', "application/atom+xml;type=feed"),
    ],
)
def test_xml_by_its_type_or_its_first_byte(content, content_type):
    with pytest.raises(OneCFormatError):
        decode_json(content, "Catalog_X", content_type)


def test_json_is_still_json():
    assert decode_json(b' {"value": []}', "Catalog_X", "application/json") == {
        "value": []
    }


def test_the_transport_asks_json_both_ways(running, faults):
    # a proxy that drops only the query string still gets JSON by Accept
    seen = []
    with transport_for(running, "odata") as transport:
        original = transport.http.session.request

        def spy(method, url, **kwargs):
            seen.append((url, kwargs.get("headers")))
            return original(method, url, **kwargs)

        transport.http.session.request = spy
        list(transport.iter_orders(since=AS_OF))
    assert seen and all("$format=json" in url for url, _h in seen)
    assert all(h == {"Accept": "application/json"} for _url, h in seen)
