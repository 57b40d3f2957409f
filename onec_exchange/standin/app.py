"""The stand-in's WSGI application: one publication, several interfaces.

``/<publication>/odata/standard.odata/...``  OData standard interface
``/<publication>/ws/<alias>.1cws``           SOAP web service (``?wsdl``)
``/<publication>/_standin/...``              control API for tests and demos

Everything needs HTTP Basic auth with a known 1C user (UTF-8 credentials);
an unknown publication answers 404 like the web server in front of 1C.
Faults are applied here, around whichever interface answers.
"""

import base64
import binascii
from urllib.parse import unquote

from werkzeug.wrappers import Request, Response

from . import faults as fault_kinds
from .control import ControlApi
from .odata_app import ODataApp
from .odata_format import json_error
from .soap_app import SoapApp

ODATA_PREFIX = "odata/standard.odata/"
CONTROL_PREFIX = "_standin/"
_HTML_404 = b"<html><body><h1>404 Not Found</h1></body></html>"


def parse_query(raw):
    """Query options decoded with ``%XX`` only: a ``+`` stays a ``+``.

    1C does not read ``+`` as a space, so a filter sent that way breaks;
    decoding it here the same way lets the stand-in reject it too.
    """
    options = {}
    for pair in filter(None, raw.split("&")):
        name, _, value = pair.partition("=")
        options[unquote(name)] = unquote(value)
    return options


def basic_credentials(header):
    """``(login, password)`` from a Basic header decoded as UTF-8, or None."""
    scheme, _, encoded = (header or "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        login, _, password = base64.b64decode(encoded).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return login, password


class StandInApp:
    """Routes requests of one publication and applies faults."""

    def __init__(self, standin):
        self.standin = standin
        self.odata = None
        self.soap = None
        self.control = None

    def bind(self, root_url):
        """Create the interface apps once the server's address is known."""
        standin = self.standin
        self.odata = ODataApp(
            standin.store,
            standin.profile,
            f"{root_url}{ODATA_PREFIX}",
            standin.unpublished,
        )
        self.soap = SoapApp(
            standin.store, standin.profile, root_url, standin.soap_alias
        )
        self.control = ControlApi(standin)

    def __call__(self, environ, start_response):
        request = Request(environ)
        status, content_type, body, headers = self.respond(request, environ)
        response = Response(body, status=status, content_type=content_type)
        for name, value in headers.items():
            response.headers[name] = value
        return response(environ, start_response)

    def respond(self, request, environ):
        """``(status, content type, body, extra headers)`` for a request."""
        raw_query = environ.get("QUERY_STRING", "")
        raw_query = raw_query.encode("latin-1").decode("utf-8", "replace")
        path = request.path
        rule = self.standin.faults.take(f"{request.method} {path}?{unquote(raw_query)}")
        if rule is not None:
            fault_kinds.wait(rule)
            early = self._early_fault(rule)
            if early:
                return early
        query = parse_query(raw_query)
        if rule is not None and rule.kind == "atom":
            # a proxy that drops the format asked: 1C answers its default
            query.pop("$format", None)
            environ.pop("HTTP_ACCEPT", None)
            request = Request(environ)
        answer = self._route(request, path, query)
        if rule is not None and rule.kind in fault_kinds.BODY_FAULTS:
            status, content_type, body, headers = answer
            return status, content_type, fault_kinds.corrupt(rule, body), headers
        return answer

    def _early_fault(self, rule):
        if rule.kind == "http_500":
            return (
                *json_error(500, "-1", "Внутренняя ошибка информационной базы"),
                {},
            )
        if rule.kind == "http_503":
            return (
                503,
                "text/html",
                b"<html><body>503 Service Unavailable</body></html>",
                {},
            )
        if rule.kind == "expired_password":
            return _unauthorized("Срок действия пароля истек")
        if rule.kind == "xml_entity":
            return 200, "text/xml;charset=utf-8", _ENTITY_XML, {}
        return None

    def _route(self, request, path, query):
        prefix = f"/{self.standin.publication}/"
        if not path.startswith(prefix):
            return 404, "text/html", _HTML_404, {}
        if not self._authorized(request):
            return _unauthorized("Ошибка аутентификации")
        resource = path[len(prefix) :]
        body = request.get_data()
        if resource.startswith(ODATA_PREFIX) or resource == ODATA_PREFIX[:-1]:
            odata_resource = resource[len(ODATA_PREFIX) :]
            answer = self.odata.handle(
                request.method, odata_resource, query, body, request.headers
            )
            return (*answer, {})
        if resource.startswith("ws/"):
            login = basic_credentials(request.headers.get("Authorization"))[0]
            answer = self.soap.handle(request.method, resource[3:], query, body, login)
            return (*answer, {})
        if resource.startswith(CONTROL_PREFIX):
            control_path = resource[len(CONTROL_PREFIX) :]
            return (*self.control.handle(request.method, control_path, body), {})
        return 404, "text/html", _HTML_404, {}

    def _authorized(self, request):
        credentials = basic_credentials(request.headers.get("Authorization"))
        if credentials is None:
            return False
        login, password = credentials
        return self.standin.users.get(login) == password


def _unauthorized(message):
    """1C's 401: a Basic challenge and a short plain-text reason, which any
    client can show (neither JSON nor XML that a client would try to read
    as an answer)."""
    headers = {"WWW-Authenticate": 'Basic realm="1C:Enterprise"'}
    return 401, "text/plain;charset=utf-8", f"{message}\n".encode(), headers


_ENTITY_XML = (
    b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b"\n<x>&xxe;</x>"
)
