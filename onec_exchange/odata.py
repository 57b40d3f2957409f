"""Transport over 1C's OData standard interface (``standard.odata``).

Pages are read with ``$orderby=Ref_Key`` and ``$top``/``$skip`` (1C has no
server-side cursor; a stable order keeps pages consistent while 1C users
keep working, and the caller's overlap and DataVersion check absorb the
rest). Every row of a page is parsed before the page is yielded.

Receivables are read per profile kind by
:mod:`onec_exchange.odata_receivables`; conditions and literals are built by
:mod:`onec_exchange.odata_query`.
"""

import json
from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from .errors import (
    OneCEntityNotPublished,
    OneCError,
    OneCProtocolError,
    format_error,
)
from .http_client import DEFAULT_TIMEOUT, HttpClient
from .odata_parsers import (
    parse_counterparty,
    parse_order,
    parse_payment,
    parse_shipment,
)
from .odata_query import odata_datetime, odata_string, ref_conditions
from .odata_receivables import SalesTurnovers, overdue_debts, receivables_reader
from .records import ISO_CURRENCIES, NATIONAL_CURRENCY
from .requisites import is_valid_inn, is_valid_kpp, validate_requisites
from .rows import RowReader
from .transport import DEFAULT_PAGE_SIZE, Transport, read_item

ODATA_PATH = "odata/standard.odata/"
TURNOVER_PAGE_SIZE = 5000  # two short columns per customer: fewer requests
_EDM = "{http://schemas.microsoft.com/ado/2009/11/edm}"


_JSON_ASKED = {"Accept": "application/json"}


def is_xml_answer(content, content_type):
    """Whether an answer is Atom/XML (by its type, else by its first byte)."""
    if content_type and "xml" in content_type.lower():
        return True
    return content.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def decode_json(content, entity, content_type=None):
    """The decoded answer; malformed or cut-off JSON is a protocol error, an
    Atom/XML answer a :class:`~onec_exchange.errors.OneCFormatError`."""
    if is_xml_answer(content, content_type):
        raise format_error(entity, content_type)
    try:
        return json.loads(content, parse_float=Decimal)
    except (ValueError, RecursionError) as error:
        raise OneCProtocolError(
            f"malformed JSON from 1C for {entity}: {error}", entity=entity
        ) from error


def collection_rows(answer, entity):
    """The ``value`` list of a collection answer, checked."""
    rows = answer.get("value") if isinstance(answer, dict) else None
    if not isinstance(rows, list):
        raise OneCProtocolError(
            f"no 'value' list in the answer for {entity}", entity=entity
        )
    return rows


def metadata_entity_sets(content):
    """Entity set names in a ``$metadata`` document (DTDs refused)."""
    try:
        root = ElementTree.fromstring(content, forbid_dtd=True)
    except (ElementTree.ParseError, DefusedXmlException) as error:
        raise OneCProtocolError(f"unreadable $metadata: {error}") from error
    return {node.get("Name") for node in root.iter(f"{_EDM}EntitySet")}


