"""A profile's receivables register as 1C publishes it: record sets and
virtual tables.

* ``AccumulationRegister_X`` (or ``AccountingRegister_X``): one record set
  per recorder, keyed ``Recorder`` + ``Recorder_Type``, its records in
  ``RecordSet``; ``..._RecordType``: every record on its own;
* ``Balance(Period, Condition, Dimensions)``, ``Turnovers(StartPeriod,
  EndPeriod, Condition, Dimensions)`` and ``BalanceAndTurnovers(...)``.

The records are the postings of shipments (the client owes more) and of
payments (less). ``Balance`` keeps the rows :mod:`.registers` shapes (the
accounting register moves a credit balance to 62.02, as advances are kept
in 1C); the turnovers are summed from the records, where the accounting
register books everything on 62.01.
"""

from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal

from ..records import EMPTY_REF
from .model import (
    BOOLEAN,
    DATETIME,
    DOUBLE,
    GUID,
    INT64,
    NAMESPACE,
    STRING,
    to_odata,
)
from .odata_schema import EntitySet, Field, RowType, VirtualTable, collection_type
from .registers import ACCOUNTS, BANK_ACCOUNT_REF, analytics_ref
from .store import BALANCE_SIGNS, RUB_REF

_RECORDER = (Field("Recorder", GUID), Field("Recorder_Type", STRING))
_RECORD_START = (
    Field("LineNumber", INT64),
    Field("Period", DATETIME),
    Field("Active", BOOLEAN),
)
_PERIOD = ("Period", DATETIME)
_START, _END = ("StartPeriod", DATETIME), ("EndPeriod", DATETIME)
_CHOICE = (("Condition", STRING), ("Dimensions", STRING))
PARAMETERS = {
    "Balance": (_PERIOD, *_CHOICE),
    "Turnovers": (_START, _END, *_CHOICE),
    "BalanceAndTurnovers": (_START, _END, *_CHOICE),
}
# the complex type of each virtual table, as 1C names it
TYPE_SUFFIX = {
    "Balance": "Balance",
    "Turnovers": "Turnover",
    "BalanceAndTurnovers": "BalanceAndTurnover",
}


