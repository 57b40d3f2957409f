"""The stand-in's SOAP web service: what a 1C programmer's extension serves.

``GET  ws/<alias>.1cws?wsdl`` gives the WSDL with this host's address;
``POST ws/<alias>.1cws`` takes SOAP 1.1 or 1.2 envelopes. Requests are parsed
without DTDs, entities or network access. Business errors are SOAP faults
whose text starts with ``CRM-<CODE>:`` as docs/1c-soap-service.md asks.
"""

import bisect
from datetime import datetime
from decimal import Decimal

from lxml import etree

from ..errors import OneCValidationError
from ..records import ISO_CURRENCIES, NATIONAL_CURRENCY
from ..requisites import validate_requisites
from ..soap_contract import MAX_PAGE_SIZE, NAMESPACE, SERVICE, WSDL_FILE
from .store import StoreError

WSDL_ADDRESS = f"http://localhost/base/ws/{SERVICE}.1cws"  # as in the file
XSI = "http://www.w3.org/2001/XMLSchema-instance"
ENVELOPES = {
    "http://schemas.xmlsoap.org/soap/envelope/": "text/xml;charset=utf-8",
    "http://www.w3.org/2003/05/soap-envelope": "application/soap+xml;charset=utf-8",
}
STREAMS = {
    "Counterparties": ("counterparty",),
    "Orders": ("order",),
    "Shipments": ("shipment",),
    "Payments": ("payment_bank", "payment_cash"),
}
DOCUMENT_KIND = {
    "order": "order",
    "shipment": "shipment",
    "payment_bank": "bank",
    "payment_cash": "cash",
}
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
)


class SoapFault(Exception):
    """Answered as a SOAP fault; ``code`` goes in front of the text."""

    def __init__(self, code, message, sender=False):
        super().__init__(f"CRM-{code}: {message}")
        self.sender = sender


