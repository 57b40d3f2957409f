"""Transport over the CRMExchange SOAP web service (zeep).

The WSDL is read from the publication (``<root>ws/<alias>.1cws?wsdl``) with
Basic auth, exactly as from a real 1C; ``address`` overrides the endpoint
written inside it (1C writes the host it was published on, which is wrong
behind a proxy). The contract is ``wsdl/CRMExchange.wsdl``, explained for
the 1C programmer in ``docs/1c-soap-service.md``.

XML is parsed by zeep's lxml with DTDs, entities and external resources
forbidden. SOAP faults whose text starts with ``CRM-<CODE>:`` become typed
errors (VALIDATION, NOT_FOUND, CONFLICT, UNKNOWN_ENTITY...); any other fault
is a retryable server error.
"""

import re
from datetime import datetime
from decimal import Decimal

import requests
import zeep
import zeep.exceptions
from lxml import etree
from zeep.helpers import serialize_object

from .errors import (
    OneCConflict,
    OneCEntityNotPublished,
    OneCNotFound,
    OneCProtocolError,
    OneCRequestError,
    OneCServerError,
    OneCValidationError,
    bad_record,
)
from .http_client import DEFAULT_TIMEOUT, connection_error, make_session, status_error
from .odata_parsers import GUID
from .records import Counterparty, DocumentLine, Order, Payment, Settlement, Shipment
from .requisites import is_valid_inn, is_valid_kpp, validate_requisites
from .transport import Transport

NAMESPACE = "http://crm-exchange.org/1c"
SERVICE = "CRMExchange"
BINDINGS = {
    "1.2": f"{{{NAMESPACE}}}{SERVICE}Soap12Binding",
    "1.1": f"{{{NAMESPACE}}}{SERVICE}SoapBinding",
}
# GetChanges' Entity and answer list of each stream
STREAM_ENTITIES = {
    "counterparty": ("Counterparties", "Counterparties"),
    "order": ("Orders", "Documents"),
    "shipment": ("Shipments", "Documents"),
    "payment": ("Payments", "Documents"),
}
_FAULT_CODE = re.compile(r"^CRM-([A-Z_]+):\s*(.*)$", re.DOTALL)
_FAULT_ERRORS = {
    "VALIDATION": OneCValidationError,
    "NOT_FOUND": OneCNotFound,
    "CONFLICT": OneCConflict,
    "UNKNOWN_ENTITY": OneCEntityNotPublished,
    "UNKNOWN_OPERATION": OneCEntityNotPublished,
    "BAD_REQUEST": OneCRequestError,
}


def fault_error(fault, operation, http_status=None):
    """The typed error for a SOAP fault of ``operation``."""
    text = str(fault.message or "")
    match = _FAULT_CODE.match(text)
    if not match:
        return OneCServerError(
            f"{operation}: 1C raised {text[:300]}",
            entity=operation,
            http_status=http_status,
        )
    code, message = match.groups()
    error_class = _FAULT_ERRORS.get(code, OneCServerError)
    return error_class(
        f"{operation}: {message[:300]}",
        entity=operation,
        http_status=http_status,
        onec_code=code,
        retryable=error_class is OneCServerError,
    )


class _Required:
    """Checked access to a zeep object: a missing or wrong value makes the
    record malformed (the strict readers fail its page, ``iter_items`` keeps
    it with the reason)."""

    def __init__(self, obj, entity):
        self.obj = obj
        self.entity = entity
        self.key = getattr(obj, "Ref", None) if obj is not None else None

    def get(self, name, kind, required=True):
        value = getattr(self.obj, name, None) if self.obj is not None else None
        if value is None:
            if required:
                self.fail(f"{name} is missing")
            return None
        if not isinstance(value, kind) or isinstance(value, bool) != (kind is bool):
            self.fail(f"{name} has type {type(value).__name__}")
        return value

    def ref(self, name, required=True):
        """A 1C reference (a GUID, lowercased)."""
        value = self.get(name, str, required)
        if value is None:
            return None
        if not GUID.fullmatch(value):
            self.fail(f"{name} is not a 1C reference: {value[:50]!r}")
        return value.lower()

    def fail(self, problem):
        raise bad_record(self.entity, self.key, problem)


def parse_counterparty(obj, entity):
    """A :class:`Counterparty` from the service's ``Counterparty``."""
    value = _Required(obj, entity)
    return Counterparty(
        ref=value.ref("Ref"),
        entity=entity,
        name=value.get("Name", str),
        full_name=value.get("FullName", str, required=False) or "",
        inn=value.get("INN", str),
        kpp=value.get("KPP", str, required=False) or "",
        is_person=value.get("IsPerson", bool),
        partner_ref=value.ref("PartnerRef", required=False),
        head_ref=value.ref("HeadRef", required=False),
        deletion_mark=value.get("DeletionMark", bool),
        data_version=value.get("DataVersion", str),
    )


