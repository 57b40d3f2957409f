"""The factory of transports: beside the implementations, so that the base
class (:mod:`onec_exchange.transport`) never imports its subclasses."""

from .http_client import DEFAULT_TIMEOUT
from .odata import ODataTransport
from .soap import SoapTransport
from .soap_contract import SERVICE


def publication_url(base_url, publication):
    """``http://host/`` + ``trade`` -> ``http://host/trade/``."""
    return f"{base_url.rstrip('/')}/{publication.strip('/')}/"


def make_transport(
    protocol,
    base_url,
    publication,
    profile,
    *,
    username,
    password,
    timeout=DEFAULT_TIMEOUT,
    soap_alias=SERVICE,
):
    """A transport for ``protocol`` 'odata' or 'soap'.

    ``base_url`` is the web server (``http://host:port/``), ``publication``
    the infobase's publication name, ``profile`` a shipped profile name or a
    JSON file path. ``timeout`` bounds every request (1C can be slow under
    load: allow minutes, never infinity). SOAP only: ``soap_alias`` is the
    service's alias in ``default.vrd`` (``/ws/<alias>.1cws?wsdl``).
    """
    root = publication_url(base_url, publication)
    if protocol == "odata":
        return ODataTransport(root, profile, username, password, timeout=timeout)
    if protocol == "soap":
        return SoapTransport(
            root, profile, username, password, timeout=timeout, alias=soap_alias
        )
    raise ValueError(f"unknown protocol {protocol!r}: 'odata' or 'soap'")
