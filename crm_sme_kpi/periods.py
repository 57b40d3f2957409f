# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""The periods the figures are read by (PostgreSQL's ``date_trunc`` units)."""

PERIOD_TYPES = [("week", "Week"), ("month", "Month"), ("quarter", "Quarter")]
