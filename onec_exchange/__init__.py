"""Talk to 1C:Enterprise: transports (OData, SOAP), configuration profiles,
typed errors, and a stand-in server for tests and demos.

This package never imports Odoo: the add-on ``accounting_1c_connector`` passes
it configuration and receives plain records or typed errors.
"""

__version__ = "0.1.0"
