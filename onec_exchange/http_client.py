"""HTTP plumbing shared by both transports: Basic auth in UTF-8, bounded
timeouts, query strings with ``%20``, and HTTP failures as typed errors."""

import base64
import json
from urllib.parse import quote

import requests

from .errors import (
    OneCAuthError,
    OneCConflict,
    OneCConnectionError,
    OneCNotFound,
    OneCProtocolError,
    OneCPublicationNotFound,
    OneCRequestError,
    OneCServerError,
)

DEFAULT_TIMEOUT = 120.0
# characters OData expressions need verbatim; everything else is %-encoded,
# a space as %20 (1C does not read "+" as a space)
_QUERY_SAFE = "$'(),:="
_PATH_SAFE = "/$'(),=:"


def basic_auth_header(username, password):
    """``Authorization`` value with UTF-8 credentials (1C logins are often
    Cyrillic; requests would encode them as Latin-1 and fail)."""
    token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
    return f"Basic {token}"


def build_query(options):
    """``$a=1&$b=x%20y`` from ``{"$a": 1, "$b": "x y"}`` (no ``+`` ever)."""
    return "&".join(
        f"{quote(str(name), safe='$')}={quote(str(value), safe=_QUERY_SAFE)}"
        for name, value in options.items()
        if value is not None
    )


def quote_path(path):
    return quote(path, safe=_PATH_SAFE)


def make_session(username, password):
    """A requests session that authenticates every call, WSDL included."""
    session = requests.Session()
    session.headers["Authorization"] = basic_auth_header(username, password)
    return session


def connection_error(error, url):
    """A typed error for a request that got no HTTP answer."""
    text = str(error)
    if isinstance(error, requests.Timeout):
        what = "timed out"
    elif "Name or service not known" in text or "NameResolution" in text:
        what = "cannot resolve the host name"
    elif "refused" in text.lower():
        what = "connection refused"
    elif isinstance(error, requests.exceptions.ChunkedEncodingError):
        return OneCProtocolError(f"the answer from {url} was cut off: {error}")
    else:
        what = "connection failed"
    return OneCConnectionError(f"{what}: {url} ({type(error).__name__})")


def onec_error_details(body):
    """``(code, message)`` from 1C's ``odata.error`` body, or ``(None, None)``."""
    try:
        error = json.loads(body)["odata.error"]
        return str(error["code"]), str(error["message"]["value"])
    except (ValueError, KeyError, TypeError):
        return None, None


_STATUS_ERRORS = {
    401: (OneCAuthError, "1C rejected the login or password"),
    403: (OneCAuthError, "the 1C user lacks rights"),
    404: (OneCNotFound, "not found in 1C"),
    412: (OneCConflict, "changed in 1C since it was read"),
}


def status_error(status, body, *, entity=None, key=None, publication_url=None):
    """The typed error for a non-success HTTP status."""
    code, message = onec_error_details(body)
    text = message or _snippet(body)
    details = {"entity": entity, "key": key, "http_status": status, "onec_code": code}
    if status == 404 and code is None:
        # 1C itself answers 404 with an odata.error; a bare 404 is the web
        # server saying the publication does not exist
        return OneCPublicationNotFound(
            f"no 1C publication answers at {publication_url}", **details
        )
    if status in _STATUS_ERRORS:
        error_class, what = _STATUS_ERRORS[status]
        if message:
            return error_class(f"{what}: {message}", **details)
        # not 1C's own error (the web server's page, a bare JSON): a detail
        return error_class(what, details=_snippet(body) or None, **details)
    if status >= 500 or code == "-1":
        return OneCServerError(f"1C server error: {text}", **details)
    return OneCRequestError(f"1C refused the request: {text}", **details)


def _snippet(body):
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    return " ".join(body.split())[:200]


class HttpClient:
    """Sends requests below a publication's root URL."""

    def __init__(self, root_url, username, password, timeout=DEFAULT_TIMEOUT):
        self.root_url = root_url
        self.timeout = timeout
        self.session = make_session(username, password)

    def request(
        self,
        method,
        path,
        options=None,
        *,
        body=None,
        headers=None,
        entity=None,
        key=None,
    ):
        """The response of a successful request; failures raise OneCError."""
        url = self.root_url + quote_path(path)
        if options:
            url = f"{url}?{build_query(options)}"
        try:
            response = self.session.request(
                method, url, json=body, headers=headers, timeout=self.timeout
            )
            content = response.content
        except requests.RequestException as error:
            raise connection_error(error, url) from error
        if response.status_code >= 400:
            raise status_error(
                response.status_code,
                content,
                entity=entity,
                key=key,
                publication_url=self.root_url,
            )
        return response

    def close(self):
        self.session.close()
