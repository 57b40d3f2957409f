# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""One exchange run of one connection: lock, streams, cursors, journal.

The run holds a session-level advisory lock on its connection for its whole
duration, so a second run (a button, another worker, another cron) skips and
journals that it skipped. Each page is stored in a savepoint and committed
(outside tests and dry runs), so memory stays flat and progress is durable;
a stream's cursor moves only when the stream ended, and only past what was
stored. A failure of 1C ends the run with a journal entry and nothing
half-written; the next run reads the same window again and catches up
(unchanged records are skipped by their DataVersion).
"""

import hashlib
import logging
import traceback
from dataclasses import dataclass, field
from datetime import timedelta

from odoo import fields

from onec_exchange.errors import OneCError

from .exporter import ClientExporter
from .importer import (
    CounterpartyImporter,
    OrderImporter,
    PaymentImporter,
    SettlementImporter,
    ShipmentImporter,
)

_logger = logging.getLogger(__name__)

LOCK_CLASS = 0x1C  # first key of pg_try_advisory_lock(int, int): "1C runs"
IMPORTERS = {
    "counterparty": CounterpartyImporter,
    "order": OrderImporter,
    "shipment": ShipmentImporter,
    "payment": PaymentImporter,
}
DOCUMENT_STREAMS = ("order", "shipment", "payment")
RETRY_BASE_MINUTES = 5
RETRY_MAX_MINUTES = 24 * 60
MAX_JOURNALED_REASONS = 20


@dataclass
class StreamStats:
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    error: str = ""
    state: str = "done"
    reasons: list = field(default_factory=list)
    started: object = None


class _DryRunRollback(Exception):
    """Raised at the end of a dry run to undo everything it wrote."""


def retry_delay(attempts):
    """Growing delays: 5 min, 10, 20, 40... at most a day."""
    minutes = RETRY_BASE_MINUTES * 2 ** max(attempts - 1, 0)
    return timedelta(minutes=min(minutes, RETRY_MAX_MINUTES))


class ExchangeRunner:
    """Runs the exchange of ``connection`` (a single record)."""

    def __init__(self, connection, adapter=None, dry_run=False):
        connection.ensure_one()
        self.connection = connection.sudo()
        self.env = self.connection.env
        self.dry_run = dry_run
        self._adapter = adapter
        self.stats = {}
        self.failures = {}
        self.importers = {}
        self.journals = self.env["onec.exchange.run"]
        self.run_key = None

    # ---- public ------------------------------------------------------------------

    def run(self):
        """Run every enabled stream; returns the journal entries."""
        self.run_key = fields.Datetime.now().strftime("%Y%m%d%H%M%S") + (
            f"-{self.connection.id}"
        )
        if not self._try_lock():
            return self._journal_skipped()
        try:
            if self.dry_run:
                try:
                    with self.env.cr.savepoint():
                        self._run_streams()
                        raise _DryRunRollback
                except _DryRunRollback:
                    self.env.invalidate_all()
                self._journal_dry_run()
            else:
                self._run_streams()
        finally:
            self._unlock()
            if self._adapter is not None:
                self._adapter.close()
        return self.journals

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
        journal = self._journal_open(stream)
        self._load_failures(stream)
        try:
            if stream == "settlement":
                with self.env.cr.savepoint():
                    SettlementImporter(self).run()
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
        self._journal_close(journal, stream)
        self.commit_page()
        return stats.state == "done"

    def _import_stream(self, stream, full_scan):
        importer = self.importer(stream)
        state = self.connection._onec_sync_state(stream)
        since = None
        stored_before = stream in DOCUMENT_STREAMS and bool(state.cursor)
        if stored_before and not full_scan:
            since = state.cursor - timedelta(minutes=self.connection.overlap_minutes)
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
            for key in [k for k in self.failures[stream] if k.startswith("sha1:")]:
                self.record_success(stream, key)
            if seen is not None:
                with self.env.cr.savepoint():
                    importer.archive_vanished(seen)
        if stream in DOCUMENT_STREAMS and importer.max_date and not refless_failure:
            cursor = importer.max_date
            if state.cursor and cursor < state.cursor and not full_scan:
                cursor = state.cursor
            state.write({"cursor": cursor, "last_done_at": fields.Datetime.now()})

    def _retry_failures(self, stream, importer):
        now = fields.Datetime.now()
        due = [
            ref
            for ref, failure in self.failures[stream].items()
            if failure.ref and failure.next_retry_at and failure.next_retry_at <= now
        ]
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

    # ---- failures ----------------------------------------------------------------

    def _load_failures(self, stream):
        failures = self.env["onec.exchange.failure"].search(
            [
                ("connection_id", "=", self.connection.id),
                ("stream", "=", stream),
                ("state", "=", "open"),
            ]
        )
        self.failures[stream] = {failure.key: failure for failure in failures}

    def record_failure(self, stream, item, reason):
        stats = self.stats_for(stream)
        stats.failed += 1
        if len(stats.reasons) < MAX_JOURNALED_REASONS:
            stats.reasons.append(f"{item.ref or '?'}: {reason}")
        if self.dry_run:
            return
        payload = item.payload_json()
        key = item.ref or "sha1:" + hashlib.sha1(payload.encode()).hexdigest()
        failures = self.failures.setdefault(stream, {})
        failure = failures.get(key)
        if failure:
            failure._onec_failed_again(reason, payload, self._journal_id(stream))
        else:
            failures[key] = self.env["onec.exchange.failure"]._onec_create(
                {
                    "connection_id": self.connection.id,
                    "run_id": self._journal_id(stream),
                    "stream": stream,
                    "key": key,
                    "ref": item.ref or False,
                    "reason": reason,
                    "next_retry_at": fields.Datetime.now() + retry_delay(1),
                },
                payload,
            )

    def record_success(self, stream, ref):
        failure = self.failures.get(stream, {}).pop(ref, None)
        if failure and not self.dry_run:
            failure.write({"state": "resolved", "resolved_at": fields.Datetime.now()})

    # ---- journal -----------------------------------------------------------------

    def _journal_id(self, stream):
        journal = self.journals.filtered(lambda j: j.stream == stream)[-1:]
        return journal.id or False

    def _journal_open(self, stream):
        if self.dry_run:
            return self.env["onec.exchange.run"]
        journal = self.env["onec.exchange.run"].create(
            {
                "connection_id": self.connection.id,
                "run_key": self.run_key,
                "stream": stream,
                "state": "running",
                "started_at": self.stats[stream].started,
            }
        )
        self.journals |= journal
        # commit: the journal shows the run while it runs, and keeps it if
        # the worker dies
        self.commit_page()
        return journal

    def _journal_values(self, stream):
        stats = self.stats[stream]
        error = stats.error
        if stats.reasons:
            error = "\n".join(filter(None, [error, *stats.reasons]))
        return {
            "state": stats.state,
            "ended_at": fields.Datetime.now(),
            "count_read": stats.read,
            "count_created": stats.created,
            "count_updated": stats.updated,
            "count_unchanged": stats.unchanged,
            "count_failed": stats.failed,
            "error": error or False,
        }

    def _journal_close(self, journal, stream):
        if journal:
            journal.browse(journal.id).write(self._journal_values(stream))

    def _journal_dry_run(self):
        for stream, stats in self.stats.items():
            values = self._journal_values(stream)
            values.update(
                connection_id=self.connection.id,
                run_key=self.run_key,
                stream=stream,
                dry_run=True,
                started_at=stats.started,
            )
            self.journals |= self.env["onec.exchange.run"].create(values)

    def _journal_skipped(self):
        self.journals |= self.env["onec.exchange.run"].create(
            {
                "connection_id": self.connection.id,
                "run_key": self.run_key,
                "stream": "all",
                "state": "skipped",
                "dry_run": self.dry_run,
                "started_at": fields.Datetime.now(),
                "ended_at": fields.Datetime.now(),
                "error": "Another exchange of this connection is running: skipped.",
            }
        )
        return self.journals

    # ---- lock ----------------------------------------------------------------------

    def _try_lock(self):
        # a session lock: it survives the per-page commits of this run
        self.env.cr.execute(
            "SELECT pg_try_advisory_lock(%s, %s)", (LOCK_CLASS, self.connection.id)
        )
        return self.env.cr.fetchone()[0]

    def _unlock(self):
        self.env.cr.execute(
            "SELECT pg_advisory_unlock(%s, %s)", (LOCK_CLASS, self.connection.id)
        )

    def _full_scan_due(self):
        last = self.connection.last_full_scan_at
        hours = self.connection.full_scan_hours
        return not last or (
            hours and last < fields.Datetime.now() - timedelta(hours=hours)
        )
