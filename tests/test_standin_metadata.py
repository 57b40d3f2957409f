"""The stand-in's ``$metadata`` loads in a standard OData v3 client: a CSDL
checker (lxml) rejects undeclared types, keys on missing properties and
dangling associations, sets or function imports."""

import pytest
from helpers import PROFILES, odata_request
from lxml import etree

from onec_exchange.standin import StandIn

EDM = "{http://schemas.microsoft.com/ado/2009/11/edm}"
META = "{http://schemas.microsoft.com/ado/2007/08/dataservices/metadata}"
PRIMITIVES = {
    f"Edm.{name}"
    for name in (
        "Binary Boolean Byte DateTime DateTimeOffset Decimal Double Guid Int16 "
        "Int32 Int64 SByte Single String Time"
    ).split()
}


def _element_type(type_name):
    if type_name.startswith("Collection(") and type_name.endswith(")"):
        return type_name[len("Collection(") : -1]
    return type_name


def csdl_problems(content):
    """Every reason a v3 client would refuse this EDMX (empty: none)."""
    root = etree.fromstring(content)
    problems = []
    services = root.find("{http://schemas.microsoft.com/ado/2007/06/edmx}DataServices")
    if services is None or services.get(f"{META}DataServiceVersion") != "3.0":
        problems.append("no DataServices of version 3.0")
        return problems
    schema = services.find(f"{EDM}Schema")
    namespace = schema.get("Namespace")
    entity_types = {
        f"{namespace}.{t.get('Name')}": t for t in schema.findall(f"{EDM}EntityType")
    }
    complex_types = {
        f"{namespace}.{t.get('Name')}": t for t in schema.findall(f"{EDM}ComplexType")
    }
    associations = {
        f"{namespace}.{a.get('Name')}": a for a in schema.findall(f"{EDM}Association")
    }
    declared = PRIMITIVES | set(entity_types) | set(complex_types)
    names = [t.get("Name") for t in schema if isinstance(t.tag, str) and t.get("Name")]
    problems += [
        f"{name} declared twice" for name in set(names) if names.count(name) > 1
    ]
    for type_name, element in {**entity_types, **complex_types}.items():
        problems += _type_problems(type_name, element, declared, associations)
    for name, association in associations.items():
        for end in association.findall(f"{EDM}End"):
            if end.get("Type") not in entity_types:
                problems.append(f"{name}: end of undeclared type {end.get('Type')}")
    container = schema.find(f"{EDM}EntityContainer")
    problems += _container_problems(container, entity_types, associations, declared)
    return problems


def _type_problems(type_name, element, declared, associations):
    problems = []
    properties = [p.get("Name") for p in element.findall(f"{EDM}Property")]
    if len(set(properties)) != len(properties):
        problems.append(f"{type_name}: a property declared twice")
    for prop in element.findall(f"{EDM}Property"):
        if _element_type(prop.get("Type")) not in declared:
            problems.append(
                f"{type_name}.{prop.get('Name')}: undeclared {prop.get('Type')}"
            )
    if element.tag == f"{EDM}EntityType":
        refs = [r.get("Name") for r in element.findall(f"{EDM}Key/{EDM}PropertyRef")]
        if not refs:
            problems.append(f"{type_name}: no key")
        for ref in refs:
            key = element.find(f"{EDM}Property[@Name='{ref}']")
            if key is None:
                problems.append(f"{type_name}: key {ref} is no property")
            elif key.get("Nullable") != "false":
                problems.append(f"{type_name}: key {ref} may be null")
    for navigation in element.findall(f"{EDM}NavigationProperty"):
        association = associations.get(navigation.get("Relationship"))
        roles = (
            {
                end.get("Role"): end.get("Type")
                for end in association.findall(f"{EDM}End")
            }
            if association is not None
            else {}
        )
        if (
            roles.get(navigation.get("FromRole")) != type_name
            or navigation.get("ToRole") not in roles
        ):
            problems.append(
                f"{type_name}.{navigation.get('Name')}: dangling navigation"
            )
    return problems


def _container_problems(container, entity_types, associations, declared):
    problems = []
    sets = {}
    for entity_set in container.findall(f"{EDM}EntitySet"):
        sets[entity_set.get("Name")] = entity_set.get("EntityType")
        if entity_set.get("EntityType") not in entity_types:
            problems.append(f"set {entity_set.get('Name')}: undeclared type")
    for association_set in container.findall(f"{EDM}AssociationSet"):
        association = associations.get(association_set.get("Association"))
        if association is None:
            problems.append(f"{association_set.get('Name')}: undeclared association")
            continue
        types = {e.get("Role"): e.get("Type") for e in association.findall(f"{EDM}End")}
        for end in association_set.findall(f"{EDM}End"):
            if sets.get(end.get("EntitySet")) != types.get(end.get("Role")):
                problems.append(f"{association_set.get('Name')}: end on a wrong set")
    overloads = set()
    for function in container.findall(f"{EDM}FunctionImport"):
        name = function.get("Name")
        if _element_type(function.get("ReturnType")) not in declared:
            problems.append(f"{name}: undeclared return type")
        parameters = function.findall(f"{EDM}Parameter")
        for parameter in parameters:
            if _element_type(parameter.get("Type")) not in declared:
                problems.append(f"{name}({parameter.get('Name')}): undeclared type")
        binding = parameters[0].get("Type") if function.get("IsBindable") else None
        if (name, binding) in overloads:
            problems.append(f"{name}: two imports bound to {binding}")
        overloads.add((name, binding))
    return problems


