# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""The journal of a run: one ``onec.exchange.run`` entry per stream.

An entry is opened (and committed) when its stream starts, so the journal
shows a run while it runs and keeps it if the worker dies; it is closed
with the stream's counts and errors. A dry run writes its entries at the
end, after everything else it wrote was rolled back.
"""

from dataclasses import dataclass, field

from odoo import fields

from .base import RunComponent

MAX_JOURNALED_REASONS = 20


@dataclass
class StreamStats:
    """What one stream of a run did, written to its journal entry."""

    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    error: str = ""
    state: str = "done"
    reasons: list = field(default_factory=list)  # of failed records, a few
    notes: list = field(default_factory=list)  # for a person to check
    started: object = None

    def add_reason(self, reason):
        if len(self.reasons) < MAX_JOURNALED_REASONS:
            self.reasons.append(reason)


class RunJournal(RunComponent):
    """The journal entries of one run."""

    model = "onec.exchange.run"

    def __init__(self, runner):
        super().__init__(runner)
        self.entries = self.env[self.model]
        self.run_key = self.entries._onec_run_key(self.connection)

    def entry_id(self, stream):
        """The id of ``stream``'s entry (False in a dry run)."""
        entry = self.entries.filtered(lambda e: e.stream == stream)[-1:]
        return entry.id or False

    def open(self, stream):
        if self.runner.dry_run:
            return self.env[self.model]
        entry = self.env[self.model].create(
            {
                **self._key(stream),
                "state": "running",
                "started_at": self.runner.stats[stream].started,
            }
        )
        self.entries |= entry
        # commit: the journal shows the run while it runs, and keeps it if
        # the worker dies
        self.runner.commit_page()
        return entry

    def close(self, entry, stream):
        if entry:
            entry.browse(entry.id).write(self._values(stream))

    def write_dry_run(self):
        for stream, stats in self.runner.stats.items():
            self.entries |= self.env[self.model].create(
                {
                    **self._values(stream),
                    **self._key(stream),
                    "dry_run": True,
                    "started_at": stats.started,
                }
            )

    def write_skipped(self):
        now = fields.Datetime.now()
        self.entries |= self.env[self.model].create(
            {
                **self._key("all"),
                "state": "skipped",
                "dry_run": self.runner.dry_run,
                "started_at": now,
                "ended_at": now,
                "error": "Another exchange of this connection is running: skipped.",
            }
        )

    def _key(self, stream):
        return {
            "connection_id": self.connection.id,
            "run_key": self.run_key,
            "stream": stream,
        }

    def _values(self, stream):
        stats = self.runner.stats[stream]
        error = "\n".join(filter(None, [stats.error, *stats.reasons]))
        return {
            "state": stats.state,
            "ended_at": fields.Datetime.now(),
            "count_read": stats.read,
            "count_created": stats.created,
            "count_updated": stats.updated,
            "count_unchanged": stats.unchanged,
            "count_failed": stats.failed,
            "error": error or False,
            "notes": "\n".join(stats.notes) or False,
        }
