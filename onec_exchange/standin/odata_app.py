"""The stand-in's OData standard interface (``/odata/standard.odata/``).

JSON only (clients must send ``$format=json``), OData v3 as 1C speaks it:
``odata.metadata``/``value``, string ``LineNumber`` and ``odata.count``,
empty GUIDs and dates, ``If-Match`` -> 412, ``Post``/``Unpost``,
``<register>/Balance(Period=...)``, ``odata.error`` bodies.

Error codes: ``-1`` (internal) and ``13`` (table part written on its own)
are 1C's; ``6`` (object not found), ``9`` (unknown entity set) and ``14``
(bad request) are the stand-in's choice, real 1C texts vary by release.
"""

import json
import re
from collections import OrderedDict
from datetime import datetime
from xml.sax.saxutils import quoteattr

from .model import DATE_FORMAT, EntityModel, WriteError
from .odata_filter import FilterError, comparable, compile_filter
from .registers import Receivables
from .store import DOCUMENT_KINDS, StoreError

CODE_NOT_FOUND = "6"
CODE_UNKNOWN_ENTITY = "9"
CODE_TABLE_PART = "13"
CODE_BAD_REQUEST = "14"
JSON_TYPE = "application/json;charset=utf-8"
_RESOURCE = re.compile(
    r"^(?P<set>[^/(]+)(?:\((?P<key>[^)]*)\))?(?:/(?P<tail>.+))?$", re.DOTALL
)
_GUID_KEY = re.compile(r"^guid'([0-9a-fA-F-]{36})'$")
_ARGUMENT = re.compile(r"(\w+)=((?:datetime)?'(?:[^']|'')*')")
_CACHE_SIZE = 32
# a lower bound on the date that every row of a filter's answer must meet
_DATE_FLOOR = re.compile(r"\bDate ge datetime'([^']+)'")
_STRING_LITERAL = re.compile(r"'[^']*'")
_ALTERNATIVE = re.compile(r"\b(or|not)\b")


class ODataError(Exception):
    """An error answered as ``{"odata.error": ...}``."""

    def __init__(self, status, code, message):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def error_answer(status, code, message):
    body = {"odata.error": {"code": code, "message": {"lang": "ru", "value": message}}}
    return status, JSON_TYPE, _dump(body)


def _dump(data):
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


