# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
{
    "name": "1C:Enterprise Connector",
    "summary": "Settlements, orders and payments from 1C in the CRM customer card "
    "and deals; new clients created in 1C as counterparties",
    "version": "18.0.2.2.0",
    "category": "Sales/CRM",
    "website": "https://github.com/sme-crm/sme-crm",
    "author": "SME CRM Team",
    "license": "LGPL-3",
    "depends": ["crm_sme_kpi"],
    "external_dependencies": {"python": ["onec-exchange", "zeep", "python-stdnum"]},
    "data": [
        "security/accounting_1c_connector_security.xml",
        "security/ir.model.access.csv",
        "views/onec_connection_views.xml",
        "views/onec_exchange_run_views.xml",
        "views/onec_counterparty_views.xml",
        "views/onec_document_views.xml",
        "views/res_partner_views.xml",
        "views/crm_lead_views.xml",
        "views/sme_readiness_assessment_views.xml",
        "views/res_config_settings_views.xml",
        "wizards/onec_reconciliation_views.xml",
        "views/accounting_1c_connector_menus.xml",
        "data/ir_cron.xml",
    ],
    "demo": ["demo/onec_demo.xml"],
    "assets": {
        "web.assets_backend": ["accounting_1c_connector/static/src/scss/*.scss"],
        "web.assets_tests": ["accounting_1c_connector/static/tests/tours/*.js"],
    },
    "installable": True,
    "application": False,
}
