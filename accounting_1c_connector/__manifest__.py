# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
{
    "name": "1C:Enterprise Connector",
    "summary": "Settlements, orders and payments from 1C in the CRM customer card "
    "and deals; new clients created in 1C as counterparties",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/sme-crm/sme-crm",
    "author": "SME CRM Team",
    "license": "LGPL-3",
    "depends": ["crm_sme_kpi"],
    "external_dependencies": {"python": ["onec-exchange", "zeep", "python-stdnum"]},
    "data": [],
    "demo": [],
    "installable": True,
    "application": False,
}
