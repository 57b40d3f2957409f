"""OData literals and conditions as 1C reads them.

Shared by the OData transport and its receivables readers; the values that
go into a condition are checked (INN, KPP, GUIDs) before they get here.
"""

from urllib.parse import quote

# Characters a URL-encoded condition may take: the web servers in front of
# 1C refuse longer requests (IIS: 2,048 for the query string by default).
CONDITION_BUDGET = 1800


def odata_datetime(value):
    """``datetime'2024-01-01T00:00:00'`` (1C dates have no time zone)."""
    return f"datetime'{value.strftime('%Y-%m-%dT%H:%M:%S')}'"


def odata_string(value):
    """A quoted OData string literal (a quote doubles)."""
    return "'" + value.replace("'", "''") + "'"


def guid_literal(ref):
    return f"guid'{ref}'"


def composite_literal(entity):
    """Literals of a composite-type field (``ExtDimension1``): 1C wants the
    reference cast to its type."""
    return lambda ref: f"cast(guid'{ref}', '{entity}')"


def ref_conditions(field, refs, literal=guid_literal, budget=CONDITION_BUDGET):
    """Conditions ``field eq <ref> or ...`` that select ``refs``, each short
    enough for one request (``budget`` URL-encoded characters); ``[None]``
    (no condition) when ``refs`` is None, none at all when it is empty."""
    if refs is None:
        return [None]
    conditions, terms, size = [], [], 0
    for ref in refs:
        term = f"{field} eq {literal(ref)}"
        cost = len(quote(f"{term} or ".replace("'", "''")))
        if terms and size + cost > budget:
            conditions.append(" or ".join(terms))
            terms, size = [], 0
        terms.append(term)
        size += cost
    if terms:
        conditions.append(" or ".join(terms))
    return conditions
