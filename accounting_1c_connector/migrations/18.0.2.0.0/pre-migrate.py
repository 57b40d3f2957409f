# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""18.0.2.0.0: one retry vocabulary, payloads as attachments of a field,
``onec_partner_ref`` for 1C's partner, no stored INN/KPP banner.

Before the registry loads: columns are renamed (their data kept), so the
renamed fields find them filled.
"""

import logging

from odoo.tools import SQL

_logger = logging.getLogger(__name__)

MODULE = "accounting_1c_connector"
RENAMED = [
    # model, old field, new field
    ("onec.exchange.failure", "attempts", "try_count"),
    ("onec.exchange.failure", "next_retry_at", "next_try_at"),
    ("onec.exchange.failure", "reason", "error"),
    ("onec.exchange.failure", "run_id", "journal_id"),
    ("onec.client.export", "attempts", "try_count"),
    ("onec.counterparty", "partner_ref", "onec_partner_ref"),
]


def column_exists(cr, table, column):
    cr.execute(
        "SELECT 1 FROM information_schema.columns "
        "WHERE table_name = %s AND column_name = %s",
        (table, column),
    )
    return bool(cr.fetchone())


def rename_field(cr, model, old, new):
    """The column, the field's record and its XML id (its translations)."""
    table = model.replace(".", "_")
    if column_exists(cr, table, old) and not column_exists(cr, table, new):
        cr.execute(
            SQL(
                "ALTER TABLE %s RENAME COLUMN %s TO %s",
                SQL.identifier(table),
                SQL.identifier(old),
                SQL.identifier(new),
            )
        )
    cr.execute(
        "UPDATE ir_model_fields SET name = %s WHERE model = %s AND name = %s",
        (new, model, old),
    )
    cr.execute(
        "UPDATE ir_model_data SET name = %s "
        "WHERE module = %s AND model = 'ir.model.fields' AND name = %s",
        (f"field_{table}__{new}", MODULE, f"field_{table}__{old}"),
    )


def migrate(cr, version):
    for model, old, new in RENAMED:
        rename_field(cr, model, old, new)
    # the retry vocabulary: "open" failures are "failed, will retry"
    cr.execute("UPDATE onec_exchange_failure SET state = 'failed' WHERE state = 'open'")
    # payloads: the attachments become those of the ``payload`` field
    if column_exists(cr, "onec_exchange_failure", "attachment_id"):
        cr.execute(
            "UPDATE ir_attachment SET res_field = 'payload' WHERE id IN "
            "(SELECT attachment_id FROM onec_exchange_failure "
            "WHERE attachment_id IS NOT NULL)"
        )
        cr.execute("ALTER TABLE onec_exchange_failure DROP COLUMN attachment_id")
    # computed when read since 18.0.1.1.0; older databases kept the column
    cr.execute("ALTER TABLE res_partner DROP COLUMN IF EXISTS onec_requisites_error")
    _logger.info("%s: retry fields renamed, payloads moved", MODULE)