class ODataApp:
    """Serves one profile's entity sets from a store."""

    def __init__(self, store, profile, root_url, unpublished=()):
        self.store = store
        self.model = EntityModel(profile)
        self.receivables = Receivables(profile, store)
        self.catalogs = self.receivables.catalogs()
        self.table_parts = self.model.table_parts()
        self.register = profile.data["receivables"]["register"]
        self.root_url = root_url
        self.unpublished = set(unpublished)
        self._cache = OrderedDict()

    # ---- dispatch ------------------------------------------------------------

    def handle(self, method, resource, query, body, headers):
        """``(status, content type, body bytes)`` for one request."""
        try:
            return self._dispatch(method, resource, query, body, headers)
        except ODataError as error:
            return error_answer(error.status, error.code, error.message)
        except StoreError as error:
            return error_answer(error.status, error.code, str(error))
        except WriteError as error:
            return error_answer(400, CODE_BAD_REQUEST, str(error))

    def _dispatch(self, method, resource, query, body, headers):
        if resource in ("", "/"):
            return self._service_root()
        if resource == "$metadata":
            return 200, "application/xml;charset=utf-8", self.metadata().encode()
        if query.get("$format") not in ("json", "application/json"):
            raise ODataError(
                400, CODE_BAD_REQUEST, "the stand-in answers $format=json only"
            )
        match = _RESOURCE.match(resource)
        if not match:
            raise ODataError(
                400, CODE_BAD_REQUEST, f"cannot parse resource {resource!r}"
            )
        name, key, tail = match.group("set", "key", "tail")
        if name not in self.entity_sets():
            raise ODataError(404, CODE_UNKNOWN_ENTITY, f"Не найден объект '{name}'")
        if key is not None:
            return self._object(
                method, name, _guid(key), tail, body=body, headers=headers
            )
        if method == "POST":
            return self._create(name, body)
        if method != "GET":
            raise ODataError(405, CODE_BAD_REQUEST, f"{method} needs an object key")
        return self._collection(name, tail, query)

    def entity_sets(self):
        """Names of every published entity set."""
        names = [*self.model.entities, *self.catalogs, *self.table_parts, self.register]
        return [name for name in names if name not in self.unpublished]

    # ---- reading -------------------------------------------------------------

    def _service_root(self):
        sets = [{"name": name, "url": name} for name in self.entity_sets()]
        body = {"odata.metadata": f"{self.root_url}$metadata", "value": sets}
        return 200, JSON_TYPE, _dump(body)

    def _collection(self, name, tail, query):
        # read first: answers cached under it are never served after a write
        revision = self.receivables.catalog_revision(name) or self.store.revision
        items, render, context = self._source(name, tail)
        subset = self._dated_subset(name, tail, items, query.get("$filter"))
        state = (revision, subset is items)
        items = self._query(name, tail, subset, render, query=query, state=state)
        if tail == "$count":
            return 200, "text/plain;charset=utf-8", str(len(items)).encode()
        skip, top = _int_option(query, "$skip", 0), _int_option(query, "$top", None)
        page = items[skip : None if top is None else skip + top]
        select = _select(query.get("$select"))
        answer = {"odata.metadata": f"{self.root_url}$metadata#{context}"}
        if query.get("$inlinecount") == "allpages":
            answer["odata.count"] = str(len(items))  # a string, as 1C sends it
        answer["value"] = [select(render(item)) for item in page]
        return 200, JSON_TYPE, _dump(answer)

    def _source(self, name, tail):
        """``(items, render, metadata context)`` of a set or virtual table."""
        if name == self.register:
            period, condition = _balance_arguments(tail)
            if not condition:
                return self.receivables.balance_rows(period), _same, f"{name}_Balance"
            accepts = _compiled(condition)
            field, values = accepts.membership or (None, None)
            if field == self.receivables.spec["dimension"]:
                rows = self.receivables.balance_rows(period, values)
            else:
                rows = self.receivables.balance_rows(period)
                rows = [row for row in rows if accepts(row)]
            return rows, _same, f"{name}_Balance"
        if tail not in (None, "$count"):
            raise ODataError(400, CODE_BAD_REQUEST, f"unknown segment {tail!r}")
        if name in self.catalogs:
            rows, columns = self.catalogs[name]
            return rows(), lambda obj: {c.name: c.value(obj) for c in columns}, name
        if name in self.table_parts:
            return self._table_part_rows(name), _same, name
        kind, _columns = self.model.entities[name]
        return self.store.objects(kind), lambda obj: self.model.row(name, obj), name

    def _dated_subset(self, name, tail, items, text):
        """Only the documents a ``Date ge`` condition of ``text`` can accept.

        Safe when the filter is a plain conjunction (no ``or``/``not``): then
        every accepted row meets the date floor. The full filter still runs on
        the subset.
        """
        floor = _DATE_FLOOR.search(text or "")
        if tail or not floor or _ALTERNATIVE.search(_STRING_LITERAL.sub("", text)):
            return items
        kind = self.model.entities.get(name, (None,))[0]
        if kind not in DOCUMENT_KINDS:
            return items
        try:
            since = datetime.strptime(floor.group(1), DATE_FORMAT)
        except ValueError:
            return items  # the filter compiler reports the bad literal
        return self.store.dated_since(kind, since)

    def _table_part_rows(self, name):
        document, column = self.table_parts[name]
        kind, _columns = self.model.entities[document]
        return [line for obj in self.store.objects(kind) for line in column.value(obj)]

    def _query(self, name, tail, items, render, *, query, state):
        """Filter and order ``items``; cached per store revision. ``state``:
        ``(store revision, whether items are the set's every item)``."""
        revision, whole = state
        text, order = query.get("$filter"), query.get("$orderby")
        if not text and order in (None, "Ref_Key"):
            return items  # sources are already in Ref_Key order
        key = (name, tail, text, order, revision)
        if key not in self._cache:
            accepts = _compiled(text)
            source = (name, None, revision) if tail is None and whole else None
            try:
                chosen = self._accepted(source, items, render, accepts)
                self._remember(key, _ordered(chosen, render, order))
            except FilterError as error:
                raise ODataError(400, CODE_BAD_REQUEST, str(error)) from error
        return self._cache[key]

    def _remember(self, key, value):
        self._cache[key] = value
        if len(self._cache) > _CACHE_SIZE:
            self._cache.popitem(last=False)

    def _accepted(self, source, items, render, accepts):
        """The items ``accepts`` takes, in their order.

        A membership test (``F eq a or F eq b ...``) on a whole ``source`` is
        answered from an index on F kept until the next write, as 1C answers
        it from its own indexes.
        """
        membership = accepts.membership if source else None
        value_of = membership and self._property(source[0], membership[0])
        if not value_of:
            return [item for item in items if accepts(render(item))]
        index = self._index(source, membership[0], items, value_of)
        positions = sorted(p for value in membership[1] for p in index.get(value, ()))
        return [items[position] for position in positions]

    def _property(self, name, field):
        """``item -> value`` of one property of ``name`` (None: no such
        column), without rendering the others."""
        if name in self.catalogs:
            columns = self.catalogs[name][1]
        else:
            columns = self.model.entities.get(name, (None, ()))[1]
        return next((c.value for c in columns if c.name == field), None)

    def _index(self, source, field, items, value_of):
        """``{value of field: [positions]}``."""
        key = ("index", source, field)
        if key not in self._cache:
            index = {}
            for position, item in enumerate(items):
                index.setdefault(comparable(value_of(item)), []).append(position)
            self._remember(key, index)
        return self._cache[key]

    def _object(self, method, name, ref, tail, *, body, headers):
        kind, _columns = self._writable(name)
        if tail in ("Post", "Unpost") and method == "POST":
            self.store.set_posted(kind, ref, tail == "Post")
            return 200, JSON_TYPE, b""
        if tail is not None:
            raise ODataError(400, CODE_BAD_REQUEST, f"unknown segment {tail!r}")
        if method == "GET":
            obj = self.store.get(kind, ref)
            if obj is None:
                raise ODataError(404, CODE_NOT_FOUND, f"Объект {name} {ref} не найден")
            return self._element(name, obj)
        if method == "DELETE":
            self.store.delete(kind, ref)
            return 204, JSON_TYPE, b""
        if method in ("PATCH", "PUT", "MERGE"):
            values = self.model.parse(name, _json_body(body))
            obj = self.store.update(kind, ref, values, headers.get("If-Match"))
            return self._element(name, obj)
        raise ODataError(405, CODE_BAD_REQUEST, f"{method} is not allowed here")

    def _create(self, name, body):
        kind, _columns = self._writable(name)
        values = self.model.parse(name, _json_body(body))
        values.pop("data_version", None)
        obj = self.store.insert(kind, values)
        _status, content_type, answer = self._element(name, obj)
        return 201, content_type, answer

    def _writable(self, name):
        if name in self.table_parts:
            raise ODataError(
                400, CODE_TABLE_PART, "Table part rows are written with their object"
            )
        if name not in self.model.entities:
            raise ODataError(400, CODE_BAD_REQUEST, f"{name} is read-only")
        return self.model.entities[name]

    def _element(self, name, obj):
        answer = {"odata.metadata": f"{self.root_url}$metadata#{name}/@Element"}
        answer.update(self.model.row(name, obj))
        return 200, JSON_TYPE, _dump(answer)

    # ---- $metadata -----------------------------------------------------------

    def metadata(self):
        """The EDMX document (namespace ``StandardODATA``)."""
        types, sets = [], []
        for name, properties in self._entity_types():
            if name in self.unpublished:
                continue
            props = "".join(
                f"<Property Name={quoteattr(p)} Type={quoteattr(t)}/>"
                for p, t in properties
            )
            types.append(
                f"<EntityType Name={quoteattr(name)}>"
                f'<Key><PropertyRef Name="Ref_Key"/></Key>{props}</EntityType>'
            )
            sets.append(
                f"<EntitySet Name={quoteattr(name)} "
                f"EntityType={quoteattr('StandardODATA.' + name)}/>"
            )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<edmx:Edmx xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx" '
            'Version="1.0"><edmx:DataServices '
            'xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata" '
            'm:DataServiceVersion="3.0"><Schema '
            'xmlns="http://schemas.microsoft.com/ado/2009/11/edm" '
            f'Namespace="StandardODATA">{"".join(types)}'
            '<EntityContainer Name="StandardODATA" m:IsDefaultEntityContainer="true">'
            f"{''.join(sets)}</EntityContainer></Schema></edmx:DataServices></edmx:Edmx>"
        )

    def _entity_types(self):
        for name, (_kind, columns) in self.model.entities.items():
            yield name, [(c.name, _edm(c)) for c in columns]
        for name, (_rows, columns) in self.catalogs.items():
            yield name, [(c.name, c.edm) for c in columns]
        for name, (_document, column) in self.table_parts.items():
            yield (
                name,
                [("Ref_Key", "Edm.Guid"), ("LineNumber", "Edm.Int64")]
                + [(c.name, c.edm) for c in column.lines],
            )
        yield self.register, self.receivables.balance_properties()


