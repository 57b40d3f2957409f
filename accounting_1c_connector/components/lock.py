# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""The lock of a connection's run: one run of a connection at a time.

A session-level advisory lock, so it survives the per-page commits of the
run; a second run (a button, another worker, another cron) does not wait:
it skips, and its journal says so.
"""

LOCK_CLASS = 0x1C  # first key of pg_try_advisory_lock(int, int): "1C runs"


class ConnectionLock:
    """``pg_try_advisory_lock(LOCK_CLASS, connection id)`` on a cursor."""

    def __init__(self, cr, connection_id):
        self.cr = cr
        self.key = (LOCK_CLASS, connection_id)

    def acquire(self):
        """True when taken; False when another run holds it."""
        self.cr.execute("SELECT pg_try_advisory_lock(%s, %s)", self.key)
        return self.cr.fetchone()[0]

    def release(self):
        self.cr.execute("SELECT pg_advisory_unlock(%s, %s)", self.key)
