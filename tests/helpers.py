"""Helpers shared by the tests (fixtures live in conftest.py)."""

from onec_exchange.factory import make_transport

LOGIN = "Администратор"
PASSWORD = "пароль"
PROFILES = ("ut11", "bp30", "unf")


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
