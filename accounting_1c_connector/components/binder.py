# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""Binder: 1C references <-> Odoo records, unique per connection.

A 1C counterparty is bound to an ``onec.counterparty`` record of its
connection (unique on connection and ``Ref_Key``); that record links to the
Odoo contact found by its 1C reference, else by INN+KPP, else to nothing
(it is then listed for a person to resolve). Contacts are never matched by
name. Documents point at the ``onec.counterparty`` and take its contact, so
re-linking a counterparty re-links all its documents at once.
"""

from odoo.tools import SQL

from onec_exchange.requisites import normalize_inn

from .base import RunComponent


def existing_by_ref(env, model, connection_id, refs, columns=("data_version",)):
    """``{ref: row dict}`` of a mirror model's records (archived included),
    in one query: the importers call it once per page."""
    if not refs:
        return {}
    records = env[model]
    records.flush_model()
    query = SQL(
        "SELECT id, ref, %s FROM %s WHERE connection_id = %s AND ref = ANY(%s)",
        SQL(", ").join(SQL.identifier(column) for column in columns),
        SQL.identifier(records._table),
        connection_id,
        list(refs),
    )
    env.cr.execute(query)
    return {row["ref"]: row for row in env.cr.dictfetchall()}


class CounterpartyBinder(RunComponent):
    """Finds or creates the ``onec.counterparty`` bindings of refs."""

    model = "onec.counterparty"

    def match_partners(self, records):
        """``{ref: commercial partner id}`` by INN+KPP (a single match only)."""
        inns = {record.inn for record in records if record.inn}
        if not inns:
            return {}
        vats = list(inns | {f"RU{inn}" for inn in inns})
        company = self.connection.company_id.id
        partners = (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search_read(
                [("vat", "in", vats), ("company_id", "in", [False, company])],
                ["vat", "onec_kpp", "commercial_partner_id", "active"],
            )
        )
        found = {}
        for partner in partners:
            if not partner["active"]:
                continue
            key = (normalize_inn(partner["vat"]), partner["onec_kpp"] or "")
            found.setdefault(key, set()).add(partner["commercial_partner_id"][0])
        matches = {}
        for record in records:
            candidates = found.get((record.inn, record.kpp or ""), set())
            if len(candidates) == 1:
                matches[record.ref] = next(iter(candidates))
        return matches

    def ids_for(self, refs):
        """``{ref: onec.counterparty id}``; unknown refs are read from 1C
        (or bound as placeholders filled in by the next full read)."""
        refs = {ref for ref in refs if ref}
        known = existing_by_ref(self.env, self.model, self.connection.id, refs)
        missing = refs - set(known)
        if missing:
            items = self.runner.adapter.fetch("counterparty", missing)
            good = [item for item in items if item.record is not None]
            if good:
                self.runner.importer("counterparty").import_items(good, count=False)
            known = existing_by_ref(self.env, self.model, self.connection.id, refs)
            placeholders = [
                {
                    "connection_id": self.connection.id,
                    "ref": ref,
                    "name": ref,
                    "data_version": "",
                }
                for ref in sorted(refs - set(known))
            ]
            if placeholders:
                self.env[self.model].create(placeholders)
                known = existing_by_ref(self.env, self.model, self.connection.id, refs)
        return {ref: row["id"] for ref, row in known.items()}
