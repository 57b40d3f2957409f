"""The control API: drive a running stand-in from another process.

All under ``/<publication>/_standin/`` with the same Basic auth, JSON in and
out:

``GET    state``                       counts per kind and active faults
``POST   faults``                      ``{"pattern", "kind", "times", "delay"}``
``DELETE faults``                      remove every fault
``DELETE faults/<id>``                 remove one fault
``POST   counterparties``              ``{"name", "inn", "kpp", "is_person"}``
``POST   orders``                      ``{"counterparty_ref", "amount", "comment"}``
``POST   shipments``                   ``{"order_ref"}``
``POST   payments``                    ``{"counterparty_ref", "amount", "kind",
                                      "order_ref"}``
``PATCH  objects/<kind>/<ref>``        ``{"field": value}`` in store terms
``POST   objects/<kind>/<ref>/delete`` set the deletion mark
``POST   users``                       ``{"login", "password"}`` (change a password)

Dates in bodies are ``YYYY-MM-DDTHH:MM:SS``; answers carry the object with
``ref`` and ``data_version``.
"""

import json
from datetime import datetime
from decimal import Decimal

from .store import WRITABLE_KINDS, StoreError

JSON_TYPE = "application/json;charset=utf-8"


class ControlError(Exception):
    """A bad control request (answered with 400)."""


class ControlApi:
    """JSON endpoints over :class:`StandIn`'s store, faults and users."""

    def __init__(self, standin):
        self.standin = standin

    def handle(self, method, path, body):
        """``(status, content type, body)`` for one control request."""
        try:
            data = json.loads(body) if body else {}
            status, answer = self._dispatch(method, path.strip("/").split("/"), data)
        except (ControlError, ValueError, TypeError, KeyError) as error:
            status, answer = 400, {"error": f"{type(error).__name__}: {error}"}
        except StoreError as error:
            status, answer = error.status, {"error": str(error)}
        return (
            status,
            JSON_TYPE,
            json.dumps(answer, default=_plain, ensure_ascii=False).encode(),
        )

    def _dispatch(self, method, parts, data):
        routes = {
            ("GET", "state", 1): self._state,
            ("POST", "faults", 1): self._add_fault,
            ("DELETE", "faults", 1): self._clear_faults,
            ("DELETE", "faults", 2): self._remove_fault,
            ("POST", "users", 1): self._set_password,
        }
        handler = routes.get((method, parts[0], len(parts)))
        if handler:
            return 200, handler(parts, data)
        if method == "POST" and len(parts) == 1:
            return 201, self._post_document(parts[0], data)
        if parts[0] == "objects" and len(parts) >= 3:
            return 200, self._change_object(method, parts, data)
        raise ControlError(f"no control endpoint {method} {'/'.join(parts)}")

    def _add_fault(self, _parts, data):
        faults = self.standin.faults
        rule = faults.add(
            data["pattern"], data["kind"], data.get("times"), data.get("delay")
        )
        return rule.as_dict()

    def _clear_faults(self, _parts, _data):
        self.standin.faults.clear()
        return {"faults": []}

    def _remove_fault(self, parts, _data):
        self.standin.faults.remove(int(parts[1]))
        return {"removed": int(parts[1])}

    def _set_password(self, _parts, data):
        self.standin.users[data["login"]] = data["password"]
        return {"login": data["login"]}

    def _state(self, _parts=(), _data=None):
        store = self.standin.store
        counts = {kind: store.count(kind) for kind in WRITABLE_KINDS}
        return {
            "profile": self.standin.profile.name,
            "publication": self.standin.publication,
            "counts": counts,
            "revision": store.revision,
            "faults": [rule.as_dict() for rule in self.standin.faults.rules()],
        }

    def _post_document(self, what, data):
        store = self.standin.store
        date = _date(data.get("date"))
        if what == "counterparties":
            return store.insert(
                "counterparty",
                {
                    "name": data["name"],
                    "full_name": data.get("full_name", data["name"]),
                    "inn": data["inn"],
                    "kpp": data.get("kpp", ""),
                    "is_person": bool(data.get("is_person")),
                },
            )
        if what == "orders":
            return store.post_order(
                data["counterparty_ref"], data["amount"], date, data.get("comment", "")
            )
        if what == "shipments":
            return store.post_shipment(data["order_ref"], date)
        if what == "payments":
            return store.post_payment(
                data["counterparty_ref"],
                data["amount"],
                data.get("kind", "bank"),
                data.get("order_ref"),
                date,
            )
        raise ControlError(f"cannot post {what}")

    def _change_object(self, method, parts, data):
        store = self.standin.store
        kind, ref = parts[1], parts[2]
        if kind not in WRITABLE_KINDS:
            raise ControlError(f"unknown kind {kind}; one of {WRITABLE_KINDS}")
        if method == "PATCH" and len(parts) == 3:
            if "amount" in data:
                data["amount"] = Decimal(str(data["amount"]))
            return store.update(kind, ref, data)
        if method == "POST" and parts[3:] == ["delete"]:
            return store.mark_deleted(kind, ref)
        raise ControlError(f"no control endpoint {method} {'/'.join(parts)}")


def _date(text):
    return datetime.fromisoformat(text) if text else None


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot encode {type(value).__name__}")
