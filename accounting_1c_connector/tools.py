# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""Small helpers the models and the exchange components share."""


def normalize_inn(vat):
    """The INN held in Odoo's ``vat`` (``RU7707083893`` or with spaces)."""
    value = "".join((vat or "").split()).upper()
    if value.startswith("RU"):
        value = value[2:]
    return value
