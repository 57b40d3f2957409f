"""``$metadata``: the schema as an OData v3 CSDL document (EDMX).

Everything a standard v3 client resolves is declared: entity types keyed
by properties they have, the row types of table parts and record sets
(named per object: ``Document_ЗаказКлиента_Товары_RowType``), the complex
types of the registers' virtual tables with a bound ``FunctionImport`` for
each, and a navigation property with its association for every reference
to a published set.
"""

from lxml import etree

from .model import NAMESPACE
from .odata_format import META_NS
from .odata_schema import collection_type

EDMX_NS = "http://schemas.microsoft.com/ado/2007/06/edmx"
EDM_NS = "http://schemas.microsoft.com/ado/2009/11/edm"
CONTAINER = NAMESPACE


def _edm(parent, tag, **attributes):
    return etree.SubElement(parent, f"{{{EDM_NS}}}{tag}", attributes)


def metadata_document(schema):
    """The EDMX bytes of ``schema``."""
    edmx = etree.Element(f"{{{EDMX_NS}}}Edmx", nsmap={"edmx": EDMX_NS}, Version="1.0")
    services = etree.SubElement(
        edmx, f"{{{EDMX_NS}}}DataServices", nsmap={"m": META_NS}
    )
    services.set(f"{{{META_NS}}}DataServiceVersion", "3.0")
    root = etree.SubElement(
        services, f"{{{EDM_NS}}}Schema", nsmap={None: EDM_NS}, Namespace=NAMESPACE
    )
    sets = list(schema.sets.values())
    for entity_set in sets:
        _entity_type(root, entity_set)
    for row_type in _row_types(sets):
        _complex_type(root, row_type.name, row_type.fields)
    associations = [
        (entity_set, name, field)
        for entity_set in sets
        for name, field in entity_set.navigation().items()
    ]
    for entity_set, name, field in associations:
        _association(root, entity_set, name, field)
    _container(root, sets, associations)
    return etree.tostring(edmx, xml_declaration=True, encoding="UTF-8")


def _row_types(sets):
    """Every complex type once: collection rows, then virtual tables."""
    seen = {}
    for entity_set in sets:
        for field in entity_set.fields:
            if field.row is not None:
                seen.setdefault(field.row.name, field.row)
        for table in entity_set.virtual_tables:
            seen.setdefault(table.row.name, table.row)
    return list(seen.values())


def _entity_type(root, entity_set):
    entity = _edm(root, "EntityType", Name=entity_set.name)
    key = _edm(entity, "Key")
    for name in entity_set.keys:
        _edm(key, "PropertyRef", Name=name)
    for field in entity_set.fields:
        nullable = "false" if field.name in entity_set.keys else "true"
        _edm(entity, "Property", Name=field.name, Type=field.edm, Nullable=nullable)
    for name in entity_set.navigation():
        _edm(
            entity,
            "NavigationProperty",
            Name=name,
            Relationship=f"{NAMESPACE}.{_association_name(entity_set, name)}",
            FromRole="Begin",
            ToRole="End",
        )


def _complex_type(root, name, fields):
    complex_type = _edm(root, "ComplexType", Name=name)
    for field in fields:
        _edm(complex_type, "Property", Name=field.name, Type=field.edm, Nullable="true")


def _association_name(entity_set, name):
    return f"{entity_set.name}_{name}"


def _association(root, entity_set, name, field):
    association = _edm(root, "Association", Name=_association_name(entity_set, name))
    _edm(association, "End", Role="Begin", Type=entity_set.type_name, Multiplicity="*")
    _edm(
        association,
        "End",
        Role="End",
        Type=f"{NAMESPACE}.{field.target}",
        Multiplicity="0..1",
    )


def _container(root, sets, associations):
    container = _edm(root, "EntityContainer", Name=CONTAINER)
    container.set(f"{{{META_NS}}}IsDefaultEntityContainer", "true")
    for entity_set in sets:
        _edm(
            container,
            "EntitySet",
            Name=entity_set.name,
            EntityType=entity_set.type_name,
        )
    for entity_set, name, field in associations:
        association = _association_name(entity_set, name)
        association_set = _edm(
            container,
            "AssociationSet",
            Name=association,
            Association=f"{NAMESPACE}.{association}",
        )
        _edm(association_set, "End", Role="Begin", EntitySet=entity_set.name)
        _edm(association_set, "End", Role="End", EntitySet=field.target)
    for entity_set in sets:
        for table in entity_set.virtual_tables:
            _function_import(container, entity_set, table)


def _function_import(container, entity_set, table):
    function = _edm(
        container,
        "FunctionImport",
        Name=table.name,
        ReturnType=collection_type(table.row.name),
        IsBindable="true",
        IsSideEffecting="false",
    )
    function.set(f"{{{META_NS}}}IsAlwaysBindable", "true")
    function.set(f"{{{META_NS}}}HttpMethod", "GET")
    _edm(
        function,
        "Parameter",
        Name="bindingParameter",
        Type=collection_type(entity_set.name),
    )
    for name, edm in table.parameters:
        _edm(function, "Parameter", Name=name, Type=edm, Nullable="true")
