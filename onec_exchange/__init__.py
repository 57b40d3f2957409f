"""Talk to 1C:Enterprise: transports (OData, SOAP), configuration profiles,
typed errors, and a stand-in server for tests and demos.

This package never imports Odoo: the add-on ``accounting_1c_connector`` passes
it configuration and receives plain records or typed errors. Start with
``README.md`` next to this file.
"""

from .errors import (
    OneCAuthError,
    OneCConflict,
    OneCConnectionError,
    OneCEntityNotPublished,
    OneCError,
    OneCFormatError,
    OneCNotFound,
    OneCProtocolError,
    OneCPublicationNotFound,
    OneCRequestError,
    OneCServerError,
    OneCValidationError,
)
from .factory import make_transport
from .profiles import load_profile
from .transport import DEFAULT_PAGE_SIZE, Transport

__version__ = "0.1.0"
