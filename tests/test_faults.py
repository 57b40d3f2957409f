"""Every injected fault, seen through both transports: a typed error that
says whether a retry can help, and never a half-parsed page."""

import time

import pytest
import requests
from helpers import LOGIN, PASSWORD, flatten, transport_for

from onec_exchange.errors import (
    OneCAuthError,
    OneCConnectionError,
    OneCProtocolError,
    OneCServerError,
)
from onec_exchange.factory import make_transport
from onec_exchange.http_client import basic_auth_header
from onec_exchange.standin import StandIn

PAGE = 10
# the second page of counterparties, whichever transport asks for it
SECOND_PAGE = {
    "odata": r"Catalog_Контрагенты\?.*\$skip=10\b",
    "soap": r"^POST /trade/ws/",
}


@pytest.fixture(scope="module")
def running():
    with StandIn("ut11", seed=5, counterparties=35, orders=40) as standin:
        yield standin


@pytest.fixture
def faults(running):
    yield running.faults
    running.faults.clear()


def read_pages(transport, collected):
    """Read counterparty pages into ``collected`` until an error stops it."""
    for page in transport.iter_counterparties(page_size=PAGE):
        collected.append(page)


def fault_on_second_page(running, faults, protocol, kind, **options):
    transport = transport_for(running, protocol, **options)
    if protocol == "soap":
        transport.service  # load the WSDL before faults apply  # noqa: B018
        # rules apply in order: a no-op rule lets the first page through
        faults.add(SECOND_PAGE[protocol], "latency", times=1)
    faults.add(SECOND_PAGE[protocol], kind, times=1)
    collected = []
    return transport, collected


@pytest.mark.parametrize("kind", ["malformed", "truncated"])
def test_a_damaged_page_raises_and_yields_nothing_of_it(
    running, faults, protocol, kind
):
    transport, collected = fault_on_second_page(running, faults, protocol, kind)
    with pytest.raises(OneCProtocolError) as damaged:
        read_pages(transport, collected)
    assert damaged.value.retryable
    assert [len(page) for page in collected] == [PAGE]  # only the whole first page
    assert (
        len(flatten(transport.iter_counterparties(page_size=PAGE))) == 35
    )  # retry works


def test_a_partial_record_is_refused_with_its_entity(running, faults, protocol):
    transport, collected = fault_on_second_page(running, faults, protocol, "partial")
    with pytest.raises(OneCProtocolError) as partial:
        read_pages(transport, collected)
    assert partial.value.entity == "Catalog_Контрагенты"
    assert "Ref" in str(partial.value) and not partial.value.retryable
    assert [len(page) for page in collected] == [PAGE]


def test_items_keep_a_partial_record_and_read_the_others(running, faults, protocol):
    transport, _collected = fault_on_second_page(running, faults, protocol, "partial")
    pages = list(transport.iter_items("counterparty", page_size=PAGE))
    items = flatten(pages)
    refused = [item for item in items if item.record is None]
    assert len(items) == 35 and len(refused) == 1
    assert "Ref" in refused[0].error and refused[0].payload
    assert refused[0].ref is None
    assert '"' in refused[0].payload_json()  # the payload as journaled


def test_fetch_items_by_reference(running, protocol):
    transport = transport_for(running, protocol)
    wanted = sorted(c["ref"] for c in running.store.objects("counterparty"))[:3]
    fetched = transport.fetch_items("counterparty", wanted)
    if protocol == "soap":
        assert fetched == []  # the CRMExchange contract cannot read by reference
    else:
        assert sorted(item.ref for item in fetched) == wanted


@pytest.mark.parametrize(("kind", "status"), [("http_500", 500), ("http_503", 503)])
def test_server_errors_are_retryable(running, faults, protocol, kind, status):
    transport, collected = fault_on_second_page(running, faults, protocol, kind)
    with pytest.raises(OneCServerError) as failed:
        read_pages(transport, collected)
    assert failed.value.retryable and failed.value.http_status == status
    if protocol == "odata" and kind == "http_500":
        assert failed.value.onec_code == "-1"


def test_timeout_is_a_retryable_connection_error(running, faults, protocol):
    transport, collected = fault_on_second_page(
        running, faults, protocol, "timeout", timeout=0.5
    )
    faults.rules()[-1].delay = 2.0
    started = time.monotonic()
    with pytest.raises(OneCConnectionError) as timed_out:
        read_pages(transport, collected)
    assert time.monotonic() - started < 1.8
    assert timed_out.value.retryable and "timed out" in str(timed_out.value)


def test_latency_only_slows_down(running, faults, protocol):
    transport = transport_for(running, protocol)
    faults.add("Контрагент|/ws/", "latency", times=2, delay=0.2)
    started = time.monotonic()
    assert len(flatten(transport.iter_counterparties(page_size=50))) == 35
    assert time.monotonic() - started >= 0.2