class RegisterTables:
    """Record sets and virtual tables of the profile's receivables register
    (the base of the other registers: :mod:`.movement_registers`)."""

    tables = tuple(PARAMETERS)  # the virtual tables it publishes

    def __init__(self, profile, receivables):
        self.receivables = receivables
        self.store = receivables.store
        self.spec = receivables.spec
        self.name = self.spec["register"]
        self.accounting = self.spec["kind"] == "accounting"
        self.resource = self.spec["resource"]
        self.documents = {
            kind: section["entity"] for kind, section in profile.document_sections()
        }

    # ---- description -------------------------------------------------------

    def entity_sets(self):
        """The record-set set (with the virtual tables) and the records set."""
        row = RowType(f"{self.name}_RowType", self._record_fields())
        record_set = EntitySet(
            self.name,
            ("Recorder", "Recorder_Type"),
            (*_RECORDER, Field("RecordSet", collection_type(row.name), row=row)),
            tuple(self._virtual_table(name) for name in self.tables),
            linked=False,
        )
        records = EntitySet(
            f"{self.name}_RecordType",
            ("Recorder", "Recorder_Type", "LineNumber"),
            (*_RECORDER, *self._record_fields()),
            linked=False,
        )
        return [record_set, records]

    def _record_fields(self):
        if self.accounting:
            sides = [
                field
                for side in ("Dr", "Cr")
                for field in (
                    Field(f"Account{side}_Key", GUID),
                    Field(f"ExtDimension{side}1", STRING),
                    Field(f"ExtDimension{side}1_Type", STRING),
                )
            ]
            return (*_RECORD_START, *sides, Field(self.resource, DOUBLE))
        return (
            *_RECORD_START,
            Field("RecordType", STRING),
            *self.dimension_fields(),
            Field(self.resource, DOUBLE),
        )

    def dimension_fields(self):
        """The dimensions a virtual table groups by."""
        if self.accounting:
            return (
                Field("Account_Key", GUID),
                Field("ExtDimension1", STRING),
                Field("ExtDimension1_Type", STRING),
            )
        names = [self.spec["dimension"]]
        if self.spec.get("currency"):
            names.append(self.spec["currency"])
        return tuple(Field(name, GUID) for name in names)

    def _virtual_table(self, name):
        resources = tuple(
            Field(f"{self.resource}{suffix}", DOUBLE)
            for suffix in self._resource_suffixes(name)
        )
        row = RowType(
            f"{self.name}_{TYPE_SUFFIX[name]}", (*self.dimension_fields(), *resources)
        )
        return VirtualTable(name, row, PARAMETERS[name])

    def _resource_suffixes(self, name):
        turnovers = (
            ("TurnoverDr", "TurnoverCr", "Turnover")
            if self.accounting
            else ("Receipt", "Expense", "Turnover")
        )
        balances = ("", "Dr", "Cr") if self.accounting else ("",)
        if name == "Balance":
            return tuple(f"Balance{side}" for side in balances)
        if name == "Turnovers":
            return turnovers
        return (
            *(f"OpeningBalance{side}" for side in balances),
            *turnovers,
            *(f"ClosingBalance{side}" for side in balances),
        )

    # ---- record sets -------------------------------------------------------

    def record_sets(self):
        """Every recorder's record set, in ``Recorder`` order."""
        sets = [
            self._record_set(kind, doc)
            for kind in BALANCE_SIGNS
            for doc in self.store.objects(kind)
        ]
        return sorted(sets, key=lambda row: row["Recorder"])

    def record_set(self, recorder, recorder_type):
        """The record set of one document (empty when it is not posted)."""
        for kind, entity in self.documents.items():
            if kind in BALANCE_SIGNS and f"{NAMESPACE}.{entity}" == recorder_type:
                doc = self.store.get(kind, recorder)
                return doc and self._record_set(kind, doc)
        return None

    def records(self):
        """Every record with its recorder (``..._RecordType``)."""
        return [
            {"Recorder": rows["Recorder"], "Recorder_Type": rows["Recorder_Type"], **r}
            for rows in self.record_sets()
            for r in rows["RecordSet"]
        ]

    def _record_set(self, kind, doc):
        records = []
        if doc["posted"] and not doc["deletion_mark"]:
            records = [self._record(kind, doc)]
        return {
            "Recorder": doc["ref"],
            "Recorder_Type": f"{NAMESPACE}.{self.documents[kind]}",
            "RecordSet": records,
        }

    def _record(self, kind, doc):
        record = {
            "LineNumber": "1",
            "Period": to_odata(doc["date"], DATETIME),
            "Active": True,
        }
        if self.accounting:
            record.update(self._postings(kind, doc))
        else:
            record["RecordType"] = "Receipt" if BALANCE_SIGNS[kind] > 0 else "Expense"
            record.update(self._dimensions(doc["counterparty_ref"]))
        record[self.resource] = float(doc["amount"])
        return record

    def _dimensions(self, counterparty):
        if self.spec["kind"] == "analytics":
            return {
                self.spec["dimension"]: analytics_ref(counterparty),
                self.spec["currency"]: RUB_REF,
            }
        return {self.spec["dimension"]: counterparty}

    def _postings(self, kind, doc):
        """Debit and credit of a shipment (62.01 / 90.01) or a payment
        (51 / 62.01)."""
        counterparty = (
            doc["counterparty_ref"],
            f"{NAMESPACE}.{self.receivables.counterparty_entity}",
        )
        if BALANCE_SIGNS[kind] > 0:
            debit, credit = ("62.01", *counterparty), ("90.01", EMPTY_REF, "")
        else:
            bank = (BANK_ACCOUNT_REF, f"{NAMESPACE}.Catalog_БанковскиеСчета")
            debit, credit = ("51", *bank), ("62.01", *counterparty)
        postings = {}
        for side, (account, dimension, dimension_type) in (
            ("Dr", debit),
            ("Cr", credit),
        ):
            postings[f"Account{side}_Key"] = ACCOUNTS[account]
            postings[f"ExtDimension{side}1"] = dimension
            postings[f"ExtDimension{side}1_Type"] = dimension_type
        return postings

    def _entries(self, start=None, end=None):
        """``(dimension values, signed amount)`` of every record dated in
        ``[start, end]``: a receipt or debit adds, an expense or credit
        takes away."""
        for kind in BALANCE_SIGNS:
            for doc in self.store.objects(kind):
                if not doc["posted"] or doc["deletion_mark"]:
                    continue
                date = doc["date"] or datetime.min
                if (start and date < start) or (end and date > end):
                    continue
                record = self._record(kind, doc)
                amount = Decimal(str(record[self.resource]))
                if not self.accounting:
                    dims = tuple(record[f.name] for f in self.dimension_fields())
                    yield dims, amount if record["RecordType"] == "Receipt" else -amount
                    continue
                for side, sign in (("Dr", 1), ("Cr", -1)):
                    dims = (
                        record[f"Account{side}_Key"],
                        record[f"ExtDimension{side}1"],
                        record[f"ExtDimension{side}1_Type"],
                    )
                    yield dims, sign * amount

    # ---- virtual tables ----------------------------------------------------

    def balance(self, period, accepts):
        """``Balance`` rows that the ``Condition`` predicate accepts; a
        condition ``dimension eq a or ...`` is applied before summing
        (``accepts`` None: no condition)."""
        if accepts is None:
            return self.receivables.balance_rows(period)
        field, values = accepts.membership or (None, None)
        if field == self.spec["dimension"]:
            return self.receivables.balance_rows(period, values)
        rows = self.receivables.balance_rows(period)
        return [row for row in rows if accepts(row)]

    def turnovers(self, start, end, accepts):
        """``Turnovers`` rows: movements in ``[start, end]`` per dimensions."""
        sums = self._sum(self._entries(start, end))
        rows = [self._turnover_row(dims, moves) for dims, moves in sorted(sums.items())]
        return _accepted(rows, accepts)

    def balance_and_turnovers(self, start, end, accepts):
        """``BalanceAndTurnovers`` rows: opening balance before ``start``,
        movements in ``[start, end]`` and the closing balance."""
        opening = self._sum(self._entries(None, _before(start)))
        moves = self._sum(self._entries(start, end))
        rows = []
        for dims in sorted(set(opening) | set(moves)):
            row = self._turnover_row(dims, moves.get(dims, (Decimal(0), Decimal(0))))
            before = sum(opening.get(dims, ()), Decimal(0))
            after = before + sum(moves.get(dims, ()), Decimal(0))
            row.update(self._balance_values("OpeningBalance", before))
            row.update(self._balance_values("ClosingBalance", after))
            rows.append(self._ordered(row, "BalanceAndTurnovers"))
        return _accepted(rows, accepts)

    @staticmethod
    def _sum(entries):
        """``{dims: (increases, decreases)}`` (decreases negative)."""
        sums = defaultdict(lambda: (Decimal(0), Decimal(0)))
        for dims, amount in entries:
            up, down = sums[dims]
            sums[dims] = (up + max(amount, 0), down + min(amount, 0))
        return dict(sums)

    def _turnover_row(self, dims, moves):
        up, down = moves
        names = [f.name for f in self.dimension_fields()]
        row = dict(zip(names, dims, strict=True))
        first, second, _total = self._resource_suffixes("Turnovers")
        row[f"{self.resource}{first}"] = float(up)
        row[f"{self.resource}{second}"] = float(-down)
        row[f"{self.resource}Turnover"] = float(up + down)
        return self._ordered(row, "Turnovers")

    def _balance_values(self, prefix, amount):
        values = {f"{self.resource}{prefix}": float(amount)}
        if self.accounting:
            values[f"{self.resource}{prefix}Dr"] = float(max(amount, 0))
            values[f"{self.resource}{prefix}Cr"] = float(max(-amount, 0))
        return values

    def _ordered(self, row, table):
        """The row's properties in the order of its complex type."""
        fields = self._virtual_table(table).row.fields
        return {f.name: row[f.name] for f in fields if f.name in row}

    def regrouped(self, table, rows, dimensions):
        """Rows summed over every dimension not named in ``Dimensions``."""
        keep = [name.strip() for name in dimensions.split(",") if name.strip()]
        known = {f.name for f in self.dimension_fields()}
        if any(name not in known for name in keep):
            raise ValueError(f"Dimensions: one of {sorted(known)}")
        if "ExtDimension1" in keep and "ExtDimension1_Type" not in keep:
            keep.append("ExtDimension1_Type")  # a composite value with its type
        sums = {}
        for row in rows:
            key = tuple(row[name] for name in keep)
            total = sums.setdefault(key, dict(zip(keep, key, strict=True)))
            for name, value in row.items():
                if name not in known:  # summed exactly, as 1C sums numbers
                    total[name] = total.get(name, Decimal(0)) + Decimal(str(value))
        fields = self._virtual_table(table).row.fields
        return [
            {f.name: _plain(total[f.name]) for f in fields if f.name in total}
            for _key, total in sorted(sums.items())
        ]


def _plain(value):
    return float(value) if isinstance(value, Decimal) else value


def _accepted(rows, accepts):
    return rows if accepts is None else [row for row in rows if accepts(row)]


def _before(start):
    """Balances "before ``start``" include nothing dated ``start``."""
    return None if start is None else start - timedelta(seconds=1)
