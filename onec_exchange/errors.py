"""Typed errors of the 1C exchange.

Every failure the transports raise is a :class:`OneCError` that says what
failed (``entity``, ``key``, ``http_status``, ``onec_code``) and whether
retrying the same call later can help (``retryable``). ``message`` is the
sentence; ``details`` what the server answered when that is no message meant
for people (a raw body), for the log. ``str(error)`` holds everything, for the
log; the connector decides between "retry later" and "fix the setup" with
``error.retryable`` alone.
"""


class OneCError(Exception):
    """Base of every error raised by the exchange package."""

    retryable = False

    def __init__(
        self,
        message,
        *,
        entity=None,
        key=None,
        http_status=None,
        onec_code=None,
        retryable=None,
        details=None,
    ):
        super().__init__(message)
        self.message = message
        self.details = details
        self.entity = entity
        self.key = key
        self.http_status = http_status
        self.onec_code = onec_code
        if retryable is not None:
            self.retryable = retryable

    def __str__(self):
        details = [
            f"{name}={value}"
            for name, value in (
                ("entity", self.entity),
                ("key", self.key),
                ("http_status", self.http_status),
                ("onec_code", self.onec_code),
            )
            if value is not None
        ]
        suffix = f" [{', '.join(details)}]" if details else ""
        answer = f": {self.details}" if self.details else ""
        return f"{self.message}{answer}{suffix}"


class OneCConnectionError(OneCError):
    """The server could not be reached: DNS, refused connection, timeout."""

    retryable = True


class OneCAuthError(OneCError):
    """401: wrong login or password, or the password expired."""


class OneCNotFound(OneCError):
    """404 or 1C's "not found" for an object requested by key."""


class OneCPublicationNotFound(OneCNotFound):
    """The publication name (the first path segment) is unknown: 404."""


class OneCEntityNotPublished(OneCError):
    """An entity the profile needs is missing from ``$metadata``.

    The 1C administrator has to tick it in the OData publication settings.
    """


class OneCServerError(OneCError):
    """5xx or 1C's internal error (code -1): usually transient."""

    retryable = True


class OneCProtocolError(OneCError):
    """The answer is malformed or partial: nothing of it was used."""

    retryable = True


class OneCFormatError(OneCProtocolError):
    """1C (or a proxy in front of it) answered Atom/XML although JSON was
    asked: a setting, not a passing fault, so retrying gives the same."""

    retryable = False


def format_error(entity, content_type):
    """The error for an Atom/XML answer to a request that asked for JSON."""
    return OneCFormatError(
        "1C answered Atom/XML although JSON was asked ($format=json and "
        "Accept: application/json): a proxy or the web server in front of 1C "
        "drops the query string or the Accept header, or the publication "
        "serves Atom only. Let the proxy pass both through unchanged, or "
        "publish the OData interface again from the 1C Designer (platform "
        "8.3.5 or later)",
        entity=entity,
        details=f"Content-Type: {content_type or '?'}",
    )


def bad_record(entity, key, problem):
    """The error for a record that does not fit the profile or the contract.

    Not retryable: the same data will fail the same way until the profile or
    the 1C side is fixed.
    """
    return OneCProtocolError(
        f"{entity}: {problem}", entity=entity, key=key, retryable=False
    )


class OneCConflict(OneCError):
    """412: the object changed in 1C since it was read (stale DataVersion)."""

    retryable = True


class OneCRequestError(OneCError):
    """400 and other client errors: the request itself is wrong."""


class OneCValidationError(OneCError):
    """Data rejected before anything was sent (e.g. an INN with bad digits)."""
