"""The stand-in's OData standard interface (``/odata/standard.odata/``).

OData v3 as 1C 8.3 speaks it, to any client: Atom by default, JSON on
``$format=json`` or ``Accept: application/json`` (:mod:`.odata_format`);
``$metadata`` a standard client loads (:mod:`.odata_metadata`);
``odata.metadata``/``value``, string ``LineNumber`` and ``odata.count``,
empty GUIDs and dates; ``$filter`` (:mod:`.odata_filter`), ``$select``,
``$expand``, ``$orderby``, ``$top``, ``$skip``, ``$inlinecount``,
``/$count``; keys ``(guid'…')`` or named; navigation and property paths;
``If-Match`` (``*`` or a ``DataVersion``) -> 412; ``Post``/``Unpost``;
register record sets and virtual tables (:mod:`.register_tables`);
``odata.error`` bodies.

Error codes: ``-1`` (internal) and ``13`` (table part written on its own)
are 1C's; ``6`` (object not found), ``9`` (unknown entity set) and ``14``
(bad request) are the stand-in's choice, real 1C texts vary by release.
"""

import json
import re
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

from ..records import EMPTY_REF
from .model import (
    DATE_FORMAT,
    GUID,
    NAMESPACE,
    ORGANIZATIONS,
    EntityModel,
    WriteError,
    organization_catalog,
    render_row,
)
from .movement_registers import movement_registers
from .odata_filter import FilterError, comparable, compile_filter
from .odata_format import (
    TEXT_TYPE,
    FormatError,
    json_error,
    negotiate,
    writer_for,
)
from .odata_metadata import metadata_document
from .odata_paths import (
    PathError,
    call_parts,
    named_arguments,
    parse_key,
    parse_resource,
)
from .odata_schema import Schema, object_set, table_part_set
from .odata_select import expansions, path_tree, selected
from .register_tables import RegisterTables
from .registers import Receivables
from .store import DOCUMENT_KINDS, StoreError

CODE_NOT_FOUND = "6"
CODE_UNKNOWN_ENTITY = "9"
CODE_TABLE_PART = "13"
CODE_BAD_REQUEST = "14"
_CACHE_SIZE = 32
# a lower bound on the date that every row of a filter's answer must meet
_DATE_FLOOR = re.compile(r"\bDate ge datetime'([^']+)'")
_STRING_LITERAL = re.compile(r"'[^']*'")
_ALTERNATIVE = re.compile(r"\b(or|not)\b")
_WRITES = ("PATCH", "PUT", "MERGE")


class ODataError(Exception):
    """An error answered in 1C's ``odata.error`` shape."""

    def __init__(self, status, code, message):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


@dataclass(frozen=True)
class _Source:
    """Where a set's rows come from: ``items()`` and ``render(item)``;
    ``kind``: the store kind of a writable set."""

    items: object
    render: object
    kind: str | None = None


@dataclass(frozen=True)
class _Request:
    method: str
    resource: str
    query: dict
    body: bytes
    headers: object


def _same(item):
    return item


