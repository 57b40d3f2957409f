"""The stand-in's data: one in-memory infobase served by OData and SOAP.

Objects are plain dicts in profile-independent terms (``counterparty_ref``,
``amount``...); the OData and SOAP apps render them with a profile's names.
Every write goes through :class:`Store` so that ``DataVersion`` changes on
every write and the query caches are invalidated, as in 1C. Tests and demos
use the public methods to act like an accountant working in 1C during a sync.
"""

import base64
import bisect
import threading
import uuid
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

DOCUMENT_KINDS = ("order", "shipment", "payment_bank", "payment_cash")
WRITABLE_KINDS = ("partner", "counterparty", *DOCUMENT_KINDS)
STATIC_KINDS = ("currency", "product")
# how a posted document moves its counterparty's debt
BALANCE_SIGNS = {"shipment": 1, "payment_bank": -1, "payment_cash": -1}
RUB_REF = "2c5e4c5e-0000-1000-8000-000000000643"


class StoreError(Exception):
    """A write the infobase refuses; ``code`` is the 1C-like error code."""

    def __init__(self, message, code="-1", status=400):
        super().__init__(message)
        self.code = code
        self.status = status


class ObjectsView(Sequence):
    """Objects in the order of a list of refs, looked up lazily."""

    def __init__(self, refs, table):
        self._refs = refs
        self._table = table

    def __len__(self):
        return len(self._refs)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._table[ref] for ref in self._refs[index]]
        return self._table[self._refs[index]]

    def __eq__(self, other):
        return list(self) == list(other)

    __hash__ = None


