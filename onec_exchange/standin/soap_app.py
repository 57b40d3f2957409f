"""Placeholder replaced by the SOAP service below."""


class SoapApp:
    def __init__(self, store, profile, root_url, alias):
        self.alias = alias

    def handle(self, method, resource, query, body):
        return 404, "text/plain", b"not yet"
