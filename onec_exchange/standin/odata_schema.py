"""What the stand-in's OData interface publishes, described once.

Entity sets with their keys, properties, table-part row types, references
(navigation properties) and, for registers, virtual tables. ``$metadata``,
Atom answers (property types), ``$expand`` and navigation all read this
description, so they never disagree with each other or with the rows.
"""

from dataclasses import dataclass

from .model import INT64, LINES, NAMESPACE, navigation_name


@dataclass(frozen=True)
class Field:
    """One property; ``row`` is the row type of a collection property."""

    name: str
    edm: str
    target: str | None = None  # entity set of a plain reference
    row: "RowType | None" = None


@dataclass(frozen=True)
class RowType:
    """A complex type: a table-part row, a record-set row, a virtual table."""

    name: str
    fields: tuple

    def field(self, name):
        return next((f for f in self.fields if f.name == name), None)


@dataclass(frozen=True)
class VirtualTable:
    """``<register>/Balance(...)`` and its kin: a function bound to the set."""

    name: str  # Balance, Turnovers, BalanceAndTurnovers
    row: RowType
    parameters: tuple  # ((name, edm), ...)


@dataclass(frozen=True)
class EntitySet:
    """An entity set and its entity type (1C gives both the same name)."""

    name: str
    keys: tuple
    fields: tuple
    virtual_tables: tuple = ()
    linked: bool = True  # rows carry X@navigationLinkUrl for references

    @property
    def type_name(self):
        return f"{NAMESPACE}.{self.name}"

    def field(self, name):
        return next((f for f in self.fields if f.name == name), None)

    def navigation(self):
        """``{navigation property: reference field}`` of this set."""
        if not self.linked:
            return {}
        return {navigation_name(f.name): f for f in self.fields if f.target}

    def virtual_table(self, name):
        return next((t for t in self.virtual_tables if t.name == name), None)

    def key_text(self, row):
        """The key segment of a row, ``(guid'…')`` or named with several keys."""
        if self.keys == ("Ref_Key",):
            return f"(guid'{row['Ref_Key']}')"
        parts = [
            f"{key}={_key_literal(self.field(key), row[key])}" for key in self.keys
        ]
        return f"({','.join(parts)})"


def _key_literal(field, value):
    if field.edm == "Edm.Guid":
        return f"guid'{value}'"
    if field.edm == INT64:
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def collection_type(row_type_name):
    return f"Collection({NAMESPACE}.{row_type_name})"


def fields_of_columns(entity, columns):
    """Fields of model columns; a table part becomes a collection of its
    own row type, named per object (``Document_X_Товары_RowType``)."""
    fields = []
    for column in columns:
        if column.edm == LINES:
            row = RowType(
                f"{entity}_{column.name}_RowType",
                (Field("LineNumber", INT64), *line_fields(column)),
            )
            fields.append(Field(column.name, collection_type(row.name), row=row))
        else:
            fields.append(Field(column.name, column.edm, column.target))
    return tuple(fields)


def line_fields(column):
    return tuple(Field(c.name, c.edm, c.target) for c in column.lines)


def object_set(entity, columns):
    """A catalog or document set keyed by ``Ref_Key``."""
    return EntitySet(entity, ("Ref_Key",), fields_of_columns(entity, columns))


def table_part_set(name, column):
    """``Document_X_Товары``: the rows of every object, keyed by the object
    and the line."""
    fields = (
        Field("Ref_Key", "Edm.Guid"),
        Field("LineNumber", INT64),
        *line_fields(column),
    )
    return EntitySet(name, ("Ref_Key", "LineNumber"), fields, linked=False)


class Schema:
    """The published entity sets by name (unpublished ones left out, and
    references to them are no navigation properties)."""

    def __init__(self, entity_sets, unpublished=()):
        hidden = set(unpublished)
        self.sets = {s.name: s for s in entity_sets if s.name not in hidden}
        self.sets = {name: self._hide(s) for name, s in self.sets.items()}

    def _hide(self, entity_set):
        """References to an unpublished set lose their navigation."""
        fields = tuple(
            f if f.target is None or f.target in self.sets else _plain(f)
            for f in entity_set.fields
        )
        return EntitySet(
            entity_set.name,
            entity_set.keys,
            fields,
            entity_set.virtual_tables,
            entity_set.linked,
        )

    def __contains__(self, name):
        return name in self.sets

    def __getitem__(self, name):
        return self.sets[name]

    def names(self):
        return list(self.sets)


def _plain(field):
    return Field(field.name, field.edm, None, field.row)