def _edm(column):
    if column.edm == "lines":
        return f"Collection(StandardODATA.{column.name}_RowType)"
    return column.edm


def _same(item):
    return item


def _guid(key):
    match = _GUID_KEY.match(key)
    if not match:
        raise ODataError(400, CODE_BAD_REQUEST, f"bad key {key!r}: use guid'...'")
    return match.group(1).lower()


def _int_option(query, name, default):
    value = query.get(name)
    if value is None:
        return default
    if not value.isdigit():
        raise ODataError(400, CODE_BAD_REQUEST, f"{name} must be a whole number")
    return int(value)


def _select(text):
    if not text:
        return _same
    names = [name.strip() for name in text.split(",")]
    return lambda row: {name: row[name] for name in names if name in row}


def _ordered(items, render, order):
    if not order:
        return items
    result = list(items)
    # stable sorts from the last key to the first give a multi-key order
    for part in reversed(order.split(",")):
        field, _, direction = part.strip().partition(" ")
        try:
            result.sort(
                key=lambda item: render(item)[field], reverse=direction == "desc"
            )
        except (KeyError, TypeError) as error:
            raise FilterError(f"cannot order by {field}") from error
    return result


def _balance_arguments(tail):
    """``(Period, Condition)`` of ``Balance(Period=datetime'...',Condition='...')``.

    Period None means now; Condition is a filter expression (quotes doubled).
    """
    if tail is None or not (tail == "Balance" or tail.startswith("Balance(")):
        raise ODataError(
            400, CODE_BAD_REQUEST, "registers are read through /Balance(...)"
        )
    arguments = dict(_ARGUMENT.findall(tail))
    period, condition = arguments.get("Period"), arguments.get("Condition")
    if condition:
        condition = condition[1:-1].replace("''", "'")
    if period is None:
        return None, condition
    try:
        return datetime.strptime(period[9:-1], DATE_FORMAT), condition
    except ValueError as error:
        raise ODataError(400, CODE_BAD_REQUEST, f"bad Period {period}") from error


def _compiled(text):
    try:
        return compile_filter(text)
    except FilterError as error:
        raise ODataError(400, CODE_BAD_REQUEST, str(error)) from error


def _json_body(body):
    try:
        data = json.loads(body or b"{}")
    except ValueError as error:
        raise ODataError(
            400, CODE_BAD_REQUEST, f"the body is not JSON: {error}"
        ) from error
    if not isinstance(data, dict):
        raise ODataError(400, CODE_BAD_REQUEST, "the body must be a JSON object")
    return data
