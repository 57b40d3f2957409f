"""Helpers shared by the tests (fixtures live in conftest.py)."""

from urllib.parse import quote

import requests

from onec_exchange.factory import make_transport
from onec_exchange.http_client import basic_auth_header

LOGIN = "Администратор"
PASSWORD = "пароль"
PROFILES = ("ut11", "bp30", "unf")
QUERY_SAFE = "$'(),:=/"
PATH_SAFE = "/$'(),=:"


def flatten(pages):
    """Records of every page, checking that pages are non-empty lists."""
    records = []
    for page in pages:
        assert isinstance(page, list) and page
        records.extend(page)
    return records


def transport_for(standin, protocol, **options):
    return make_transport(
        protocol,
        standin.host_url,
        standin.publication,
        standin.profile,
        username=LOGIN,
        password=PASSWORD,
        timeout=options.pop("timeout", 10),
        **options,
    )


def unreachable_transport(protocol, base_url, publication="trade", timeout=2):
    """A transport aimed at something that is not a working 1C."""
    return make_transport(
        protocol,
        base_url,
        publication,
        "ut11",
        username=LOGIN,
        password=PASSWORD,
        timeout=timeout,
    )


def odata_request(standin, method, path, options=None, **kwargs):
    """A request as a generic OData client sends it: no ``$format`` unless
    asked, the query built with ``%20`` (never ``+``), Basic auth in UTF-8.
    ``kwargs``: ``headers``, ``json`` of :func:`requests.request`."""
    query = "&".join(
        f"{quote(name, safe='$')}={quote(str(value), safe=QUERY_SAFE)}"
        for name, value in (options or {}).items()
    )
    url = f"{standin.url}odata/standard.odata/{quote(path, safe=PATH_SAFE)}"
    headers = {"Authorization": basic_auth_header(LOGIN, PASSWORD)}
    headers.update(kwargs.pop("headers", {}))
    return requests.request(
        method,
        f"{url}?{query}" if query else url,
        headers=headers,
        timeout=10,
        **kwargs,
    )


def odata_json(standin, path, options=None, **kwargs):
    """The decoded JSON answer of a GET asking ``Accept: application/json``."""
    headers = {"Accept": "application/json", **kwargs.pop("headers", {})}
    answer = odata_request(standin, "GET", path, options, headers=headers, **kwargs)
    assert answer.status_code == 200, answer.text
    return answer.json()
