"""The registers a profile names beside its receivables register, as 1C
publishes them, their records derived from the documents:

* ``receivables.due_dates`` (UT 11 / KA 2: ``РасчетыСКлиентамиПоСрокам``):
  the debt per analytics key, currency and due date. A shipment is owed
  ``payment_terms_days`` after its date; a payment settles the oldest debt
  first, and what it pays beyond the debt is a prepayment that the next
  shipments use up (prepayments are not published: 1C keeps them in a
  resource of their own);
* ``sales`` (UT 11: ``ВыручкаИСебестоимостьПродаж``; BP 3.0, UNF:
  ``Продажи``): a turnover register, one record per posted shipment, read
  through its ``Turnovers`` virtual table.

Both reuse the record sets and virtual tables of :mod:`.register_tables`.
"""

from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal

from .model import DATETIME, NAMESPACE, to_odata
from .odata_schema import Field
from .register_tables import RegisterTables, _accepted
from .registers import analytics_ref
from .store import BALANCE_SIGNS, RUB_REF


def movement_registers(profile, receivables):
    """The due-date and sales registers the profile names (maybe none)."""
    registers = []
    due_dates = profile.data["receivables"].get("due_dates")
    if due_dates:
        registers.append(DueDateTables(profile, receivables, due_dates))
    if profile.data.get("sales"):
        registers.append(SalesTables(profile, receivables, profile.data["sales"]))
    return registers


class MovementTables(RegisterTables):
    """A register whose records :meth:`_build_moves` derives from the
    documents: ``{document ref: [(extra dimensions, signed amount)]}``."""

    def __init__(self, profile, receivables, spec):
        super().__init__(profile, receivables)
        self.spec = spec
        self.name = spec["register"]
        self.resource = spec["resource"]
        self.accounting = False
        self._moves = (None, {})

    def _build_moves(self, documents):
        raise NotImplementedError

    def moves(self):
        """The moves of every posted document, kept until the next write."""
        revision, moves = self._moves
        if revision != self.store.revision:
            revision = self.store.revision  # before: a write meanwhile rebuilds
            moves = self._build_moves(self._posted())
            self._moves = (revision, moves)
        return moves

    def _posted(self):
        """``(kind, document)`` of the posted documents, oldest first."""
        documents = [
            (doc["date"] or datetime.min, doc["ref"], kind, doc)
            for kind in BALANCE_SIGNS
            for doc in self.store.objects(kind)
            if doc["posted"] and not doc["deletion_mark"]
        ]
        return [(kind, doc) for _date, _ref, kind, doc in sorted(documents)]

    def _dimensions(self, counterparty):
        value = counterparty
        if self.spec.get("kind") == "analytics":
            value = analytics_ref(counterparty)
        dimensions = {self.spec["dimension"]: value}
        if self.spec.get("currency"):
            dimensions[self.spec["currency"]] = RUB_REF
        return dimensions

    def _record_set(self, kind, doc):
        moves = self.moves().get(doc["ref"], ())
        return {
            "Recorder": doc["ref"],
            "Recorder_Type": f"{NAMESPACE}.{self.documents[kind]}",
            "RecordSet": [
                self._movement(doc, number, extra, amount)
                for number, (extra, amount) in enumerate(moves, 1)
            ],
        }

    def _movement(self, doc, number, extra, amount):
        record = {
            "LineNumber": str(number),
            "Period": to_odata(doc["date"], DATETIME),
            "Active": True,
        }
        if self.has_record_type:
            record["RecordType"] = "Receipt" if amount > 0 else "Expense"
        record.update(self._dimensions(doc["counterparty_ref"]))
        record.update(extra)
        record[self.resource] = float(abs(amount))
        return record

    def _record_fields(self):
        fields = super()._record_fields()
        if self.has_record_type:
            return fields
        return tuple(field for field in fields if field.name != "RecordType")

    def _entries(self, start=None, end=None):
        names = [field.name for field in self.dimension_fields()]
        moves = self.moves()
        for _kind, doc in self._posted():
            date = doc["date"] or datetime.min
            if (start and date < start) or (end and date > end):
                continue
            for extra, amount in moves.get(doc["ref"], ()):
                values = {**self._dimensions(doc["counterparty_ref"]), **extra}
                yield tuple(values[name] for name in names), amount

    has_record_type = True


class DueDateTables(MovementTables):
    """Debt per analytics key (or counterparty), currency and due date."""

    def __init__(self, profile, receivables, spec):
        spec = {"kind": receivables.spec["kind"], **spec}
        super().__init__(profile, receivables, spec)
        self.due_date = spec["due_date"]
        days = receivables.spec.get("payment_terms_days") or 0
        self.terms = timedelta(days=days)

    def dimension_fields(self):
        return (*super().dimension_fields(), Field(self.due_date, DATETIME))

    def _due(self, date):
        return {self.due_date: to_odata(date, DATETIME)}

    def _build_moves(self, documents):
        debts = defaultdict(list)  # per counterparty: [due date, owed], oldest first
        prepaid = defaultdict(Decimal)
        moves = {}
        for kind, doc in documents:
            who, amount = doc["counterparty_ref"], doc["amount"]
            if BALANCE_SIGNS[kind] > 0:
                used = min(prepaid[who], amount)
                prepaid[who] -= used
                owed, due = amount - used, (doc["date"] or datetime.min) + self.terms
                if owed:
                    debts[who].append([due, owed])
                moves[doc["ref"]] = [(self._due(due), owed)] if owed else []
                continue
            moves[doc["ref"]] = parts = []
            while amount and debts[who]:
                due, owed = debts[who][0]
                paid = min(owed, amount)
                parts.append((self._due(due), -paid))
                amount -= paid
                if paid == owed:
                    debts[who].pop(0)
                else:
                    debts[who][0][1] = owed - paid
            prepaid[who] += amount
        return moves

    def balance(self, period, accepts):
        """Debt per dimensions at ``period``; the ``Condition`` (on the due
        date, the analytics key) selects rows before ``Dimensions`` sums."""
        names = [field.name for field in self.dimension_fields()]
        rows = []
        for dims, (up, down) in sorted(self._sum(self._entries(None, period)).items()):
            if up + down:
                row = dict(zip(names, dims, strict=True))
                row[f"{self.resource}Balance"] = float(up + down)
                rows.append(row)
        return _accepted(rows, accepts)


class SalesTables(MovementTables):
    """A turnover register: the amount of every posted shipment."""

    tables = ("Turnovers",)
    has_record_type = False

    def _build_moves(self, documents):
        return {
            doc["ref"]: [({}, doc["amount"])]
            for kind, doc in documents
            if BALANCE_SIGNS[kind] > 0
        }

    def _resource_suffixes(self, name):
        return ("Turnover",)

    def _turnover_row(self, dims, moves):
        names = [field.name for field in self.dimension_fields()]
        row = dict(zip(names, dims, strict=True))
        row[f"{self.resource}Turnover"] = float(sum(moves, Decimal(0)))
        return self._ordered(row, "Turnovers")