def _lines(value):
    lines = []
    rows = getattr(value.obj, "Lines", None) or []
    if not isinstance(rows, list):
        value.fail("Lines is not a list")
    for line in rows:
        row = _Required(line, value.entity)
        row.key = value.key
        lines.append(
            DocumentLine(
                line_number=row.get("LineNumber", int),
                product_ref=row.ref("ProductRef", required=False),
                quantity=row.get("Quantity", Decimal),
                price=row.get("Price", Decimal),
                amount=row.get("Amount", Decimal),
            )
        )
    return tuple(lines)


def parse_document(obj, entities):
    """An Order, Shipment or Payment according to the document's ``Kind``.

    ``entities`` maps a kind (order, shipment, bank, cash) to the profile's
    entity set, so records look the same whichever transport read them.
    """
    value = _Required(obj, "Documents")
    kind = value.get("Kind", str)
    if kind not in entities:
        value.fail(f"unknown document kind {kind[:30]!r}")
    value.entity = entities[kind]
    common = {
        "ref": value.ref("Ref"),
        "entity": value.entity,
        "number": value.get("Number", str),
        "date": value.get("Date", datetime),
        "counterparty_ref": value.ref("CounterpartyRef", required=False),
        "amount": value.get("Amount", Decimal),
        "currency": value.get("Currency", str),
        "posted": value.get("Posted", bool),
        "deletion_mark": value.get("DeletionMark", bool),
        "data_version": value.get("DataVersion", str),
    }
    if kind == "order":
        return Order(
            **common,
            status=value.get("Status", str, required=False) or "",
            comment=value.get("Comment", str, required=False) or "",
            lines=_lines(value),
        )
    order_ref = value.ref("OrderRef", required=False)
    if kind == "shipment":
        return Shipment(**common, order_ref=order_ref, lines=_lines(value))
    return Payment(**common, kind=kind, order_ref=order_ref)


def parse_settlement(obj, as_of):
    value = _Required(obj, "Settlements")
    value.key = getattr(obj, "CounterpartyRef", None)
    return Settlement(
        counterparty_ref=value.ref("CounterpartyRef"),
        balance=value.get("Balance", Decimal),
        currency=value.get("Currency", str),
        as_of=as_of,
        overdue=value.get("Overdue", Decimal, required=False),
        partner_ref=value.ref("PartnerRef", required=False),
    )