class ODataApp:
    """Serves one profile's entity sets from a store."""

    def __init__(self, store, profile, root_url, unpublished=()):
        self.store = store
        self.model = EntityModel(profile)
        self.receivables = Receivables(profile, store)
        self.registers = {
            tables.name: tables
            for tables in (
                RegisterTables(profile, self.receivables),
                *movement_registers(profile, self.receivables),
            )
        }
        self.catalogs = {
            **self.receivables.catalogs(),
            ORGANIZATIONS: organization_catalog(),
        }
        self.table_parts = self.model.table_parts()
        self.root_url = root_url
        self.sources = self._build_sources()
        self.schema = Schema(self._entity_sets(), unpublished)
        self._metadata = metadata_document(self.schema)
        self._cache = OrderedDict()

    def _build_sources(self):
        sources = {}
        for name, (kind, _columns) in self.model.entities.items():
            sources[name] = _Source(
                lambda kind=kind: self.store.objects(kind),
                lambda obj, name=name: self.model.row(name, obj),
                kind,
            )
        for name, (rows, columns) in self.catalogs.items():
            sources[name] = _Source(
                rows,
                lambda obj, name=name, columns=columns: render_row(name, columns, obj),
            )
        for name in self.table_parts:
            sources[name] = _Source(
                lambda name=name: self._table_part_rows(name), _same
            )
        for tables in self.registers.values():
            record_sets, records = tables.entity_sets()
            sources[record_sets.name] = _Source(tables.record_sets, _same)
            sources[records.name] = _Source(tables.records, _same)
        return sources

    def _entity_sets(self):
        sets = [
            object_set(name, columns)
            for name, (_kind, columns) in self.model.entities.items()
        ]
        sets += [
            object_set(name, columns)
            for name, (_rows, columns) in self.catalogs.items()
        ]
        sets += [
            table_part_set(name, column)
            for name, (_document, column) in self.table_parts.items()
        ]
        for tables in self.registers.values():
            sets += tables.entity_sets()
        return sets

    def entity_sets(self):
        """Names of every published entity set."""
        return self.schema.names()

    def metadata(self):
        """The EDMX document (namespace ``StandardODATA``)."""
        return self._metadata.decode("utf-8")

    # ---- dispatch ------------------------------------------------------------

    def handle(self, method, resource, query, body, headers):
        """``(status, content type, body bytes)`` for one request."""
        try:
            chosen = negotiate(query, headers)
        except FormatError as error:
            return json_error(400, CODE_BAD_REQUEST, str(error))
        writer = writer_for(chosen, self.root_url, self.schema)
        try:
            request = _Request(method, resource, query, body, headers)
            return self._dispatch(request, writer)
        except ODataError as error:
            return writer.error(error.status, error.code, error.message)
        except StoreError as error:
            return writer.error(error.status, error.code, str(error))
        except (WriteError, PathError, FilterError) as error:
            return writer.error(400, CODE_BAD_REQUEST, str(error))

    def _dispatch(self, request, writer):
        resource, method, query = request.resource, request.method, request.query
        if resource in ("", "/"):
            return writer.service(self.entity_sets())
        if resource == "$metadata":
            return 200, "application/xml;charset=utf-8", self._metadata
        name, key, segments = parse_resource(resource)
        if name not in self.schema:
            raise ODataError(404, CODE_UNKNOWN_ENTITY, f"Не найден объект '{name}'")
        entity_set = self.schema[name]
        if key is not None:
            guids = [k for k in entity_set.keys if entity_set.field(k).edm == GUID]
            keys = parse_key(key, entity_set.keys, guids)
            return self._keyed(entity_set, keys, segments, request, writer)
        if method == "POST" and not segments:
            return self._create(entity_set, request.body, writer)
        if method != "GET":
            raise ODataError(405, CODE_BAD_REQUEST, f"{method} needs an object key")
        return self._collection(entity_set, segments, query, writer)

    # ---- collections ---------------------------------------------------------

    def _collection(self, entity_set, segments, query, writer):
        counting = segments[-1:] == ["$count"]
        segments = segments[:-1] if counting else segments
        name = entity_set.name
        # read first: answers cached under it are never served after a write
        revision = self.receivables.catalog_revision(name) or self.store.revision
        table = None
        if segments:
            table, items = self._virtual_rows(entity_set, segments)
            render, whole = _same, False
        else:
            source = self.sources[name]
            items, render = source.items(), source.render
            subset = self._dated_subset(source, items, query.get("$filter"))
            whole, items = subset is items, subset
        tail = "/".join(segments) or None
        items = self._query(
            name, tail, items, render, query=query, state=(revision, whole)
        )
        if counting:
            return 200, TEXT_TYPE, str(len(items)).encode()
        skip, top = _int_option(query, "$skip", 0), _int_option(query, "$top", None)
        page = items[skip : None if top is None else skip + top]
        count = len(items) if query.get("$inlinecount") == "allpages" else None
        if table is not None:
            select = path_tree(query.get("$select"))
            rows = [selected(row, select) for row in page]
            return writer.complex_rows(table.row.name, table, rows, count)
        rows = self._shaped(entity_set, [render(item) for item in page], query)
        return writer.feed(name, entity_set, rows, count)

    def _virtual_rows(self, entity_set, segments):
        """``(virtual table, rows)`` of ``Balance(...)`` and its kin."""
        table_name, text = call_parts(segments[0])
        table = entity_set.virtual_table(table_name)
        if table is None or len(segments) > 1:
            raise ODataError(
                400, CODE_BAD_REQUEST, f"unknown segment {'/'.join(segments)!r}"
            )
        arguments = named_arguments(text)
        accepted = dict(table.parameters)
        for name, value in arguments.items():
            expected = datetime if accepted.get(name) == "Edm.DateTime" else str
            if name not in accepted or not isinstance(value, expected):
                raise ODataError(
                    400, CODE_BAD_REQUEST, f"bad parameter {name} of {table_name}"
                )
        condition = arguments.get("Condition")
        accepts = _compiled(condition) if condition else None
        tables = self.registers[entity_set.name]
        if table_name == "Balance":
            rows = tables.balance(arguments.get("Period"), accepts)
        else:
            period = (arguments.get("StartPeriod"), arguments.get("EndPeriod"))
            if table_name == "Turnovers":
                rows = tables.turnovers(*period, accepts)
            else:
                rows = tables.balance_and_turnovers(*period, accepts)
        if arguments.get("Dimensions"):
            try:
                rows = tables.regrouped(table_name, rows, arguments["Dimensions"])
            except ValueError as error:
                raise ODataError(400, CODE_BAD_REQUEST, str(error)) from error
        return table, rows

    def _dated_subset(self, source, items, text):
        """Only the documents a ``Date ge`` condition of ``text`` can accept.

        Safe when the filter is a plain conjunction (no ``or``/``not``): then
        every accepted row meets the date floor. The full filter still runs on
        the subset.
        """
        floor = _DATE_FLOOR.search(text or "")
        if not floor or _ALTERNATIVE.search(_STRING_LITERAL.sub("", text)):
            return items
        if source.kind not in DOCUMENT_KINDS:
            return items
        try:
            since = datetime.strptime(floor.group(1), DATE_FORMAT)
        except ValueError:
            return items  # the filter compiler reports the bad literal
        return self.store.dated_since(source.kind, since)

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
            accepts = _compiled(text, f"{NAMESPACE}.{name}")
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

    # ---- $select and $expand -----------------------------------------------

    def _shaped(self, entity_set, rows, query):
        """Rows with ``$expand``ed references inlined, cut to ``$select``."""
        select = path_tree(query.get("$select"))
        expand = expansions(
            entity_set, select, path_tree(query.get("$expand")), self.schema
        )
        if expand:
            rows = [self._expanded(entity_set, dict(row), expand) for row in rows]
        return [selected(row, select) for row in rows]

    def _expanded(self, entity_set, row, tree):
        navigation = entity_set.navigation()
        for name, subtree in tree.items():
            if name not in navigation:
                raise ODataError(
                    400, CODE_BAD_REQUEST, f"{entity_set.name} has no reference {name}"
                )
            target = self.schema[navigation[name].target]
            inline = self._referenced(target, row.get(navigation[name].name))
            if inline is not None and subtree:
                inline = self._expanded(target, dict(inline), subtree)
            row[name] = inline
        return row

    def _referenced(self, entity_set, ref):
        """The row a reference points to (None: empty or dangling)."""
        if not ref or ref == EMPTY_REF:
            return None
        return self._find(entity_set, {"Ref_Key": ref})

    def _find(self, entity_set, keys):
        """The row of ``entity_set`` with these key values, or None."""
        source = self.sources[entity_set.name]
        if source.kind is not None:
            obj = self.store.get(source.kind, keys["Ref_Key"])
            return obj and source.render(obj)
        if entity_set.name in self.registers:
            tables = self.registers[entity_set.name]
            return tables.record_set(keys["Recorder"], keys["Recorder_Type"])
        wanted = {name: str(value) for name, value in keys.items()}
        for item in source.items():
            row = source.render(item)
            if all(str(row.get(name)) == value for name, value in wanted.items()):
                return row
        return None

    # ---- one object ----------------------------------------------------------

    def _keyed(self, entity_set, keys, segments, request, writer):
        method = request.method
        if segments in (["Post"], ["Unpost"]) and method == "POST":
            kind = self._writable(entity_set.name)
            self.store.set_posted(kind, keys["Ref_Key"], segments == ["Post"])
            return writer.empty()
        if method == "GET":
            row = self._find(entity_set, keys)
            if row is None:
                raise ODataError(
                    404, CODE_NOT_FOUND, f"Объект {entity_set.name} не найден"
                )
            return self._navigated(entity_set, row, segments, request.query, writer)
        if segments:
            raise ODataError(400, CODE_BAD_REQUEST, f"{method} of {'/'.join(segments)}")
        kind = self._writable(entity_set.name)
        ref = keys["Ref_Key"]
        if method == "DELETE":
            self.store.delete(kind, ref)
            return writer.empty(204)
        if method in _WRITES:
            values = self.model.parse(entity_set.name, _json_body(request.body))
            version = _if_match(request.headers.get("If-Match"))
            obj = self.store.update(kind, ref, values, version)
            return writer.entry(entity_set, self.model.row(entity_set.name, obj))
        raise ODataError(405, CODE_BAD_REQUEST, f"{method} is not allowed here")

    def _navigated(self, entity_set, row, segments, query, writer):
        """What a path below an object names: a referenced object (followed
        through navigation properties), a property, or its ``$value``."""
        for position, segment in enumerate(segments):
            reference = entity_set.navigation().get(segment)
            if reference is not None:
                entity_set = self.schema[reference.target]
                row = self._referenced(entity_set, row.get(reference.name))
                if row is None:
                    raise ODataError(404, CODE_NOT_FOUND, f"{segment}: пустая ссылка")
                continue
            field = entity_set.field(segment)
            rest = segments[position + 1 :]
            if field is None or rest not in ([], ["$value"]):
                raise ODataError(400, CODE_BAD_REQUEST, f"unknown segment {segment!r}")
            if rest:
                return 200, TEXT_TYPE, _raw(row.get(segment)).encode()
            return writer.value(field, row.get(segment))
        return writer.entry(entity_set, self._shaped(entity_set, [row], query)[0])

    def _create(self, entity_set, body, writer):
        kind = self._writable(entity_set.name)
        values = self.model.parse(entity_set.name, _json_body(body))
        values.pop("data_version", None)
        obj = self.store.insert(kind, values)
        return writer.entry(entity_set, self.model.row(entity_set.name, obj), 201)

    def _writable(self, name):
        if name in self.table_parts:
            raise ODataError(
                400, CODE_TABLE_PART, "Table part rows are written with their object"
            )
        if name not in self.model.entities:
            raise ODataError(400, CODE_BAD_REQUEST, f"{name} is read-only")
        return self.model.entities[name][0]


def _raw(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _if_match(header):
    """The ``DataVersion`` an ``If-Match`` asks for (``*``: any; an ETag's
    quotes and weak mark are dropped)."""
    if header is None or header.strip() == "*":
        return None
    value = header.strip()
    value = value.removeprefix("W/")
    return value.strip('"')


def _int_option(query, name, default):
    value = query.get(name)
    if value is None:
        return default
    if not value.isdigit():
        raise ODataError(400, CODE_BAD_REQUEST, f"{name} must be a whole number")
    return int(value)


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


def _compiled(text, entity_type=None):
    try:
        return compile_filter(text, entity_type)
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