def test_expired_password_is_an_auth_error_not_worth_retrying(
    running, faults, protocol
):
    transport = transport_for(running, protocol)
    faults.add(".", "expired_password", times=3)
    with pytest.raises(OneCAuthError) as expired:
        transport.check_connection()
    assert not expired.value.retryable and expired.value.http_status == 401


def test_wrong_password_is_one_sentence_with_the_answer_aside(running, protocol):
    transport = make_transport(
        protocol,
        running.host_url,
        running.publication,
        running.profile,
        username=LOGIN,
        password="wrong",
        timeout=10,
    )
    with pytest.raises(OneCAuthError) as rejected:
        transport.check_connection()
    error = rejected.value
    assert error.message == "1C rejected the login or password"
    # the server's raw answer is kept for the log, not in the sentence
    assert "Ошибка аутентификации" in error.details
    assert "{" not in error.message and error.details in str(error)


@pytest.mark.parametrize("target", ["$metadata", "/ws/"])
def test_dtd_and_external_entities_are_refused(running, faults, target):
    protocol = "odata" if target == "$metadata" else "soap"
    transport = transport_for(running, protocol)
    faults.add(target.replace("$", r"\$"), "xml_entity", times=3)
    with pytest.raises(OneCProtocolError) as refused:
        transport.check_connection()
    assert "passwd" not in str(refused.value)


def test_faults_only_hit_matching_requests(running, faults):
    transport = transport_for(running, "odata")
    rule = faults.add("Document_", "http_500")
    assert len(flatten(transport.iter_counterparties())) == 35
    assert rule.hits == 0


class TestControlApi:
    """Driving a stand-in from another process, over HTTP."""

    @pytest.fixture
    def control(self, running):
        session = requests.Session()
        session.headers["Authorization"] = basic_auth_header(LOGIN, PASSWORD)
        base = f"{running.url}_standin/"
        yield lambda method, path, **kw: session.request(
            method, base + path, timeout=5, **kw
        )
        session.close()

    def test_faults_are_added_listed_and_cleared(self, control, running):
        added = control(
            "POST",
            "faults",
            json={"pattern": "Catalog_", "kind": "http_500", "times": 1},
        )
        assert added.status_code == 200 and added.json()["kind"] == "http_500"
        with pytest.raises(OneCServerError):
            list(transport_for(running, "odata").iter_counterparties())
        control("POST", "faults", json={"pattern": "x", "kind": "latency"})
        assert len(control("GET", "state").json()["faults"]) == 1
        assert control("DELETE", "faults").json() == {"faults": []}

    def test_an_accountant_posts_an_order_and_a_payment_during_a_sync(
        self, control, running
    ):
        transport = transport_for(running, "odata")
        counterparty = running.store.objects("counterparty")[0]["ref"]
        pages = transport.iter_orders(page_size=10)
        first = next(pages)
        order = control(
            "POST",
            "orders",
            json={
                "counterparty_ref": counterparty,
                "amount": "1500.50",
                "date": "2026-01-15T10:00:00",
                "comment": "CRM-42",
            },
        ).json()
        rest = flatten(pages)
        refs = {o.ref for o in first + rest}
        assert order["ref"] in refs or order["ref"] < first[-1].ref  # pages by Ref_Key
        payment = control(
            "POST",
            "payments",
            json={
                "counterparty_ref": counterparty,
                "amount": "500",
                "kind": "cash",
                "order_ref": order["ref"],
            },
        ).json()
        payments = flatten(transport.iter_payments())
        assert any(p.ref == payment["ref"] and p.kind == "cash" for p in payments)
        running.store.mark_deleted("payment_cash", payment["ref"])
        running.store.mark_deleted("order", order["ref"])

    def test_objects_are_changed_and_deletion_marked(self, control, running):
        ref = running.store.objects("counterparty")[1]["ref"]
        before = running.store.get("counterparty", ref)["data_version"]
        changed = control(
            "PATCH", f"objects/counterparty/{ref}", json={"name": "Новое имя"}
        )
        assert (
            changed.json()["name"] == "Новое имя"
            and changed.json()["data_version"] != before
        )
        marked = control("POST", f"objects/counterparty/{ref}/delete").json()
        assert marked["deletion_mark"] is True
        running.store.mark_deleted("counterparty", ref, mark=False)

    def test_a_changed_password_locks_old_credentials_out(self, control, running):
        control("POST", "users", json={"login": "Оператор", "password": "старый"})
        control("POST", "users", json={"login": "Оператор", "password": "новый"})
        answer = requests.get(
            f"{running.url}_standin/state",
            headers={"Authorization": basic_auth_header("Оператор", "старый")},
            timeout=5,
        )
        assert answer.status_code == 401

    def test_control_api_needs_credentials_and_checks_input(self, control, running):
        assert (
            requests.get(f"{running.url}_standin/state", timeout=5).status_code == 401
        )
        bad = control("POST", "faults", json={"pattern": "x", "kind": "nonsense"})
        assert bad.status_code == 400 and "nonsense" in bad.json()["error"]
