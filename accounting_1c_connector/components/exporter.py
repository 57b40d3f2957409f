# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""Exporter: contacts that became clients -> counterparties in 1C.

For each queued client: validate INN/KPP, look the counterparty up in 1C by
INN (+KPP) so nothing is duplicated, create it otherwise (UT 11: partner,
then counterparty — the package does both), and bind the 1C reference to
the contact. A retryable 1C failure ends the run (the queue keeps the
client, with a growing delay); a refusal is shown on the queue entry.
"""

import logging

from onec_exchange.errors import OneCError
from onec_exchange.requisites import is_person_inn

from .base import RunComponent
from .binder import existing_by_ref
from .mapper import Mapper

_logger = logging.getLogger(__name__)


class ClientExporter(RunComponent):
    model = "onec.client.export"
    stream = "export"

    def run(self):
        exports = self.env[self.model]._onec_due(self.connection)
        for export in exports:
            self.stats.read += 1
            try:
                with self.env.cr.savepoint():
                    self._export(export)
            except OneCError as error:
                self.stats.failed += 1
                _logger.info("1C export of %s failed: %s", export.partner_id.id, error)
                export._onec_tried_and_failed(self.connection._onec_explain(error))
                if error.retryable:
                    raise
            self.runner.commit_page()

    def _export(self, export):
        partner = export.partner_id.commercial_partner_id
        bound = self.env["onec.counterparty"].search(
            [
                ("connection_id", "=", self.connection.id),
                ("partner_id", "=", partner.id),
            ],
            limit=1,
        )
        if bound:
            self.stats.unchanged += 1
            export._onec_done(bound.ref, "already bound")
            return
        problem = partner._onec_requisites_problem()
        if problem:
            self.stats.failed += 1
            export._onec_invalid(problem)
            return
        inn, kpp = partner._onec_inn(), partner.onec_kpp or ""
        found = self.runner.adapter.find_counterparty(inn, kpp)
        if self.runner.dry_run:
            counter = "updated" if found else "created"
            setattr(self.stats, counter, getattr(self.stats, counter) + 1)
            return
        if found:
            record, note = found[0], "found in 1C by INN/KPP"
            self.stats.updated += 1
        else:
            record = self.runner.adapter.create_counterparty(
                partner.name,
                inn,
                kpp,
                is_person=is_person_inn(inn),
                full_name=partner.name,
            )
            note = "created in 1C"
            self.stats.created += 1
        self._bind(record, partner)
        export._onec_done(record.ref, note)

    def _bind(self, record, partner):
        model = self.env["onec.counterparty"].with_context(active_test=False)
        existing = existing_by_ref(
            self.env, model._name, self.connection.id, [record.ref]
        )
        vals = Mapper("counterparty", self.connection.tz).map(
            record, connection_id=self.connection.id, partner_id=partner.id
        )
        if record.ref in existing:
            model.browse(existing[record.ref]["id"]).write(vals)
        else:
            model.create(vals)
