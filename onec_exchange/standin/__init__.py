"""A 1C:Enterprise stand-in: OData standard interface and a SOAP web service
served from one in-memory infobase, with fault injection and a control API.

In a test::

    with StandIn(profile="ut11", users={"Администратор": "пароль"}) as standin:
        url = standin.url          # http://127.0.0.1:<port>/
        standin.store.post_order(ref, 1000)      # an accountant at work
        standin.faults.add("Document_", "http_500", times=1)

From another process: ``python -m onec_exchange.standin --port 8081`` and the
control API described in :mod:`onec_exchange.standin.control`.
"""

import threading

from werkzeug.serving import WSGIRequestHandler, make_server

from ..profiles import load_profile
from ..soap_contract import SERVICE
from .app import StandInApp
from .faults import Faults
from .seed import seed_store

DEFAULT_USERS = {"Администратор": "пароль"}


class _QuietHandler(WSGIRequestHandler):
    """No access log on stderr: tests and benchmarks stay readable."""

    def log_request(self, *args, **kwargs):
        pass


class StandIn:
    """A running (or ready to run) stand-in for one 1C publication."""

    def __init__(
        self,
        profile="ut11",
        *,
        publication="trade",
        users=None,
        seed=1,
        counterparties=50,
        orders=200,
        payments=None,
        soap_alias=SERVICE,
        unpublished=(),
        start=None,
    ):
        self.profile = load_profile(profile)
        self.publication = publication
        self.users = dict(DEFAULT_USERS if users is None else users)
        self.soap_alias = soap_alias
        self.unpublished = tuple(unpublished)
        self.store = seed_store(seed, counterparties, orders, payments, start=start)
        self.faults = Faults()
        self.app = StandInApp(self)
        self.url = None
        self._server = None
        self._thread = None

    def start(self, host="127.0.0.1", port=0):
        """Serve in a background thread; returns the publication's base URL."""
        self._server = make_server(
            host, port, self.app, threaded=True, request_handler=_QuietHandler
        )
        self.host_url = f"http://{host}:{self._server.port}/"
        self.url = f"{self.host_url}{self.publication}/"
        self.app.bind(self.url)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self.url

    def wait(self):
        """Block until the server stops (the CLI waits here for Ctrl+C)."""
        self._thread.join()

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self):
        if self._server is None:
            self.start()
        return self

    def __exit__(self, *exc_info):
        self.stop()
