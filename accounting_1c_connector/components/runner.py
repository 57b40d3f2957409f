# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""One exchange run of one connection: lock, streams, cursors, journal.

The run holds the lock of its connection (:mod:`.lock`) for its whole
duration, so a second run skips and journals that it skipped. Each page is
stored in a savepoint and committed (outside tests and dry runs), so memory
stays flat and progress is durable; a stream's cursor moves only when the
stream ended, and only past what was stored. A failure of 1C ends the run
with a journal entry (:mod:`.journal`) and nothing half-written; the next
run reads the same window again and catches up (unchanged records are
skipped by their DataVersion). Records that could not be stored wait in
the failure queue (:mod:`.failures`).
"""

import logging
import traceback
from datetime import timedelta

from odoo import fields

from onec_exchange.errors import OneCError

from .exporter import ClientExporter
from .failures import FailureQueue
from .importer import (
    CounterpartyImporter,
    OrderImporter,
    PaymentImporter,
    SalesImporter,
    SettlementImporter,
    ShipmentImporter,
)
from .journal import RunJournal, StreamStats
from .lock import ConnectionLock

_logger = logging.getLogger(__name__)

IMPORTERS = {
    "counterparty": CounterpartyImporter,
    "order": OrderImporter,
    "shipment": ShipmentImporter,
    "payment": PaymentImporter,
}
DOCUMENT_STREAMS = ("order", "shipment", "payment")
SNAPSHOTS = {"settlement": SettlementImporter, "sales": SalesImporter}


class _DryRunRollback(Exception):
    """Raised at the end of a dry run to undo everything it wrote."""


class ExchangeRunner:
    """Runs the exchange of ``connection`` (a single record)."""

    def __init__(self, connection, adapter=None, dry_run=False):
        connection.ensure_one()
        self.connection = connection.sudo()
        self.env = self.connection.env
        self.dry_run = dry_run
        self._adapter = adapter
        self.stats = {}
        self.importers = {}
        self.failures = FailureQueue(self)
        self.journal = RunJournal(self)
        self.lock = ConnectionLock(self.env.cr, self.connection.id)

    # ---- public ------------------------------------------------------------------

    def run(self):
        """Run every enabled stream; returns the journal entries."""
        if not self.lock.acquire():
            self.journal.write_skipped()
            return self.journal.entries
        try:
            if self.dry_run:
                try:
                    with self.env.cr.savepoint():
                        self._run_streams()
                        raise _DryRunRollback
                except _DryRunRollback:
                    self.env.invalidate_all()
                self.journal.write_dry_run()
            else:
                self._run_streams()
        finally:
            self.lock.release()
            if self._adapter is not None:
                self._adapter.close()
        return self.journal.entries

    @property
    def adapter(self):
        if self._adapter is None:
            self._adapter = self.connection._onec_adapter()
        return self._adapter

    def stats_for(self, stream):
        return self.stats.setdefault(stream, StreamStats())

    def importer(self, stream):
        if stream not in self.importers:
            self.importers[stream] = IMPORTERS[stream](self)
        return self.importers[stream]

    def record_failure(self, stream, item, reason):
        """``item`` could not be stored: counted, journaled, tried again."""
        stats = self.stats_for(stream)
        stats.failed += 1
        stats.add_reason(f"{item.ref or '?'}: {reason}")
        self.failures.record_failure(
            stream, item, reason, self.journal.entry_id(stream)
        )

    def record_left_out(self, stream, item, reading_stream):
        """A malformed record of ``stream`` that ``reading_stream`` read on
        its way and left out: a note in that stream's journal entry, and the
        record queued for its own stream (once)."""
        streams = self.env["onec.exchange.run"]._fields["stream"]
        label = dict(streams._description_selection(self.env)).get(stream, stream)
        self.stats_for(reading_stream).notes.append(
            self.env._(
                "%(stream)s: a document 1C sent malformed was left out here "
                "(%(ref)s): %(error)s",
                stream=label,
                ref=item.ref or "?",
                error=item.error,
            )
        )
        self.failures.record_seen_elsewhere(
            stream, item, item.error, self.journal.entry_id(reading_stream)
        )

    def record_success(self, stream, ref):
        self.failures.record_success(stream, ref)

    def commit_page(self):
        """Make a stored page durable and release its memory.

        Not in tests (the test transaction must stay whole) nor in dry runs
        (everything is rolled back at the end).
        """
        if self.dry_run or self.connection._onec_no_commit():
            return
        # commit: each page is consistent on its own; a crash later keeps the
        # pages stored so far and the next run skips them (same DataVersion)
        self.env.cr.commit()  # pylint: disable=invalid-commit
        self.env.invalidate_all()

    # ---- streams -----------------------------------------------------------------

    def _streams(self):
        connection = self.connection
        streams = []
        if self._full_scan_due() or connection._onec_unresolved_placeholders():
            streams.append("counterparty")
        streams += [
            stream
            for stream, enabled in (
                ("order", connection.stream_orders),
                ("shipment", connection.stream_shipments),
                ("payment", connection.stream_payments),
                ("settlement", connection.stream_settlements),
                ("export", connection.export_clients),
                # last: the card's chart never holds back another stream
                ("sales", self._sales_due()),
            )
            if enabled
        ]
        return streams

    def _run_streams(self):
        full_scan = self._full_scan_due()
        all_ok = True
        for stream in self._streams():
            ok = self._run_stream(stream, full_scan)
            all_ok = all_ok and ok
            if not ok and self.stats[stream].state == "failed":
                break  # 1C itself failed: the next run catches up
        now = fields.Datetime.now()
        values = {"last_run_at": now}
        if all_ok:
            values["last_success_at"] = now
            if full_scan:
                values["last_full_scan_at"] = now
        self.connection.write(values)
        self.commit_page()

    def _run_stream(self, stream, full_scan):
        stats = self.stats_for(stream)
        stats.started = fields.Datetime.now()
        entry = self.journal.open(stream)
        self.failures.load(stream)
        try:
            if stream in SNAPSHOTS:
                with self.env.cr.savepoint():
                    SNAPSHOTS[stream](self).run()
            elif stream == "export":
                ClientExporter(self).run()
            else:
                self._import_stream(stream, full_scan)
        except OneCError as error:
            # the journal says what is wrong; the log keeps what 1C answered
            stats.state = "failed"
            stats.error = self.connection._onec_explain(error)
            _logger.warning(
                "1C exchange %s/%s failed: %s", self.connection.name, stream, error
            )
        except Exception as error:
            stats.state = "failed"
            stats.error = f"{error}\n{traceback.format_exc()}"
            _logger.exception("1C exchange %s/%s crashed", self.connection.name, stream)
        if stats.state == "failed":
            self._rollback_uncommitted()
        elif stats.failed:
            stats.state = "partial"
        self.journal.close(entry, stream)
        self.commit_page()
        return stats.state == "done"

    def _import_stream(self, stream, full_scan):
        importer = self.importer(stream)
        cursor = self.connection._onec_cursor(stream)
        since = None
        stored_before = stream in DOCUMENT_STREAMS and bool(cursor.cursor)
        if stored_before and not full_scan:
            since = cursor.cursor - timedelta(minutes=self.connection.overlap_minutes)
        self._retry_failures(stream, importer)
        # a full read of documents stored before shows those 1C deleted for good
        seen = set() if stored_before and since is None else None
        refless_failure = False
        for page in self.adapter.pages(stream, since):
            with self.env.cr.savepoint():
                importer.import_items(page)
            refless_failure = refless_failure or any(not item.ref for item in page)
            if seen is not None:
                seen.update(item.ref for item in page)
            self.commit_page()
        if not refless_failure:
            # records that had no reference were read again in full: resolved
            for key in self.failures.refless_keys(stream):
                self.record_success(stream, key)
            if seen is not None:
                with self.env.cr.savepoint():
                    importer.archive_vanished(seen)
        if stream in DOCUMENT_STREAMS and importer.max_date and not refless_failure:
            position = importer.max_date
            if cursor.cursor and position < cursor.cursor and not full_scan:
                position = cursor.cursor
            cursor.write({"cursor": position, "last_done_at": fields.Datetime.now()})

    def _retry_failures(self, stream, importer):
        due = self.failures.due_refs(stream)
        if due:
            items = self.adapter.fetch(stream, due)
            with self.env.cr.savepoint():
                importer.import_items(items, count=False)
            self.commit_page()

    def _rollback_uncommitted(self):
        if not (self.dry_run or self.connection._onec_no_commit()):
            # rollback: undo the page that was being stored when 1C failed;
            # the committed pages and the open journal entry are kept
            self.env.cr.rollback()
            self.env.invalidate_all()

    def _sales_due(self):
        """The monthly sales are read with all balances (hourly by default)."""
        connection = self.connection
        return (
            connection.stream_settlements
            and connection._onec_all_balances_due()
            and connection._onec_reads_sales()
        )

    def _full_scan_due(self):
        last = self.connection.last_full_scan_at
        hours = self.connection.full_scan_hours
        return not last or (
            hours and last < fields.Datetime.now() - timedelta(hours=hours)
        )
