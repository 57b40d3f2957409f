"""The CRMExchange SOAP contract: what the transport and the stand-in share.

The contract is ``wsdl/CRMExchange.wsdl``, explained for the 1C programmer in
``docs/1c-soap-service.md``.
"""

from pathlib import Path

SERVICE = "CRMExchange"  # the web service's name, and its default alias
NAMESPACE = "http://crm-exchange.org/1c"
MAX_PAGE_SIZE = 10000  # the largest PageSize the service has to accept
WSDL_FILE = Path(__file__).parent / "wsdl" / f"{SERVICE}.wsdl"
