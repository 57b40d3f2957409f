# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""18.0.3.0.0, before the update: an answer's ``is_blocking`` is now
``blocks_verdict`` (the item's ``blocking`` says that it can block); the
stored values are kept."""

from odoo.tools.sql import column_exists, rename_column


def migrate(cr, version):
    if column_exists(cr, "sme_readiness_answer", "is_blocking"):
        rename_column(cr, "sme_readiness_answer", "is_blocking", "blocks_verdict")
