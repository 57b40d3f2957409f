"""How the stand-in's OData answers are written: JSON or Atom, as 1C does.

1C 8.3 answers JSON when the request says ``$format=json`` or
``Accept: application/json`` (``;odata=nometadata`` drops the
``odata.metadata`` and ``@navigationLinkUrl`` annotations), and Atom/XML
otherwise: its default. Both writers take the same rows (the JSON objects
the app builds) and the schema gives Atom its property types.
"""

import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone

from lxml import etree

from .model import NAMESPACE, STRING

JSON, ATOM = "json", "atom"
JSON_TYPE = "application/json;charset=utf-8"
TEXT_TYPE = "text/plain;charset=utf-8"
XML_TYPE = "application/xml;charset=utf-8"
ATOM_NS = "http://www.w3.org/2005/Atom"
APP_NS = "http://www.w3.org/2007/app"
DATA_NS = "http://schemas.microsoft.com/ado/2007/08/dataservices"
META_NS = "http://schemas.microsoft.com/ado/2007/08/dataservices/metadata"
SCHEME = f"{DATA_NS}/scheme"
RELATED = f"{DATA_NS}/related/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
_JSON_MEDIA = ("json", "application/json")
_ATOM_MEDIA = ("atom", "application/atom+xml")
_XML_MEDIA = ("xml", "application/xml", "text/xml")
_ANY_MEDIA = ("*/*", "application/*")
# characters XML 1.0 cannot hold: left out of Atom answers
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class FormatError(ValueError):
    """A ``$format`` the interface does not know."""


@dataclass(frozen=True)
class Format:
    """The negotiated answer format."""

    kind: str = ATOM
    annotated: bool = True  # JSON: odata.metadata and navigation links
    plain_xml: bool = False  # Atom asked for as application/xml


def negotiate(query, headers):
    """The :class:`Format` a request asks for (``$format`` wins over
    ``Accept``; neither: Atom, 1C's default)."""
    requested = query.get("$format")
    if requested is not None:
        media, parameters = _media_type(requested)
        chosen = _format_of(media, parameters)
        if chosen is None:
            raise FormatError(f"unknown $format {requested!r}")
        return chosen
    for media, parameters in _accepted(headers.get("Accept")):
        chosen = _format_of(media, parameters)
        if chosen is not None:
            return chosen
        if media in _ANY_MEDIA:
            return Format(ATOM)
    return Format(ATOM)


def _format_of(media, parameters):
    if media in _JSON_MEDIA:
        return Format(JSON, annotated=parameters.get("odata") != "nometadata")
    if media in _ATOM_MEDIA:
        return Format(ATOM)
    if media in _XML_MEDIA:
        return Format(ATOM, plain_xml=True)
    return None


def _media_type(text):
    media, *parameters = text.split(";")
    values = {}
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        values[name.strip().lower()] = value.strip().lower()
    return media.strip().lower(), values


def _accepted(header):
    """Media types of an ``Accept`` header, most wanted first (q=0 left out)."""
    ranked = []
    for position, item in enumerate(filter(None, (header or "").split(","))):
        media, parameters = _media_type(item)
        try:
            quality = float(parameters.get("q", "1"))
        except ValueError:
            quality = 0.0
        if quality > 0:
            ranked.append((-quality, position, media, parameters))
    return [(media, parameters) for _q, _p, media, parameters in sorted(ranked)]


def writer_for(chosen, root_url, schema):
    if chosen.kind == JSON:
        return JsonWriter(root_url, chosen.annotated)
    return AtomWriter(root_url, schema, chosen.plain_xml)


def _dump(data):
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def json_error(status, code, message):
    body = {"odata.error": {"code": code, "message": {"lang": "ru", "value": message}}}
    return status, JSON_TYPE, _dump(body)


