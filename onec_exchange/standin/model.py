"""How the stand-in shows its store through a profile: OData columns.

Each entity set is a list of :class:`Column`; the same columns render rows,
parse written rows and describe the set in ``$metadata``, so the three can
never disagree.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from ..records import EMPTY_REF

NAMESPACE = "StandardODATA"
EMPTY_DATE = "0001-01-01T00:00:00"
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S"
GUID = "Edm.Guid"
STRING = "Edm.String"
BOOLEAN = "Edm.Boolean"
DOUBLE = "Edm.Double"
DATETIME = "Edm.DateTime"
INT64 = "Edm.Int64"
LINES = "lines"
ORGANIZATIONS = "Catalog_Организации"
ORGANIZATION_REF = "5b3f1c7e-1c00-1c00-8c00-00000000000a"

# profile role -> (store key, OData type, kind of the referenced object)
ROLES = {
    "name": ("name", STRING, None),
    "full_name": ("full_name", STRING, None),
    "inn": ("inn", STRING, None),
    "kpp": ("kpp", STRING, None),
    "comment": ("comment", STRING, None),
    "status": ("status", STRING, None),
    "amount": ("amount", DOUBLE, None),
    "is_client": ("is_client", BOOLEAN, None),
    "counterparty": ("counterparty_ref", GUID, "counterparty"),
    "partner": ("partner_ref", GUID, "partner"),
    "head": ("head_ref", GUID, "counterparty"),
    "currency": ("currency_ref", GUID, "currency"),
    "order": ("order_ref", GUID, "order"),
}
LINE_ROLES = {
    "product": ("product_ref", GUID, "product"),
    "quantity": ("quantity", DOUBLE, None),
    "price": ("price", DOUBLE, None),
    "amount": ("amount", DOUBLE, None),
}


class WriteError(ValueError):
    """A written property that 1C would refuse."""


@dataclass(frozen=True)
class Column:
    """One OData property backed by a store key, a constant or an enum."""

    name: str
    edm: str
    key: str | None = None
    const: object = None
    enum: tuple | None = None  # (value for False, value for True)
    lines: tuple = ()  # columns of a table part row
    target: str | None = None  # the entity set a reference points to

    def value(self, obj):
        if self.const is not None:
            return self.const
        raw = obj.get(self.key)
        if self.enum:
            return self.enum[bool(raw)]
        if self.edm == LINES:
            return [
                _render_line(self.lines, obj["ref"], n, row)
                for n, row in enumerate(raw or (), 1)
            ]
        return to_odata(raw, self.edm)

    def parse(self, value):
        """The store value for a written OData value."""
        if self.enum:
            if value not in self.enum:
                raise WriteError(f"{self.name}: unknown value {value!r}")
            return self.enum.index(value) == 1
        if self.edm == LINES:
            return self._parse_lines(value)
        return from_odata(value, self.edm, self.name)

    def _parse_lines(self, rows):
        """A written table part: the whole part is replaced, its rows
        numbered again from 1 in the order given (as 1C does)."""
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise WriteError(f"{self.name}: a table part is a list of rows")
        by_name = {column.name: column for column in self.lines}
        lines = []
        for row in rows:
            unknown = set(row) - set(by_name) - {"Ref_Key", "LineNumber"}
            if unknown:
                raise WriteError(f"{self.name} has no column {sorted(unknown)[0]}")
            lines.append(
                {
                    column.key: column.parse(row[column.name])
                    if column.name in row
                    else from_odata(_EMPTY[column.edm], column.edm, column.name)
                    for column in self.lines
                }
            )
        return lines


_EMPTY = {GUID: EMPTY_REF, DOUBLE: 0, STRING: "", BOOLEAN: False}


def _render_line(columns, ref, number, row):
    line = {"Ref_Key": ref, "LineNumber": str(number)}
    for column in columns:
        line[column.name] = column.value(row)
    return line


def to_odata(value, edm):
    """A store value as 1C writes it in JSON (empty refs and dates included)."""
    if edm == GUID:
        return value or EMPTY_REF
    if edm == DATETIME:
        # isoformat pads years below 1000, strftime does not
        return value.isoformat(timespec="seconds") if value else EMPTY_DATE
    if edm == DOUBLE:
        return float(value or 0)
    if edm == BOOLEAN:
        return bool(value)
    return "" if value is None else value


def from_odata(value, edm, name):
    """Parse a written value; wrong types raise :class:`WriteError`."""
    try:
        if edm == GUID:
            return None if value in (None, EMPTY_REF) else str(value).lower()
        if edm == DATETIME:
            return (
                None if value == EMPTY_DATE else datetime.strptime(value, DATE_FORMAT)
            )
        if edm == DOUBLE:
            return Decimal(str(value))
        if edm == BOOLEAN and isinstance(value, bool):
            return value
        if edm == STRING and isinstance(value, str):
            return value
    except (TypeError, ValueError, InvalidOperation):
        pass
    raise WriteError(f"{name}: {value!r} is not a valid {edm}")


def reference_columns(name, key, target_entity):
    """A reference: ``X_Key`` plain, or ``X`` + ``X_Type`` when composite."""
    if name.endswith("_Key"):
        return [Column(name, GUID, key, target=target_entity)]
    return [
        Column(name, GUID, key),
        Column(f"{name}_Type", STRING, const=f"StandardODATA.{target_entity}"),
    ]


def _object_columns():
    """The standard fields of every catalog and document."""
    return [
        Column("Ref_Key", GUID, "ref"),
        Column("DataVersion", STRING, "data_version"),
        Column("DeletionMark", BOOLEAN, "deletion_mark"),
    ]


def catalog_columns(extra=()):
    return [
        *_object_columns(),
        Column("Code", STRING, "code"),
        Column("Description", STRING, "name"),
        Column("IsFolder", BOOLEAN, const=False),
        Column("Parent_Key", GUID, const=EMPTY_REF),
        Column("Predefined", BOOLEAN, const=False),
        Column("PredefinedDataName", STRING, const=""),
        *extra,
    ]


def document_columns(extra=()):
    return [
        *_object_columns(),
        Column("Number", STRING, "number"),
        Column("Date", DATETIME, "date"),
        Column("Posted", BOOLEAN, "posted"),
        Column("Организация_Key", GUID, const=ORGANIZATION_REF, target=ORGANIZATIONS),
        *extra,
    ]


def render_row(entity, columns, obj):
    """The OData JSON object of ``obj``: its columns and, for every plain
    reference, ``X@navigationLinkUrl`` (relative to the service root)."""
    row = {}
    for column in columns:
        row[column.name] = column.value(obj)
        if column.target:
            link = navigation_name(column.name)
            row[f"{link}@navigationLinkUrl"] = f"{entity}(guid'{obj['ref']}')/{link}"
    return row


def navigation_name(name):
    """``Партнер`` for the reference ``Партнер_Key``."""
    return name[:-4]


def organization_catalog():
    """``(rows function, columns)`` of the one organization documents name."""
    row = {
        "ref": ORGANIZATION_REF,
        "code": "000000001",
        "name": "ООО «Наша фирма»",
        "data_version": "AAAAAAAAAAE=",
    }
    return (lambda: [row]), catalog_columns()


class EntityModel:
    """Entity sets of one profile: name -> (store kind, columns)."""

    def __init__(self, profile):
        self.profile = profile
        self.entities = {}
        self.kind_entity = {
            "currency": profile.data["currencies"],
            "product": profile.data["products"],
        }
        sections = [("counterparty", profile.section("counterparty"))]
        if profile.data.get("partner"):
            sections.append(("partner", profile.data["partner"]))
        sections += profile.document_sections()
        for kind, section in sections:
            self.kind_entity[kind] = section["entity"]
        for kind, section in sections:
            self.entities[section["entity"]] = (
                kind,
                self._section_columns(kind, section),
            )
        self.entities[self.kind_entity["currency"]] = (
            "currency",
            catalog_columns([Column("НаименованиеПолное", STRING, "full_name")]),
        )
        self.entities[self.kind_entity["product"]] = ("product", catalog_columns())

    def _section_columns(self, kind, section):
        extra = []
        for role, name in section["fields"].items():
            if name is None or name == "Description":
                continue
            extra += self._role_columns(role, name, section)
        if section.get("lines"):
            extra.append(self._lines_column(section["lines"]))
        if kind in ("counterparty", "partner"):
            return catalog_columns(extra)
        return document_columns(extra)

    def _role_columns(self, role, name, section):
        if role == "legal_form":
            forms = section["legal_form"]
            return [
                Column(
                    name, STRING, "is_person", enum=(forms["company"], forms["person"])
                )
            ]
        key, edm, target_kind = ROLES[role]
        if edm == GUID:
            return reference_columns(name, key, self.kind_entity.get(target_kind, ""))
        return [Column(name, edm, key)]

    def _lines_column(self, spec):
        columns = tuple(
            Column(spec[role], edm, key, target=self.kind_entity.get(target))
            for role, (key, edm, target) in LINE_ROLES.items()
        )
        return Column(spec["table"], LINES, "lines", lines=columns)

    def row(self, entity, obj):
        """The OData JSON object of a store object."""
        return render_row(entity, self.entities[entity][1], obj)

    def parse(self, entity, body):
        """Store values from a written JSON object; unknown names raise."""
        _kind, columns = self.entities[entity]
        by_name = {column.name: column for column in columns}
        values = {}
        for name, value in body.items():
            column = by_name.get(name)
            if column is None or "@" in name:
                raise WriteError(f"{entity} has no property {name}")
            if column.key and column.const is None:
                values[column.key] = column.parse(value)
        return values

    def table_parts(self):
        """``{Document_X_Table: (document entity, lines column)}``."""
        return {
            f"{entity}_{column.name}": (entity, column)
            for entity, (_kind, columns) in self.entities.items()
            for column in columns
            if column.edm == LINES
        }
