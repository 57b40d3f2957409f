"""A pytest plugin for the Odoo suite's test processes (loaded with ``-p``)."""

import pytest


@pytest.fixture(scope="session", autouse=True)
def manifests_read_before_requests(load_http):
    """Read every add-on's manifest once, before the test server answers a
    request. Odoo reads them lazily, in the first static-file request, while
    other requests run in other threads; CPython 3.11 fails at random
    (``SystemError: AST constructor recursion depth mismatch``, CPython issue
    gh-106905) when two threads parse Python source at once."""
    from odoo import http  # noqa: PLC0415 (Odoo is set up by pytest-odoo first)

    http.root.statics  # noqa: B018 (a lazy property: reading it fills it)
