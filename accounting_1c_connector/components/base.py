# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""What every piece of a run (importers, exporter, binder, journal...) shares."""


class RunComponent:
    """Works for one run: its connection and env and, for one stream, its
    counts (``stats``)."""

    stream = None
    model = None

    def __init__(self, runner):
        self.runner = runner
        self.env = runner.env
        self.connection = runner.connection
        # the binder, the journal and the failure queue serve every stream
        self.stats = runner.stats_for(self.stream) if self.stream else None
