# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""The failed records of a run: ``onec.exchange.failure``, by stream.

A record that cannot be read or stored is kept with its error and raw
payload, and tried again by the connection's retry policy: read again by
its reference when due (records without one are read again with the next
full read of their stream). Stored at last, it is resolved.
"""

import hashlib

from odoo import fields

from .base import RunComponent


class FailureQueue(RunComponent):
    """The open failures of the run's connection, by stream and key (the 1C
    reference, else a hash of the payload)."""

    model = "onec.exchange.failure"

    def __init__(self, runner):
        super().__init__(runner)
        self.by_stream = {}

    def load(self, stream):
        failures = self.env[self.model]._onec_not_stored(self.connection, stream)
        self.by_stream[stream] = {failure.key: failure for failure in failures}

    def due_refs(self, stream):
        """The 1C references of ``stream``'s failures due for a try."""
        now = fields.Datetime.now()
        return [
            ref
            for ref, failure in self.by_stream[stream].items()
            if failure.ref and failure.next_try_at and failure.next_try_at <= now
        ]

    def refless_keys(self, stream):
        return [key for key in self.by_stream[stream] if key.startswith("sha1:")]

    def record_failure(self, stream, item, reason, journal_id):
        if self.runner.dry_run:
            return
        payload = item.payload_json()
        key = item.ref or "sha1:" + hashlib.sha1(payload.encode()).hexdigest()
        failures = self.by_stream.setdefault(stream, {})
        failure = failures.get(key)
        if failure:
            failure._onec_failed_again(reason, payload, journal_id)
            return
        failures[key] = self.env[self.model]._onec_create(
            {
                "connection_id": self.connection.id,
                "journal_id": journal_id,
                "stream": stream,
                "key": key,
                "ref": item.ref or False,
            },
            reason,
            payload,
        )

    def record_seen_elsewhere(self, stream, item, reason, journal_id):
        """A malformed record of ``stream`` that another stream read on its
        way: queued for its own stream once, never counted as one more try
        (its own stream counts its tries)."""
        if stream not in self.by_stream:
            self.load(stream)
        if item.ref not in self.by_stream[stream]:
            self.record_failure(stream, item, reason, journal_id)

    def record_success(self, stream, key):
        failure = self.by_stream.get(stream, {}).pop(key, None)
        if failure and not self.runner.dry_run:
            failure._onec_resolve()
