"""Receivables as each configuration exposes them.

Balances come from :meth:`Store.receivables` (posted shipments minus posted
payments) and are shaped like the profile's register ``Balance`` virtual
table: a plain counterparty dimension (UNF), an analytics key resolved
through its catalog (UT 11), or the accounting register with accounts 62.01
(debt) / 62.02 (advances) and the counterparty in ``ExtDimension1`` (BP 3.0),
next to a bank account row that a client must filter out.
"""

import functools
import uuid

from ..records import EMPTY_REF
from .model import (
    GUID,
    ORGANIZATION_REF,
    ORGANIZATIONS,
    Column,
    catalog_columns,
)
from .store import RUB_REF

_ANALYTICS_NAMESPACE = uuid.UUID("6f1c0c1e-9d1b-4a55-9a0e-1c0000000001")
ACCOUNTS = {
    "62.01": "a0000000-0000-1000-8000-000000006201",
    "62.02": "a0000000-0000-1000-8000-000000006202",
    "51": "a0000000-0000-1000-8000-000000000051",
    "90.01": "a0000000-0000-1000-8000-000000009001",
}
BANK_ACCOUNT_REF = "b0000000-0000-1000-8000-000000000051"


_VERSION_BITS = 0xF << 76


@functools.cache
def analytics_ref(counterparty_ref):
    """UT 11's settlement analytics key of a counterparty (one per client):
    derived from it, with the version of 1C's time-based GUIDs."""
    derived = uuid.uuid5(_ANALYTICS_NAMESPACE, counterparty_ref).int
    return str(uuid.UUID(int=(derived & ~_VERSION_BITS) | (1 << 76)))


class Receivables:
    """Balance rows and the helper catalogs of one profile."""

    def __init__(self, profile, store):
        self.spec = profile.data["receivables"]
        self.store = store
        self.counterparty_entity = profile.section("counterparty")["entity"]
        self.partner_entity = (profile.data.get("partner") or {}).get("entity")
        self._analytics = (None, [], {})
        self._current = (None, [])

    def catalogs(self):
        """``{entity: (rows function, columns)}`` of the helper catalogs."""
        if self.spec["kind"] == "analytics":
            analytics = self.spec["analytics"]
            columns = catalog_columns(
                [
                    Column(
                        analytics["counterparty"],
                        GUID,
                        "counterparty_ref",
                        target=self.counterparty_entity,
                    ),
                    Column(
                        analytics["partner"],
                        GUID,
                        "partner_ref",
                        target=self.partner_entity,
                    ),
                    Column(
                        analytics["organization"],
                        GUID,
                        "organization_ref",
                        target=ORGANIZATIONS,
                    ),
                ]
            )
            return {analytics["entity"]: (self._analytics_rows, columns)}
        if self.spec["kind"] == "accounting":
            columns = catalog_columns()
            return {self.spec["accounts"]["entity"]: (self._account_rows, columns)}
        return {}

    def catalog_revision(self, entity):
        """What the helper catalog ``entity`` shows changes with this value
        (None: not a helper catalog)."""
        if self.spec["kind"] == "analytics":
            if entity == self.spec["analytics"]["entity"]:
                return ("counterparty", self.store.kind_revision["counterparty"])
        elif self.spec["kind"] == "accounting":
            if entity == self.spec["accounts"]["entity"]:
                return ("accounts", 0)  # the chart of accounts never changes
        return None

    def _analytics_rows(self):
        return self._analytics_keys()[0]

    def _analytics_keys(self):
        """``(catalog rows, {analytics key: counterparty ref})``, kept until
        counterparties change: a client pages through them all."""
        revision, rows, owners = self._analytics
        if revision != self.store.kind_revision["counterparty"]:
            revision = self.store.kind_revision["counterparty"]  # before: see above
            rows = self._build_analytics_rows()
            owners = {row["ref"]: row["counterparty_ref"] for row in rows}
            self._analytics = (revision, rows, owners)
        return rows, owners

    def _build_analytics_rows(self):
        return [
            {
                "ref": analytics_ref(counterparty["ref"]),
                "data_version": "AAAAAAAAAAE=",
                "name": counterparty["name"],
                "counterparty_ref": counterparty["ref"],
                "partner_ref": counterparty.get("partner_ref"),
                "organization_ref": ORGANIZATION_REF,
            }
            for counterparty in self.store.objects("counterparty")
        ]

    @staticmethod
    def _account_rows():
        return [
            {
                "ref": ref,
                "code": code,
                "name": f"Счет {code}",
                "data_version": "AAAAAAAAAAE=",
            }
            for code, ref in sorted(ACCOUNTS.items())
        ]

    def balance_rows(self, period=None, chosen=None):
        """Rows of ``<register>/Balance(Period=...)``, sorted by dimension.

        ``chosen``: the dimension values a ``Condition`` selects: only their
        rows are computed, as 1C applies the condition before summing. The
        current rows are kept until the next write: a client reads them in
        pages.
        """
        if chosen is not None:
            return self._build_balance_rows(period, self._owners(chosen))
        if period is not None:
            return self._build_balance_rows(period)
        revision, rows = self._current
        if revision != self.store.revision:
            revision = self.store.revision  # before: a write meanwhile rebuilds
            rows = self._build_balance_rows(None)
            self._current = (revision, rows)
        return rows

    def _owners(self, values):
        """The counterparties behind dimension values."""
        if self.spec["kind"] == "analytics":
            owners = self._analytics_keys()[1]
            return {owners[value] for value in values if value in owners}
        return set(values)

    def _build_balance_rows(self, period, counterparties=None):
        debts = self.store.receivables(period)
        if counterparties is not None:
            debts = {ref: debts[ref] for ref in counterparties if ref in debts}
        row = {
            "dimension": self._dimension_row,
            "analytics": self._analytics_row,
            "accounting": self._accounting_row,
        }[self.spec["kind"]]
        rows = [row(ref, float(amount)) for ref, amount in sorted(debts.items())]
        if self.spec["kind"] == "accounting" and counterparties is None:
            rows.append(self._bank_row(sum(debts.values())))
        return rows

    def _balance_name(self):
        return f"{self.spec['resource']}Balance"

    def _dimension_row(self, ref, amount):
        return {self.spec["dimension"]: ref, self._balance_name(): amount}

    def _analytics_row(self, ref, amount):
        return {
            self.spec["dimension"]: analytics_ref(ref),
            self.spec["currency"]: RUB_REF,
            self._balance_name(): amount,
        }

    def _accounting_row(self, ref, amount):
        account = "62.01" if amount > 0 else "62.02"
        return self._accounting(
            ACCOUNTS[account], ref, self.counterparty_entity, amount
        )

    def _bank_row(self, amount):
        # money on the bank account: a row on another account, to be skipped
        return self._accounting(
            ACCOUNTS["51"], BANK_ACCOUNT_REF, "Catalog_БанковскиеСчета", float(amount)
        )

    def _accounting(self, account_ref, dimension_ref, dimension_entity, amount):
        balance = self._balance_name()
        return {
            "Account_Key": account_ref,
            "ExtDimension1": dimension_ref or EMPTY_REF,
            "ExtDimension1_Type": f"StandardODATA.{dimension_entity}",
            balance: amount,
            f"{balance}Dr": max(amount, 0.0),
            f"{balance}Cr": max(-amount, 0.0),
        }
