# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""What every piece of a run (importers, exporter) shares."""


class RunComponent:
    """Works for one stream of one run: its connection, env and counts."""

    stream = None
    model = None

    def __init__(self, runner):
        self.runner = runner
        self.env = runner.env
        self.connection = runner.connection
        self.stats = runner.stats_for(self.stream)