class SoapApp:
    """The CRMExchange service over a store."""

    def __init__(self, store, profile, root_url, alias):
        self.store = store
        self.profile = profile
        self.alias = alias
        self.address = f"{root_url}ws/{alias}.1cws"
        self._cache = {}
        self.fields = profile.section("counterparty")["fields"]

    def handle(self, method, resource, query, body, login=""):
        """``(status, content type, body)`` for ``ws/...`` requests."""
        if resource not in (f"{self.alias}.1cws", self.alias):
            return 404, "text/html", b"<html><body>404 Not Found</body></html>"
        if method == "GET" and "wsdl" in {name.lower() for name in query}:
            wsdl = WSDL_FILE.read_text(encoding="utf-8").replace(
                WSDL_ADDRESS, self.address
            )
            return 200, "text/xml;charset=utf-8", wsdl.encode("utf-8")
        if method != "POST":
            return 405, "text/plain", b"POST a SOAP envelope or GET ?wsdl"
        return self._call(body, login)

    # ---- envelopes -------------------------------------------------------------

    def _call(self, body, login):
        try:
            envelope_ns, operation, params = _read_envelope(body)
        except SoapFault as fault:
            return _fault_answer(next(iter(ENVELOPES)), fault)
        handler = getattr(self, f"op_{operation}", None)
        try:
            if handler is None:
                raise SoapFault("UNKNOWN_OPERATION", operation, sender=True)
            result = handler(params, login)
        except SoapFault as fault:
            return _fault_answer(envelope_ns, fault)
        except StoreError as error:
            return _fault_answer(envelope_ns, SoapFault("NOT_FOUND", str(error)))
        return 200, ENVELOPES[envelope_ns], _envelope(envelope_ns, operation, result)

    # ---- operations ------------------------------------------------------------

    def op_TestConnection(self, params, login):
        return [
            ("ServiceVersion", "1.0"),
            ("Configuration", self.profile.data.get("title", self.profile.name)),
            ("ConfigurationVersion", "stand-in"),
            ("InfobaseUser", login),
            ("ServerTime", datetime.now().replace(microsecond=0)),
        ]

    def op_GetChanges(self, params, _login):
        entity = params.get("Entity")
        if entity not in STREAMS:
            raise SoapFault(
                "UNKNOWN_ENTITY", f"{entity!r}; one of {list(STREAMS)}", True
            )
        since = _datetime(params.get("Since"))
        items = self._stream(entity, since)
        page, next_cursor = _page(items, params)
        if entity == "Counterparties":
            content = [
                ("Counterparties", _counterparty(obj, self.fields)) for obj in page
            ]
        else:
            content = [("Documents", self._document(obj)) for obj in page]
        return [*content, ("NextCursor", next_cursor)]

    def op_GetSettlements(self, params, _login):
        as_of = _datetime(params.get("AsOf"))
        wanted = set((params.get("Counterparties") or "").lower().split())
        items = [
            {"ref": ref, "balance": balance}
            for ref, balance in sorted(self.store.receivables(as_of).items())
            if not wanted or ref in wanted
        ]
        page, next_cursor = _page(items, params)
        content = [("Settlements", self._settlement(item)) for item in page]
        return [*content, ("NextCursor", next_cursor)]

    def op_FindCounterparty(self, params, _login):
        return [
            ("Counterparties", _counterparty(obj, self.fields))
            for obj in self._find(params.get("INN") or "", params.get("KPP"))
        ]

    def op_CreateCounterparty(self, params, _login):
        inn, kpp = params.get("INN") or "", params.get("KPP") or ""
        is_person = params.get("IsPerson") == "true"
        try:
            validate_requisites(inn, kpp, is_person)
        except OneCValidationError as error:
            raise SoapFault("VALIDATION", str(error), sender=True) from error
        if self._find(inn, kpp or None):
            raise SoapFault(
                "CONFLICT", f"a counterparty with INN {inn} KPP {kpp} exists"
            )
        partner = self.store.insert(
            "partner",
            {
                "name": params["Name"],
                "full_name": params.get("FullName") or params["Name"],
                "is_client": True,
            },
        )
        obj = self.store.insert(
            "counterparty",
            {
                "name": params["Name"],
                "full_name": params.get("FullName") or params["Name"],
                "inn": inn,
                "kpp": kpp,
                "is_person": is_person,
                "partner_ref": partner["ref"],
            },
        )
        return _counterparty(obj, self.fields)

    # ---- data ------------------------------------------------------------------

    def _find(self, inn, kpp):
        return [
            obj
            for obj in self.store.objects("counterparty")
            if obj["inn"] == inn
            and not obj["deletion_mark"]
            and (not kpp or obj["kpp"] == kpp)
        ]

    def _stream(self, entity, since):
        """Objects of a stream dated ``since`` or later, in ``Ref`` order."""
        key = (entity, since, self.store.revision)
        if key not in self._cache:
            kinds = STREAMS[entity]
            # catalogs have no date: Since does not apply to counterparties
            since = None if entity == "Counterparties" else since
            if since is None and len(kinds) == 1:
                items = self.store.objects(kinds[0])  # already in Ref order
            else:
                items = [
                    obj
                    for kind in kinds
                    for obj in self.store.objects(kind)
                    if since is None or obj["date"] >= since
                ]
                items.sort(key=lambda obj: obj["ref"])
            self._cache = {key: items}  # one stream at a time is enough here
        return self._cache[key]

    def _currency(self, ref):
        currency = self.store.get("currency", ref) if ref else None
        if currency is None:
            return NATIONAL_CURRENCY
        return ISO_CURRENCIES.get(currency["code"], currency["name"])

    def _document(self, obj):
        kind = DOCUMENT_KIND[_kind_of(self.store, obj)]
        lines = [
            ("Lines", _line(number, line))
            for number, line in enumerate(obj.get("lines", ()), 1)
        ]
        return [
            ("Ref", obj["ref"]),
            ("Kind", kind),
            ("Number", obj["number"]),
            ("Date", obj["date"]),
            ("CounterpartyRef", obj.get("counterparty_ref")),
            ("OrderRef", obj.get("order_ref")),
            ("Amount", obj["amount"]),
            ("Currency", self._currency(obj.get("currency_ref"))),
            ("Status", obj.get("status")),
            ("Comment", obj.get("comment")),
            ("Posted", obj["posted"]),
            ("DeletionMark", obj["deletion_mark"]),
            ("DataVersion", obj["data_version"]),
            *lines,
        ]

    def _settlement(self, item):
        counterparty = self.store.get("counterparty", item["ref"]) or {}
        return [
            ("CounterpartyRef", item["ref"]),
            (
                "PartnerRef",
                counterparty.get("partner_ref") if self.fields.get("partner") else None,
            ),
            ("Balance", item["balance"]),
            ("Overdue", None),
            ("Currency", NATIONAL_CURRENCY),
        ]


def _kind_of(store, obj):
    for kind in DOCUMENT_KIND:
        if store.get(kind, obj["ref"]) is obj:
            return kind
    raise SoapFault("NOT_FOUND", f"document {obj['ref']}")


def _counterparty(obj, fields):
    """The service's Counterparty; refs the configuration lacks stay empty."""
    return [
        ("Ref", obj["ref"]),
        ("Name", obj["name"]),
        ("FullName", obj.get("full_name")),
        ("INN", obj["inn"]),
        ("KPP", obj.get("kpp") or None),
        ("IsPerson", obj["is_person"]),
        ("PartnerRef", obj.get("partner_ref") if fields.get("partner") else None),
        ("HeadRef", obj.get("head_ref") if fields.get("head") else None),
        ("DeletionMark", obj["deletion_mark"]),
        ("DataVersion", obj["data_version"]),
    ]


def _line(number, line):
    return [
        ("LineNumber", number),
        ("ProductRef", line.get("product_ref")),
        ("Quantity", line["quantity"]),
        ("Price", line["price"]),
        ("Amount", line["amount"]),
    ]


