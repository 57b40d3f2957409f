"""Shared fixtures: stand-ins on 127.0.0.1 and transports pointed at them."""

import pytest
from helpers import PROFILES

from onec_exchange.standin import StandIn


@pytest.fixture(scope="module", params=PROFILES)
def standin(request):
    """A read-mostly stand-in per profile, shared by a module's tests."""
    with StandIn(request.param, seed=7, counterparties=40, orders=150) as running:
        yield running


@pytest.fixture
def fresh_standin():
    """A stand-in a test may change freely (UT 11)."""
    with StandIn("ut11", seed=3, counterparties=20, orders=60) as running:
        yield running


@pytest.fixture(params=("odata", "soap"))
def protocol(request):
    return request.param