class SoapTransport(Transport):
    """Talks to the CRMExchange web service of a 1C publication."""

    protocol = "soap"

    def __init__(
        self,
        root_url,
        profile,
        username,
        password,
        *,
        timeout=DEFAULT_TIMEOUT,
        alias=SERVICE,
        address=None,
        soap_version="1.2",
    ):
        super().__init__(profile)
        self.wsdl_url = f"{root_url}ws/{alias}.1cws?wsdl"
        self.address = address
        self.timeout = timeout
        self.binding = BINDINGS[soap_version]
        self.session = make_session(username, password)
        self._last_status = None
        # zeep's faults do not carry the HTTP status: remember it here
        self.session.hooks["response"].append(self._remember_status)
        self._service = None
        self.counterparty_entity = self.profile.section("counterparty")["entity"]
        self.document_entities = {
            "order": self.profile.section("order")["entity"],
            "shipment": self.profile.section("shipment")["entity"],
            **{
                kind: section["entity"]
                for kind, section in self.profile.payment_sections()
            },
        }

    # ---- zeep plumbing ----------------------------------------------------------

    @property
    def service(self):
        """The zeep service proxy, built from the WSDL on first use."""
        if self._service is None:
            self._service = self._guard("WSDL", self._build_service)
        return self._service

    def _build_service(self):
        transport = zeep.Transport(
            session=self.session, timeout=self.timeout, operation_timeout=self.timeout
        )
        settings = zeep.Settings(
            strict=True,
            forbid_dtd=True,
            forbid_entities=True,
            forbid_external=True,
            xml_huge_tree=False,
        )
        client = zeep.Client(self.wsdl_url, transport=transport, settings=settings)
        address = self.address or self._wsdl_address(client)
        return client.create_service(self.binding, address)

    def _wsdl_address(self, client):
        port = "Soap12" if self.binding.endswith("Soap12Binding") else "Soap"
        return (
            client.wsdl.services[SERVICE]
            .ports[f"{SERVICE}{port}"]
            .binding_options["address"]
        )

    def _remember_status(self, response, *_args, **_kwargs):
        self._last_status = response.status_code

    def _guard(self, operation, call, *args, **kwargs):
        """Run a zeep call, turning every failure into a typed error."""
        try:
            return call(*args, **kwargs)
        except zeep.exceptions.Fault as fault:
            if self._last_status not in (200, 500):
                # not 1C's fault but a proxy's page that happened to parse
                raise status_error(
                    self._last_status,
                    b"",
                    entity=operation,
                    publication_url=self.wsdl_url,
                ) from fault
            raise fault_error(fault, operation, self._last_status) from fault
        except zeep.exceptions.TransportError as error:
            if error.status_code < 400:
                raise OneCProtocolError(
                    f"{operation}: unreadable answer: {str(error)[:200]}",
                    entity=operation,
                    http_status=error.status_code,
                ) from error
            raise status_error(
                error.status_code,
                error.content or b"",
                entity=operation,
                publication_url=self.wsdl_url,
            ) from error
        except requests.HTTPError as error:
            response = error.response
            raise status_error(
                response.status_code,
                response.content,
                entity=operation,
                publication_url=self.wsdl_url,
            ) from error
        except requests.RequestException as error:
            raise connection_error(error, self.wsdl_url) from error
        except (zeep.exceptions.Error, etree.LxmlError, ValueError) as error:
            # malformed or cut-off XML, DTD/entities, answers not matching the WSDL
            raise OneCProtocolError(
                f"{operation}: unusable answer: {error}", entity=operation
            ) from error

    def _call(self, operation, **params):
        return self._guard(operation, getattr(self.service, operation), **params)

    # ---- interface ---------------------------------------------------------------

    def check_connection(self):
        info = self._call("TestConnection")
        value = _Required(info, "TestConnection")
        return {
            "protocol": self.protocol,
            "url": self.wsdl_url,
            "profile": self.profile.name,
            "service_version": value.get("ServiceVersion", str),
            "configuration": value.get("Configuration", str),
            "configuration_version": value.get("ConfigurationVersion", str),
            "user": value.get("InfobaseUser", str),
        }

    def _raw_pages(self, operation, list_field, **params):
        """Pages of the service's objects, following ``NextCursor`` until it
        is empty."""
        cursor = None
        while True:
            page = self._call(operation, Cursor=cursor, **params)
            objects = list(page[list_field] or ())
            if objects:
                yield objects
            cursor = page["NextCursor"]
            if not cursor:
                return

    def _paged(self, operation, list_field, parse, **params):
        for objects in self._raw_pages(operation, list_field, **params):
            yield [parse(obj) for obj in objects]

    def _raw_stream(self, stream, since, page_size):
        """GetChanges of the stream, paged."""
        entity, list_field = STREAM_ENTITIES[stream]
        if stream == "counterparty":

            def parse(obj):
                return parse_counterparty(obj, self.counterparty_entity)

        else:

            def parse(obj):
                return parse_document(obj, self.document_entities)

        pages = self._raw_pages(
            "GetChanges", list_field, Entity=entity, Since=since, PageSize=page_size
        )
        for objects in pages:
            yield parse, objects

    def _payload(self, raw):
        return serialize_object(raw, dict)

    def fetch_items(self, stream, refs):
        return []  # the CRMExchange contract has no read by reference

    def _iter_balances(self, as_of, page_size, counterparties=None):
        def parse(item):
            return parse_settlement(item, as_of)

        if counterparties is not None and not counterparties:
            return
        yield from self._paged(
            "GetSettlements",
            "Settlements",
            parse,
            AsOf=as_of,
            PageSize=page_size,
            # refs separated by spaces: a plain string is simplest in 1C
            Counterparties=" ".join(counterparties) if counterparties else None,
        )

    def find_counterparty(self, inn, kpp=None):
        if not is_valid_inn(inn) or (kpp and not is_valid_kpp(kpp)):
            return []
        found = self._call("FindCounterparty", INN=inn, KPP=kpp or None)
        # zeep unwraps a type holding a single list into the list itself
        items = (
            found if isinstance(found, list) else getattr(found, "Counterparties", None)
        )
        return [
            parse_counterparty(item, self.counterparty_entity) for item in items or ()
        ]

    def create_counterparty(self, name, inn, kpp=None, is_person=False, full_name=None):
        validate_requisites(inn, kpp or "", is_person)
        created = self._call(
            "CreateCounterparty",
            Name=name,
            FullName=full_name or name,
            INN=inn,
            KPP=kpp or None,
            IsPerson=bool(is_person),
        )
        return parse_counterparty(created, self.counterparty_entity)

    def close(self):
        self.session.close()