def _page(items, params):
    """Keyset paging: items after ``Cursor`` (a ref), ``PageSize`` of them."""
    try:
        size = int(params.get("PageSize") or 0)
    except ValueError as error:
        raise SoapFault("VALIDATION", "PageSize must be a number", True) from error
    if not 0 < size <= MAX_PAGE_SIZE:
        raise SoapFault("VALIDATION", f"PageSize must be 1..{MAX_PAGE_SIZE}", True)
    cursor = params.get("Cursor") or ""
    refs = _RefView(items)
    start = bisect.bisect_right(refs, cursor) if cursor else 0
    page = items[start : start + size]
    more = start + size < len(items)
    return page, page[-1]["ref"] if page and more else None


class _RefView:
    """A sequence of refs over items, for bisect without copying."""

    def __init__(self, items):
        self.items = items

    def __len__(self):
        return len(self.items)

    def __getitem__(self, index):
        return self.items[index]["ref"]


def _datetime(text):
    if not text:
        return None
    try:
        return datetime.fromisoformat(text[:19])
    except ValueError as error:
        raise SoapFault("VALIDATION", f"bad dateTime {text!r}", True) from error


def _read_envelope(body):
    """``(envelope namespace, operation, {param: text or None})``."""
    try:
        root = etree.fromstring(body, parser=_PARSER)
    except etree.XMLSyntaxError as error:
        raise SoapFault("BAD_REQUEST", f"malformed XML: {error}", True) from error
    if root.getroottree().docinfo.doctype:
        raise SoapFault("BAD_REQUEST", "DTDs are not accepted", True)
    envelope_ns = etree.QName(root).namespace
    if envelope_ns not in ENVELOPES:
        raise SoapFault("BAD_REQUEST", "not a SOAP envelope", True)
    request = root.find(f"{{{envelope_ns}}}Body/*")
    if request is None:
        raise SoapFault("BAD_REQUEST", "empty SOAP body", True)
    params = {}
    for element in (request, *request):
        _require_qualified(element)
    for child in request:
        nil = child.get(f"{{{XSI}}}nil") == "true"
        params[etree.QName(child).localname] = None if nil else (child.text or "")
    return envelope_ns, etree.QName(request).localname, params


def _require_qualified(element):
    """The WSDL's schema says ``elementFormDefault="qualified"``: 1C's XDTO
    refuses an operation or parameter element outside its namespace."""
    if not isinstance(element.tag, str):
        return  # a comment or processing instruction
    name = etree.QName(element)
    if name.namespace != NAMESPACE:
        raise SoapFault(
            "BAD_REQUEST",
            f"element {name.localname} must be in namespace {NAMESPACE} "
            '(elementFormDefault="qualified")',
            sender=True,
        )


def _append(parent, name, value):
    element = etree.SubElement(parent, f"{{{NAMESPACE}}}{name}")
    if value is None:
        element.set(f"{{{XSI}}}nil", "true")
    elif isinstance(value, list):
        for child_name, child_value in value:
            _append(element, child_name, child_value)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif isinstance(value, datetime):
        element.text = value.strftime("%Y-%m-%dT%H:%M:%S")
    elif isinstance(value, Decimal):
        element.text = format(value, "f")
    else:
        element.text = str(value)


def _envelope(envelope_ns, operation, result):
    envelope = etree.Element(
        f"{{{envelope_ns}}}Envelope",
        nsmap={"soap": envelope_ns, "m": NAMESPACE, "xsi": XSI},
    )
    body = etree.SubElement(envelope, f"{{{envelope_ns}}}Body")
    response = etree.SubElement(body, f"{{{NAMESPACE}}}{operation}Response")
    _append(response, "return", result)
    return etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")


def _fault_answer(envelope_ns, fault):
    soap12 = envelope_ns.startswith("http://www.w3.org")
    envelope = etree.Element(f"{{{envelope_ns}}}Envelope", nsmap={"soap": envelope_ns})
    body = etree.SubElement(envelope, f"{{{envelope_ns}}}Body")
    element = etree.SubElement(body, f"{{{envelope_ns}}}Fault")
    if soap12:
        code = etree.SubElement(element, f"{{{envelope_ns}}}Code")
        value = etree.SubElement(code, f"{{{envelope_ns}}}Value")
        value.text = f"soap:{'Sender' if fault.sender else 'Receiver'}"
        reason = etree.SubElement(element, f"{{{envelope_ns}}}Reason")
        text = etree.SubElement(reason, f"{{{envelope_ns}}}Text")
        text.set("{http://www.w3.org/XML/1998/namespace}lang", "ru")
        text.text = str(fault)
    else:
        etree.SubElement(
            element, "faultcode"
        ).text = f"soap:{'Client' if fault.sender else 'Server'}"
        etree.SubElement(element, "faultstring").text = str(fault)
    answer = etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")
    return 500, ENVELOPES[envelope_ns], answer