class JsonWriter:
    """1C's JSON (``odata=minimalmetadata`` by default)."""

    def __init__(self, root_url, annotated=True):
        self.root_url = root_url
        self.annotated = annotated

    def _answer(self, context, body, status=200):
        if self.annotated:
            body = {"odata.metadata": f"{self.root_url}$metadata{context}", **body}
        else:
            body = _without_annotations(body)
        return status, JSON_TYPE, _dump(body)

    def service(self, names):
        sets = [{"name": name, "url": name} for name in names]
        return self._answer("", {"value": sets})

    def feed(self, context, _entity_set, rows, count=None):
        body = {} if count is None else {"odata.count": str(count)}  # a string
        return self._answer(f"#{context}", {**body, "value": rows})

    def entry(self, entity_set, row, status=200):
        return self._answer(f"#{entity_set.name}/@Element", row, status)

    def complex_rows(self, context, _table, rows, count=None):
        return self.feed(context, None, rows, count)

    def value(self, field, value):
        return self._answer(f"#{field.edm}", {"value": value})

    def error(self, status, code, message):
        return json_error(status, code, message)

    @staticmethod
    def empty(status=200):
        return status, JSON_TYPE, b""


def _without_annotations(value):
    """The value without ``odata.*`` and ``X@...`` names (``nometadata``)."""
    if isinstance(value, dict):
        return {
            name: _without_annotations(item)
            for name, item in value.items()
            if "@" not in name and not name.startswith("odata.")
        }
    if isinstance(value, list):
        return [_without_annotations(item) for item in value]
    return value


def _now():
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def xml_text(value):
    """Text XML 1.0 can hold (characters it cannot are left out)."""
    return _NOT_XML.sub("", value)


def _atom(name):
    return f"{{{ATOM_NS}}}{name}"


def _data(name):
    return f"{{{DATA_NS}}}{name}"


def _meta(name):
    return f"{{{META_NS}}}{name}"


_NSMAP = {None: ATOM_NS, "d": DATA_NS, "m": META_NS}


