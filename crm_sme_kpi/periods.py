# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""The periods the figures are read by (PostgreSQL's ``date_trunc`` units)."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

PERIOD_TYPES = [("week", "Week"), ("month", "Month"), ("quarter", "Quarter")]

STEPS = {"week": {"weeks": 1}, "month": {"months": 1}, "quarter": {"months": 3}}


def period_step(period_type):
    """The length of a period of ``period_type``."""
    return relativedelta(**STEPS[period_type])


def period_interval(period_type):
    """The length of a period of ``period_type``, as a PostgreSQL interval."""
    return " ".join(f"{count} {unit}" for unit, count in STEPS[period_type].items())


def period_start_of(day, period_type):
    """The first day of the period of ``period_type`` that holds ``day``, as
    PostgreSQL's ``date_trunc`` (weeks start on Monday)."""
    if period_type == "week":
        return day - timedelta(days=day.weekday())
    if period_type == "quarter":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day.replace(day=1)
