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
)
from .http_client import DEFAULT_TIMEOUT, connection_error, make_session, status_error
from .records import Counterparty, DocumentLine, Order, Payment, Settlement, Shipment
from .requisites import is_valid_inn, is_valid_kpp, validate_requisites
from .rows import RowReader
from .soap_contract import MAX_PAGE_SIZE, NAMESPACE, SERVICE
from .transport import Transport

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


def parse_counterparty(obj, entity):
    """A :class:`Counterparty` from the service's ``Counterparty``."""
    value = RowReader(obj, entity, key_field="Ref")
    return Counterparty(
        ref=value.required_ref("Ref"),
        entity=entity,
        name=value.text("Name"),
        full_name=value.text("FullName", optional=True),
        inn=value.text("INN"),
        kpp=value.text("KPP", optional=True),
        is_person=value.boolean("IsPerson"),
        partner_ref=value.ref("PartnerRef", optional=True),
        head_ref=value.ref("HeadRef", optional=True),
        deletion_mark=value.boolean("DeletionMark"),
        data_version=value.text("DataVersion"),
    )


def _lines(value):
    lines = []
    for line in value.rows("Lines", optional=True):
        row = RowReader(line, value.entity)
        row.key = value.key
        lines.append(
            DocumentLine(
                line_number=row.line_number(),
                product_ref=row.ref("ProductRef", optional=True),
                quantity=row.decimal("Quantity"),
                price=row.decimal("Price"),
                amount=row.decimal("Amount"),
            )
        )
    return tuple(lines)


def parse_document(obj, entities):
    """An Order, Shipment or Payment according to the document's ``Kind``.

    ``entities`` maps a kind (order, shipment, bank, cash) to the profile's
    entity set, so records look the same whichever transport read them.
    """
    value = RowReader(obj, "Documents", key_field="Ref")
    kind = value.text("Kind")
    if kind not in entities:
        value.fail("Kind", f"unknown document kind {kind[:30]!r}")
    value.entity = entities[kind]
    common = {
        "ref": value.required_ref("Ref"),
        "entity": value.entity,
        "number": value.text("Number"),
        "date": value.date("Date"),
        "counterparty_ref": value.ref("CounterpartyRef", optional=True),
        "amount": value.decimal("Amount"),
        "currency": value.text("Currency"),
        "posted": value.boolean("Posted"),
        "deletion_mark": value.boolean("DeletionMark"),
        "data_version": value.text("DataVersion"),
    }
    if kind == "order":
        return Order(
            **common,
            status=value.text("Status", optional=True),
            comment=value.text("Comment", optional=True),
            lines=_lines(value),
        )
    order_ref = value.ref("OrderRef", optional=True)
    if kind == "shipment":
        return Shipment(**common, order_ref=order_ref, lines=_lines(value))
    return Payment(**common, kind=kind, order_ref=order_ref)


def parse_settlement(obj, as_of):
    value = RowReader(obj, "Settlements", key_field="CounterpartyRef")
    return Settlement(
        counterparty_ref=value.required_ref("CounterpartyRef"),
        balance=value.decimal("Balance"),
        currency=value.text("Currency"),
        as_of=as_of,
        overdue=value.decimal("Overdue", optional=True),
        partner_ref=value.ref("PartnerRef", optional=True),
    )


class SoapTransport(Transport):
    """Talks to the CRMExchange web service of a 1C publication."""

    protocol = "soap"
    max_page_size = MAX_PAGE_SIZE

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
        value = RowReader(info, "TestConnection")
        return {
            "protocol": self.protocol,
            "url": self.wsdl_url,
            "profile": self.profile.name,
            "service_version": value.text("ServiceVersion"),
            "configuration": value.text("Configuration"),
            "configuration_version": value.text("ConfigurationVersion"),
            "user": value.text("InfobaseUser"),
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