class ODataTransport(Transport):
    """Talks to ``<root>/odata/standard.odata/`` with JSON."""

    protocol = "odata"

    def __init__(self, root_url, profile, username, password, timeout=DEFAULT_TIMEOUT):
        super().__init__(profile)
        self.http = HttpClient(root_url + ODATA_PATH, username, password, timeout)
        self._currency_codes = None

    # ---- connection ----------------------------------------------------------

    def check_connection(self):
        response = self.http.request("GET", "$metadata", entity="$metadata")
        published = metadata_entity_sets(response.content)
        for entity in self.profile.required_entities():
            if entity not in published:
                raise OneCEntityNotPublished(
                    f"{entity} is not published in the 1C OData interface: tick it "
                    "in the publication settings (profile "
                    f"{self.profile.name})",
                    entity=entity,
                )
        return {
            "protocol": self.protocol,
            "url": self.http.root_url,
            "profile": self.profile.name,
            "entity_sets": len(published),
        }

    # ---- generic reading -------------------------------------------------------

    def _get(self, path, options, entity):
        options = {"$format": "json", **options}
        response = self.http.request(
            "GET", path, options, headers=_JSON_ASKED, entity=entity
        )
        return self._decoded(response, entity)

    @staticmethod
    def _decoded(response, entity):
        content_type = response.headers.get("Content-Type")
        return decode_json(response.content, entity, content_type)

    def iter_rows(
        self,
        path,
        entity,
        page_size,
        *,
        filter_text=None,
        orderby="Ref_Key",
        select=None,
    ):
        """Pages of raw rows of ``path`` in a stable order."""
        skip = 0
        while True:
            options = {
                "$filter": filter_text,
                "$orderby": orderby,
                "$select": select,
                "$top": page_size,
                "$skip": skip,
            }
            rows = collection_rows(self._get(path, options, entity), entity)
            if rows:
                yield rows
            if len(rows) < page_size:
                return
            skip += len(rows)

    # ---- streams ---------------------------------------------------------------

    def _row_parsers(self, stream):
        """``[(entity set, row parser)]`` of a stream."""
        if stream == "counterparty":
            section = self.profile.section("counterparty")
            return [(section["entity"], lambda row: parse_counterparty(row, section))]
        if stream in ("order", "shipment"):
            section = self.profile.section(stream)
            parser = parse_order if stream == "order" else parse_shipment
            return [
                (
                    section["entity"],
                    lambda row: parser(row, section, self.currency_code),
                )
            ]
        return [
            (
                section["entity"],
                lambda row, kind=kind, section=section: parse_payment(
                    row, section, self.currency_code, kind
                ),
            )
            for kind, section in self.profile.payment_sections()
        ]

    def _raw_stream(self, stream, since, page_size):
        window = None
        if since and stream != "counterparty":
            window = f"Date ge {odata_datetime(since)}"
        for entity, parse in self._row_parsers(stream):
            for rows in self.iter_rows(entity, entity, page_size, filter_text=window):
                yield parse, rows

    def fetch_items(self, stream, refs):
        items = []
        for entity, parse in self._row_parsers(stream):
            for condition in ref_conditions("Ref_Key", sorted(set(refs))):
                for rows in self.iter_rows(
                    entity, entity, DEFAULT_PAGE_SIZE, filter_text=condition
                ):
                    items += [read_item(row, parse) for row in rows]
        return items

    def currency_code(self, ref):
        """ISO code of a currency ref (empty: the national currency)."""
        if ref is None:
            return NATIONAL_CURRENCY
        if self._currency_codes is None:
            self._currency_codes = self._load_currencies()
        return self._currency_codes.get(ref, ref)

    def _load_currencies(self):
        entity = self.profile.data["currencies"]
        codes = {}
        for rows in self.iter_rows(
            entity, entity, DEFAULT_PAGE_SIZE, select="Ref_Key,Code,Description"
        ):
            for row in rows:
                reader = RowReader(row, entity)
                code = reader.text("Code").strip()
                codes[reader.required_ref("Ref_Key")] = ISO_CURRENCIES.get(
                    code, reader.text("Description")
                )
        return codes

    # ---- settlements -----------------------------------------------------------

    def _iter_balances(self, as_of, page_size, counterparties=None):
        spec = self.profile.data["receivables"]
        reader = receivables_reader(self, spec)
        pages = reader.pages(as_of, page_size, counterparties)
        if not spec.get("due_dates"):
            yield from pages
            return
        # the real overdue debt, from the register with due dates, summed per
        # counterparty and currency: it goes on the first of their records
        # (one per settlement analytics key), so that it is counted once
        due_before = as_of or datetime.now()
        overdue = overdue_debts(reader, due_before, as_of, page_size, counterparties)
        for page in pages:
            yield [
                replace(
                    record,
                    overdue=overdue.pop(
                        (record.counterparty_ref, record.currency), Decimal(0)
                    ),
                )
                for record in page
            ]

    def _sales_turnovers(self, periods):
        sales = SalesTurnovers(self, self.profile.data["sales"])
        return sales.records(periods, TURNOVER_PAGE_SIZE)

    # ---- counterparties: lookup and creation ----------------------------------

    def find_counterparty(self, inn, kpp=None):
        # validate before building a filter: the values go into a URL
        if not is_valid_inn(inn) or (kpp and not is_valid_kpp(kpp)):
            return []
        section = self.profile.section("counterparty")
        fields = section["fields"]
        condition = f"{fields['inn']} eq {odata_string(inn)} and DeletionMark eq false"
        if kpp:
            condition += f" and {fields['kpp']} eq {odata_string(kpp)}"
        entity = section["entity"]
        return [
            parse_counterparty(row, section)
            for rows in self.iter_rows(
                entity, entity, DEFAULT_PAGE_SIZE, filter_text=condition
            )
            for row in rows
        ]

    def create_counterparty(self, name, inn, kpp=None, is_person=False, full_name=None):
        validate_requisites(inn, kpp or "", is_person)
        section = self.profile.section("counterparty")
        fields, forms = section["fields"], section["legal_form"]
        body = {
            fields["name"]: name,
            fields["inn"]: inn,
            fields["kpp"]: kpp or "",
            fields["legal_form"]: forms["person" if is_person else "company"],
        }
        if fields.get("full_name"):
            body[fields["full_name"]] = full_name or name
        partner_ref = None
        if self.profile.data.get("partner") and fields.get("partner"):
            # UT 11: the commercial party first, then the legal entity on it
            partner_ref = self._create_partner(name, full_name or name)
            body[fields["partner"]] = partner_ref
        try:
            created = self._post(section["entity"], body)
        except Exception:
            if partner_ref:
                self._mark_partner_deleted(partner_ref)
            raise
        return parse_counterparty(created, section)

    def _create_partner(self, name, full_name):
        partner = self.profile.data["partner"]
        fields = partner["fields"]
        body = {
            fields["name"]: name,
            fields["full_name"]: full_name,
            fields["is_client"]: True,
        }
        created = self._post(partner["entity"], body)
        return RowReader(created, partner["entity"]).required_ref("Ref_Key")

    def _mark_partner_deleted(self, ref):
        """Undo a half-done creation: a partner without its counterparty."""
        entity = self.profile.data["partner"]["entity"]
        try:
            self.http.request(
                "PATCH",
                f"{entity}(guid'{ref}')",
                {"$format": "json"},
                body={"DeletionMark": True},
                entity=entity,
                key=ref,
            )
        except OneCError:
            return  # the error that made us undo is the one to report

    def _post(self, entity, body):
        response = self.http.request(
            "POST",
            entity,
            {"$format": "json"},
            body=body,
            headers=_JSON_ASKED,
            entity=entity,
        )
        answer = self._decoded(response, entity)
        if not isinstance(answer, dict):
            raise OneCProtocolError(
                f"{entity}: the created object is not an object", entity=entity
            )
        return answer

    def close(self):
        self.http.close()
