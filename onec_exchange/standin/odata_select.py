"""``$select`` and ``$expand`` as trees of property paths.

``$select=Ref_Key,Контрагент/Description`` and ``$expand=Контрагент/Партнер``
become ``{name: {sub-name: {...}}}`` trees (an empty tree: the whole
property); a selected path through a navigation property expands it.
"""

from .odata_paths import PathError, split_outside


def path_tree(text):
    """``{name: subtree}`` of a comma-separated list of ``a/b/c`` paths."""
    tree = {}
    for item in split_outside(text or "", ","):
        names = [name.strip() for name in item.strip().split("/")]
        if not all(names):
            if item.strip():
                raise PathError(f"cannot read the path {item.strip()!r}")
            continue
        node = tree
        for name in names:
            node = node.setdefault(name, {})
    return tree


def expansions(entity_set, select, expand, schema):
    """The expand tree of ``entity_set``: ``expand`` and the navigation
    paths that the ``select`` tree reaches through."""
    tree = dict(expand)
    navigation = entity_set.navigation()
    for name, subtree in select.items():
        if name in navigation and subtree:
            target = schema[navigation[name].target]
            tree[name] = expansions(target, subtree, tree.get(name, {}), schema)
    return tree


def selected(row, tree):
    """``row`` cut to the selected properties (all with ``*`` or no tree);
    an unexpanded navigation property keeps its link."""
    if not tree or not isinstance(row, dict):
        return row
    result = dict(row) if "*" in tree else {}
    for name, subtree in tree.items():
        link = f"{name}@navigationLinkUrl"
        if name in row:
            result[name] = selected(row[name], subtree)
        elif link in row:
            result[link] = row[link]
    return result
