"""The SOAP side: a WSDL shaped like 1C's, zeep consuming it as from a real
publication, and the service's business errors as typed errors."""

from datetime import datetime

import pytest
import requests
from helpers import LOGIN, PASSWORD, flatten, transport_for
from lxml import etree

from onec_exchange.errors import (
    OneCAuthError,
    OneCConflict,
    OneCEntityNotPublished,
    OneCValidationError,
)
from onec_exchange.http_client import basic_auth_header
from onec_exchange.soap import SoapTransport
from onec_exchange.soap_contract import MAX_PAGE_SIZE
from onec_exchange.standin import StandIn

WSDL = "{http://schemas.xmlsoap.org/wsdl/}"
XSD = "{http://www.w3.org/2001/XMLSchema}"
OPERATIONS = {
    "TestConnection",
    "GetChanges",
    "GetSettlements",
    "FindCounterparty",
    "CreateCounterparty",
}


@pytest.fixture(scope="module")
def running():
    with StandIn(
        "unf", seed=9, counterparties=25, orders=30, soap_alias="CRMExchange"
    ) as s:
        yield s


def fetch_wsdl(running, auth=True):
    headers = {"Authorization": basic_auth_header(LOGIN, PASSWORD)} if auth else {}
    return requests.get(
        f"{running.url}ws/CRMExchange.1cws?wsdl", headers=headers, timeout=5
    )


def test_wsdl_needs_basic_auth(running):
    assert fetch_wsdl(running, auth=False).status_code == 401
    with pytest.raises(OneCAuthError):
        SoapTransport(running.url, "unf", LOGIN, "wrong", timeout=5).check_connection()


def test_wsdl_has_the_shape_1c_generates(running):
    root = etree.fromstring(fetch_wsdl(running).content)
    schema = root.find(f"{WSDL}types/{XSD}schema")
    assert schema.get("elementFormDefault") == "qualified"
    elements = {e.get("name"): e for e in schema.findall(f"{XSD}element")}
    for operation in OPERATIONS:
        response = elements[f"{operation}Response"]
        assert [e.get("name") for e in response.iter(f"{XSD}element")][1:] == ["return"]
    messages = {m.get("name") for m in root.findall(f"{WSDL}message")}
    assert {f"{op}RequestMessage" for op in OPERATIONS} <= messages
    assert root.find(f"{WSDL}portType").get("name") == "CRMExchangePortType"
    bindings = {b.get("name"): b for b in root.findall(f"{WSDL}binding")}
    assert set(bindings) == {"CRMExchangeSoapBinding", "CRMExchangeSoap12Binding"}
    actions = {
        op.get("soapAction")
        for op in bindings["CRMExchangeSoapBinding"].iter(
            "{http://schemas.xmlsoap.org/wsdl/soap/}operation"
        )
    }
    assert "http://crm-exchange.org/1c#CRMExchange:GetChanges" in actions
    ports = {p.get("name") for p in root.iter(f"{WSDL}port")}
    assert ports == {"CRMExchangeSoap", "CRMExchangeSoap12"}


def test_wsdl_address_is_the_publishing_host(running):
    assert f"{running.url}ws/CRMExchange.1cws" in fetch_wsdl(running).text


@pytest.mark.parametrize("soap_version", ["1.1", "1.2"])
def test_both_bindings_work(running, soap_version):
    transport = SoapTransport(
        running.url, "unf", LOGIN, PASSWORD, timeout=5, soap_version=soap_version
    )
    assert transport.check_connection()["user"] == LOGIN
    assert len(flatten(transport.iter_counterparties(page_size=10))) == 25


def test_address_override_sends_calls_elsewhere(running):
    # the WSDL comes from one host, the calls go where the proxy really is
    with StandIn("unf", seed=99, counterparties=4, orders=2) as elsewhere:
        elsewhere.start  # noqa: B018
        transport = SoapTransport(
            running.url,
            running.profile,
            LOGIN,
            PASSWORD,
            address=f"{elsewhere.url}ws/CRMExchange.1cws",
        )
        records = flatten(transport.iter_counterparties())
    assert len(records) == 4


def test_a_page_size_above_the_contract_limit_is_capped(running):
    # the service refuses a PageSize above its limit: the transport lowers it
    transport = transport_for(running, "soap")
    too_large = MAX_PAGE_SIZE + 1
    assert len(flatten(transport.iter_counterparties(page_size=too_large))) == 25
    assert flatten(transport.iter_items("order", page_size=too_large))
    assert transport.settlements() == flatten(
        transport.iter_settlements(page_size=too_large)
    )


def test_duplicate_creation_is_a_conflict(running):
    transport = transport_for(running, "soap")
    existing = next(
        c for c in running.store.objects("counterparty") if not c["is_person"]
    )
    with pytest.raises(OneCConflict) as conflict:
        transport.create_counterparty("Дубль", existing["inn"], existing["kpp"])
    assert conflict.value.onec_code == "CONFLICT"


def test_service_side_validation_is_a_validation_error(running):
    transport = transport_for(running, "soap")
    with pytest.raises(OneCValidationError) as invalid:
        transport._call(
            "CreateCounterparty",
            Name="X",
            FullName=None,
            INN="123",
            KPP=None,
            IsPerson=False,
        )
    assert invalid.value.onec_code == "VALIDATION" and not invalid.value.retryable


def test_unknown_stream_is_reported(running):
    transport = transport_for(running, "soap")
    with pytest.raises(OneCEntityNotPublished):
        list(
            transport._paged(
                "GetChanges",
                "Documents",
                lambda item: item,
                Entity="Invoices",
                Since=None,
                PageSize=5,
            )
        )


def test_soap_and_odata_return_the_same_records(running):
    odata, soap = transport_for(running, "odata"), transport_for(running, "soap")
    assert flatten(odata.iter_counterparties()) == flatten(soap.iter_counterparties())
    by_ref = {o.ref: o for o in flatten(odata.iter_orders())}
    for order in flatten(soap.iter_orders(page_size=7)):
        twin = by_ref[order.ref]
        assert (order.amount, order.date, order.counterparty_ref, order.lines) == (
            twin.amount,
            twin.date,
            twin.counterparty_ref,
            twin.lines,
        )


def test_counterparties_ignore_since(running):
    transport = transport_for(running, "soap")
    assert len(flatten(transport.iter_counterparties(since=datetime(2030, 1, 1)))) == 25