class AtomWriter:
    """OData v3 Atom: feeds, entries with typed ``m:properties``, inline
    expanded entries, and plain XML for properties and virtual tables."""

    def __init__(self, root_url, schema, plain_xml=False):
        self.root_url = root_url
        self.schema = schema
        self.plain_xml = plain_xml

    def _xml(self, element, atom_type, status=200):
        body = etree.tostring(element, xml_declaration=True, encoding="UTF-8")
        content_type = XML_TYPE if self.plain_xml else f"{atom_type};charset=utf-8"
        return status, content_type, body

    def service(self, names):
        service = etree.Element(
            f"{{{APP_NS}}}service", nsmap={None: APP_NS, "atom": ATOM_NS}
        )
        service.set(XML_BASE, self.root_url)
        workspace = etree.SubElement(service, f"{{{APP_NS}}}workspace")
        etree.SubElement(workspace, _atom("title")).text = "Default"
        for name in names:
            collection = etree.SubElement(workspace, f"{{{APP_NS}}}collection")
            collection.set("href", name)
            etree.SubElement(collection, _atom("title")).text = name
        return self._xml(service, "application/atomsvc+xml")

    def feed(self, context, entity_set, rows, count=None):
        feed = etree.Element(_atom("feed"), nsmap=_NSMAP)
        feed.set(XML_BASE, self.root_url)
        etree.SubElement(feed, _atom("id")).text = f"{self.root_url}{context}"
        title = etree.SubElement(feed, _atom("title"), type="text")
        title.text = context
        etree.SubElement(feed, _atom("updated")).text = _now()
        etree.SubElement(feed, _atom("link"), rel="self", href=context, title=context)
        if count is not None:
            etree.SubElement(feed, _meta("count")).text = str(count)
        for row in rows:
            feed.append(self._entry(entity_set, row))
        return self._xml(feed, "application/atom+xml;type=feed")

    def entry(self, entity_set, row, status=200):
        entry = self._entry(entity_set, row, nsmap=_NSMAP)
        entry.set(XML_BASE, self.root_url)
        return self._xml(entry, "application/atom+xml;type=entry", status)

    def _entry(self, entity_set, row, nsmap=None):
        entry = etree.Element(_atom("entry"), nsmap=nsmap)
        address = entity_set.name
        if all(key in row for key in entity_set.keys):
            address += entity_set.key_text(row)
        etree.SubElement(entry, _atom("id")).text = f"{self.root_url}{address}"
        etree.SubElement(
            entry, _atom("category"), term=entity_set.type_name, scheme=SCHEME
        )
        etree.SubElement(
            entry, _atom("link"), rel="edit", href=address, title=entity_set.name
        )
        navigation = entity_set.navigation()
        for name, field in navigation.items():
            self._navigation_link(entry, name, field, row)
        etree.SubElement(entry, _atom("title"))
        etree.SubElement(entry, _atom("updated")).text = _now()
        etree.SubElement(etree.SubElement(entry, _atom("author")), _atom("name"))
        content = etree.SubElement(entry, _atom("content"), type="application/xml")
        properties = etree.SubElement(content, _meta("properties"))
        for name, value in row.items():
            if "@" not in name and name not in navigation:
                self._property(properties, name, value, entity_set.field(name))
        return entry

    def _navigation_link(self, entry, name, field, row):
        link = row.get(f"{name}@navigationLinkUrl")
        if link is None and name not in row:
            return
        element = etree.SubElement(
            entry,
            _atom("link"),
            rel=f"{RELATED}{name}",
            type="application/atom+xml;type=entry",
            title=name,
            href=link or name,
        )
        if name in row:  # expanded
            inline = etree.SubElement(element, _meta("inline"))
            if row[name] is not None:
                inline.append(self._entry(self.schema[field.target], row[name]))

    def _property(self, parent, name, value, field):
        element = etree.SubElement(parent, _data(name))
        edm = field.edm if field else _edm_of(value)
        if edm != STRING:
            element.set(_meta("type"), edm)
        if value is None:
            element.set(_meta("null"), "true")
        elif isinstance(value, list):
            row_type = field.row if field else None
            for item in value:
                self._element(element, item, row_type)
        elif isinstance(value, bool):
            element.text = "true" if value else "false"
        else:
            element.text = xml_text(str(value))
        return element

    def _element(self, parent, item, row_type):
        element = etree.SubElement(parent, _data("element"))
        if isinstance(item, dict):
            for name, value in item.items():
                if "@" not in name:
                    field = row_type.field(name) if row_type else None
                    self._property(element, name, value, field)
        else:
            element.text = xml_text(str(item))

    def complex_rows(self, _context, table, rows, _count=None):
        """A virtual table: a collection of its complex type, as plain XML."""
        root = etree.Element(_data(table.name), nsmap={"d": DATA_NS, "m": META_NS})
        root.set(_meta("type"), f"Collection({NAMESPACE}.{table.row.name})")
        for row in rows:
            self._element(root, row, table.row)
        return (
            200,
            XML_TYPE,
            etree.tostring(root, xml_declaration=True, encoding="UTF-8"),
        )

    def value(self, field, value):
        holder = etree.Element("holder", nsmap={"d": DATA_NS, "m": META_NS})
        element = self._property(holder, field.name, value, field)
        return (
            200,
            XML_TYPE,
            etree.tostring(element, xml_declaration=True, encoding="UTF-8"),
        )

    def error(self, status, code, message):
        error = etree.Element(_meta("error"), nsmap={"m": META_NS})
        etree.SubElement(error, _meta("code")).text = code
        text = etree.SubElement(error, _meta("message"))
        text.set(XML_LANG, "ru")
        text.text = xml_text(message)
        body = etree.tostring(error, xml_declaration=True, encoding="UTF-8")
        return status, XML_TYPE, body

    @staticmethod
    def empty(status=200):
        return status, XML_TYPE, b""


def _edm_of(value):
    if isinstance(value, bool):
        return "Edm.Boolean"
    if isinstance(value, float):
        return "Edm.Double"
    if isinstance(value, int):
        return "Edm.Int64"
    return STRING