@pytest.fixture(scope="module", params=PROFILES)
def standin(request):
    with StandIn(request.param, seed=2, counterparties=5, orders=5) as running:
        yield running


def metadata(standin):
    answer = odata_request(standin, "GET", "$metadata")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("application/xml")
    return answer.content


def test_metadata_passes_the_csdl_checker(standin):
    assert csdl_problems(metadata(standin)) == []


def test_the_checker_rejects_broken_documents(standin):
    content = metadata(standin).decode()
    broken = {
        "undeclared type": content.replace(
            'Type="Edm.Guid"', 'Type="StandardODATA.Nowhere"', 1
        ),
        "missing key": content.replace(
            '<PropertyRef Name="Ref_Key"/>', '<PropertyRef Name="Nope"/>', 1
        ),
        "undeclared row type": content.replace('_RowType"', '_Gone"', 1),
    }
    for what, text in broken.items():
        assert csdl_problems(text.encode()), what


def types_of(standin):
    root = etree.fromstring(metadata(standin))
    schema = root.find(f".//{EDM}Schema")
    return {t.get("Name"): t for t in schema if isinstance(t.tag, str)}, schema


def test_table_part_row_types_are_named_per_object():
    with StandIn("ut11", seed=2, counterparties=3, orders=3) as ut11:
        types, _schema = types_of(ut11)
    order = types["Document_ЗаказКлиента"]
    lines = order.find(f"{EDM}Property[@Name='Товары']")
    assert lines.get("Type") == (
        "Collection(StandardODATA.Document_ЗаказКлиента_Товары_RowType)"
    )
    assert "Document_РеализацияТоваровУслуг_Товары_RowType" in types
    assert "Товары_RowType" not in types
    line_set = types["Document_ЗаказКлиента_Товары"]
    keys = [r.get("Name") for r in line_set.iter(f"{EDM}PropertyRef")]
    assert keys == ["Ref_Key", "LineNumber"]


def test_references_are_navigation_properties():
    with StandIn("ut11", seed=2, counterparties=3, orders=3) as ut11:
        types, schema = types_of(ut11)
    counterparty = types["Catalog_Контрагенты"]
    partner = counterparty.find(f"{EDM}NavigationProperty[@Name='Партнер']")
    association = types[partner.get("Relationship").split(".", 1)[1]]
    ends = {e.get("Role"): e.get("Type") for e in association.findall(f"{EDM}End")}
    assert ends[partner.get("ToRole")] == "StandardODATA.Catalog_Партнеры"
    order = types["Document_ЗаказКлиента"]
    navigation = {n.get("Name") for n in order.findall(f"{EDM}NavigationProperty")}
    assert {"Контрагент", "Партнер", "Валюта", "Организация"} <= navigation
    assert (
        schema.find(f"{EDM}EntityContainer/{EDM}EntitySet[@Name='Catalog_Организации']")
        is not None
    )


def test_registers_are_keyed_by_recorder_with_virtual_tables(standin):
    types, schema = types_of(standin)
    register = standin.profile.data["receivables"]["register"]
    keys = [r.get("Name") for r in types[register].iter(f"{EDM}PropertyRef")]
    assert keys == ["Recorder", "Recorder_Type"]
    record_set = types[register].find(f"{EDM}Property[@Name='RecordSet']")
    assert record_set.get("Type") == f"Collection(StandardODATA.{register}_RowType)"
    records = [
        r.get("Name") for r in types[f"{register}_RecordType"].iter(f"{EDM}PropertyRef")
    ]
    assert records == ["Recorder", "Recorder_Type", "LineNumber"]
    for suffix in ("Balance", "Turnover", "BalanceAndTurnover"):
        assert types[f"{register}_{suffix}"].tag == f"{EDM}ComplexType"
    functions = {
        f.get("Name"): f
        for f in schema.iter(f"{EDM}FunctionImport")
        if f.find(f"{EDM}Parameter").get("Type")
        == f"Collection(StandardODATA.{register})"
    }
    assert set(functions) == {"Balance", "Turnovers", "BalanceAndTurnovers"}
    parameters = [
        p.get("Name") for p in functions["Balance"].findall(f"{EDM}Parameter")
    ]
    assert parameters == ["bindingParameter", "Period", "Condition", "Dimensions"]
    parameters = [
        p.get("Name") for p in functions["Turnovers"].findall(f"{EDM}Parameter")
    ]
    assert parameters[1:3] == ["StartPeriod", "EndPeriod"]


def test_an_unpublished_set_leaves_no_dangling_reference():
    with StandIn(
        "ut11", seed=2, counterparties=3, orders=3, unpublished=["Catalog_Партнеры"]
    ) as ut11:
        content = metadata(ut11)
    assert csdl_problems(content) == []
    assert 'Name="Catalog_Партнеры"' not in content.decode()