class Store:
    """Thread-safe object storage with 1C's write semantics."""

    def __init__(self, ref_source=None):
        self._lock = threading.RLock()
        self._objects = {kind: {} for kind in WRITABLE_KINDS + STATIC_KINDS}
        self._sorted_refs = {}
        self._date_index = {}
        self._debts = None  # current balances, kept in step with every write
        self.kind_revision = dict.fromkeys(WRITABLE_KINDS + STATIC_KINDS, 0)
        self._version_counter = 0
        self._number_counter = 0
        # 1C's references are time-based (version 1) GUIDs
        self._new_ref = ref_source or (lambda: str(uuid.uuid1()))
        self.revision = 0

    # ---- reading ---------------------------------------------------------

    def get(self, kind, ref):
        """The object of ``kind`` with ``ref``, or None."""
        return self._objects[kind].get(ref)

    def count(self, kind):
        return len(self._objects[kind])

    def sorted_refs(self, kind):
        """Refs of ``kind`` in ``Ref_Key`` order (cached until a write)."""
        with self._lock:
            refs = self._sorted_refs.get(kind)
            if refs is None:
                refs = sorted(self._objects[kind])
                self._sorted_refs[kind] = refs
            return refs

    def dated_since(self, kind, floor):
        """Documents of ``kind`` dated ``floor`` or later, in ``Ref_Key`` order.

        1C answers a ``Date ge`` filter from an index on the date; so does the
        stand-in (cached until a write of that kind), instead of rendering
        every document to test the condition.
        """
        with self._lock:
            index = self._date_index.get(kind)
            if index is None:
                dated = sorted(
                    (obj["date"], ref)
                    for ref, obj in self._objects[kind].items()
                    if obj.get("date") is not None
                )
                index = ([date for date, _ref in dated], [ref for _d, ref in dated])
                self._date_index[kind] = index
            dates, refs = index
            start = bisect.bisect_left(dates, floor)
            return [self._objects[kind][ref] for ref in sorted(refs[start:])]

    def objects(self, kind):
        """All objects of ``kind`` in ``Ref_Key`` order (a read-only view:
        a page sliced from it touches only that page's objects)."""
        return ObjectsView(self.sorted_refs(kind), self._objects[kind])

    def legal_entity(self, indebted=False):
        """A live counterparty that is a company and no branch (its INN and
        KPP are its own); with ``indebted``, the one that owes the most."""
        companies = [
            c
            for c in self.objects("counterparty")
            if not c["deletion_mark"] and not c["is_person"] and not c.get("head_ref")
        ]
        if not indebted:
            return companies[0]
        debts = self.receivables()
        return max(companies, key=lambda c: debts.get(c["ref"], 0))

    def receivables(self, as_of=None):
        """Debt per counterparty: posted shipments minus posted payments.

        The same rule backs every profile's balance register, so balances,
        shipments and payments always add up. The current balances are
        summed once, then every write books its own change, as a register.
        """
        if as_of is not None:
            return self._sum_receivables(as_of)
        with self._lock:
            if self._debts is None:
                self._debts = self._sum_receivables(None)
            return dict(self._debts)

    def _sum_receivables(self, as_of):
        debts = {}
        for kind, sign in BALANCE_SIGNS.items():
            for doc in self._objects[kind].values():
                if _counts_for_balance(doc, as_of):
                    ref = doc["counterparty_ref"]
                    debts[ref] = debts.get(ref, Decimal(0)) + sign * doc["amount"]
        return {ref: amount for ref, amount in debts.items() if amount}

    # ---- writing ---------------------------------------------------------

    def insert(self, kind, values):
        """Create an object; fills ``ref``, ``data_version`` and defaults."""
        with self._lock:
            obj = dict(values)
            if "ref" not in obj:
                obj["ref"] = self._new_ref()
            obj.setdefault("deletion_mark", False)
            if kind in DOCUMENT_KINDS:
                obj.setdefault("number", self.next_number())
                obj.setdefault("posted", False)
                obj.setdefault("lines", [])
            if obj["ref"] in self._objects[kind]:
                raise StoreError(f"duplicate Ref_Key {obj['ref']}")
            self._objects[kind][obj["ref"]] = obj
            self._changed(kind)
            self._book(kind, obj, 1)
            self._touch(obj)
            return obj

    def update(self, kind, ref, changes, if_match=None):
        """Change fields of an object; ``if_match`` enforces its DataVersion."""
        with self._lock:
            obj = self._require(kind, ref)
            if if_match is not None and if_match != obj["data_version"]:
                raise StoreError("the object was changed by another user", "", 412)
            if "posted" in changes:
                raise StoreError("Posted cannot be written: use Post/Unpost", "14")
            if {"ref", "data_version"} & set(changes):
                raise StoreError("Ref_Key and DataVersion are read-only", "14")
            self._book(kind, obj, -1)
            obj.update(changes)
            self._book(kind, obj, 1)
            self._changed(kind)
            self._touch(obj)
            return obj

    def set_posted(self, kind, ref, posted):
        """Post or unpost a document (``.../Post`` and ``.../Unpost``)."""
        with self._lock:
            obj = self._require(kind, ref)
            if kind not in DOCUMENT_KINDS:
                raise StoreError(f"{kind} is not a document", "14")
            self._book(kind, obj, -1)
            obj["posted"] = posted
            self._book(kind, obj, 1)
            self._changed(kind)
            self._touch(obj)
            return obj

    def delete(self, kind, ref):
        """Delete physically, like OData ``DELETE``."""
        with self._lock:
            self._book(kind, self._require(kind, ref), -1)
            del self._objects[kind][ref]
            self._changed(kind)
            self.revision += 1

    def next_number(self):
        """The next document number, 1C-style: prefix and zero padding."""
        with self._lock:
            self._number_counter += 1
            return f"ЦБ-{self._number_counter:08d}"

    # ---- an accountant at work ------------------------------------------

    def post_order(self, counterparty_ref, amount, date=None, comment="", lines=()):
        """Create and post a customer order, as an accountant would."""
        counterparty = self._require("counterparty", counterparty_ref)
        amount = Decimal(str(amount))
        return self.insert(
            "order",
            {
                "date": date or datetime.now().replace(microsecond=0),
                "counterparty_ref": counterparty_ref,
                "partner_ref": counterparty.get("partner_ref"),
                "amount": amount,
                "currency_ref": RUB_REF,
                "status": "Согласован",
                "comment": comment,
                "lines": list(lines) or [_single_line(amount)],
                "posted": True,
            },
        )

    def post_shipment(self, order_ref, date=None):
        """Ship a whole order: creates a posted sale, which raises the debt."""
        order = self._require("order", order_ref)
        return self.insert(
            "shipment",
            {
                "date": date or datetime.now().replace(microsecond=0),
                "counterparty_ref": order["counterparty_ref"],
                "partner_ref": order.get("partner_ref"),
                "order_ref": order_ref,
                "amount": order["amount"],
                "currency_ref": order["currency_ref"],
                "comment": "",
                "lines": [dict(line) for line in order["lines"]],
                "posted": True,
            },
        )

    def post_payment(
        self, counterparty_ref, amount, kind="bank", order_ref=None, date=None
    ):
        """Receive money from a customer by bank or in cash (posted)."""
        self._require("counterparty", counterparty_ref)
        return self.insert(
            f"payment_{kind}",
            {
                "date": date or datetime.now().replace(microsecond=0),
                "counterparty_ref": counterparty_ref,
                "order_ref": order_ref,
                "amount": Decimal(str(amount)),
                "currency_ref": RUB_REF,
                "comment": "",
                "posted": True,
            },
        )

    def mark_deleted(self, kind, ref, mark=True):
        """Set the deletion mark (1C's soft delete)."""
        return self.update(kind, ref, {"deletion_mark": mark})

    # ---- internals -------------------------------------------------------

    def _require(self, kind, ref):
        obj = self._objects[kind].get(ref)
        if obj is None:
            raise StoreError(f"object {kind} {ref} not found", "6", 404)
        return obj

    def _changed(self, kind):
        self._sorted_refs.pop(kind, None)
        self._date_index.pop(kind, None)
        self.kind_revision[kind] += 1

    def _book(self, kind, obj, direction):
        """Add (1) or take back (-1) a document's move of the current debts."""
        sign = BALANCE_SIGNS.get(kind)
        if sign is None or self._debts is None or not _counts_for_balance(obj, None):
            return
        ref = obj["counterparty_ref"]
        debt = self._debts.get(ref, Decimal(0)) + direction * sign * obj["amount"]
        if debt:
            self._debts[ref] = debt
        else:
            self._debts.pop(ref, None)

    def _touch(self, obj):
        # DataVersion is opaque in 1C; a base64 counter has the same look
        self._version_counter += 1
        obj["data_version"] = base64.b64encode(
            self._version_counter.to_bytes(8, "big")
        ).decode()
        self.revision += 1


def _single_line(amount):
    return {
        "product_ref": None,
        "quantity": Decimal(1),
        "price": amount,
        "amount": amount,
    }


def _counts_for_balance(doc, as_of):
    return (
        doc["posted"]
        and not doc["deletion_mark"]
        and (as_of is None or doc["date"] <= as_of)
    )
