"""The stand-in's SOAP service reads envelopes as 1C's XDTO does: the WSDL
says ``elementFormDefault="qualified"``, so an operation or a parameter
outside the service's namespace is the client's fault."""

import pytest
import requests
from helpers import LOGIN, PASSWORD
from lxml import etree

from onec_exchange.http_client import basic_auth_header
from onec_exchange.soap_contract import NAMESPACE
from onec_exchange.standin import StandIn

SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"


@pytest.fixture(scope="module")
def running():
    with StandIn("ut11", seed=4, counterparties=5, orders=5) as standin:
        yield standin


def call(standin, body):
    envelope = (
        f'<soap:Envelope xmlns:soap="{SOAP11}" xmlns:m="{NAMESPACE}">'
        f"<soap:Body>{body}</soap:Body></soap:Envelope>"
    )
    return requests.post(
        f"{standin.url}ws/CRMExchange.1cws",
        data=envelope.encode(),
        headers={
            "Authorization": basic_auth_header(LOGIN, PASSWORD),
            "Content-Type": "text/xml;charset=utf-8",
            "SOAPAction": f"{NAMESPACE}#CRMExchange:GetChanges",
        },
        timeout=10,
    )


def fault_of(answer):
    root = etree.fromstring(answer.content)
    return root.find(f"{{{SOAP11}}}Body/{{{SOAP11}}}Fault")


def test_qualified_parameters_are_read(running):
    answer = call(
        running,
        "<m:GetChanges><m:Entity>Orders</m:Entity><m:PageSize>2</m:PageSize>"
        "</m:GetChanges>",
    )
    assert answer.status_code == 200, answer.text
    assert b"GetChangesResponse" in answer.content


@pytest.mark.parametrize(
    "body",
    [
        # a parameter without the namespace (what elementFormDefault forbids)
        "<m:GetChanges><Entity>Orders</Entity><m:PageSize>2</m:PageSize>"
        "</m:GetChanges>",
        # the operation itself outside the namespace
        "<GetChanges><Entity>Orders</Entity><PageSize>2</PageSize></GetChanges>",
        # a parameter in another namespace
        '<m:GetChanges><x:Entity xmlns:x="urn:other">Orders</x:Entity>'
        "<m:PageSize>2</m:PageSize></m:GetChanges>",
    ],
)
def test_unqualified_elements_are_a_client_fault(running, body):
    answer = call(running, body)
    assert answer.status_code == 500
    fault = fault_of(answer)
    assert fault.findtext("faultcode") == "soap:Client"
    assert "qualified" in fault.findtext("faultstring")
