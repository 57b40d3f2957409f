# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
{
    "name": "CRM SME KPI",
    "summary": "Lead vs client, salesperson effectiveness reports, anomaly flags "
    "and CRM implementation-readiness assessments",
    "version": "18.0.3.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/sme-crm/sme-crm",
    "author": "SME CRM Team",
    "license": "LGPL-3",
    "depends": ["crm", "calendar", "contacts", "mail"],
    "data": [
        "security/crm_sme_kpi_security.xml",
        "security/sme_readiness_security.xml",
        "security/ir.model.access.csv",
        "views/res_partner_views.xml",
        "views/crm_lead_views.xml",
        "views/crm_sme_kpi_report_views.xml",
        "views/crm_kpi_flag_views.xml",
        "views/res_config_settings_views.xml",
        "views/sme_readiness_template_views.xml",
        "views/sme_readiness_assessment_views.xml",
        "views/sme_readiness_partner_views.xml",
        "wizards/sme_readiness_start_views.xml",
        "report/sme_readiness_report.xml",
        "views/crm_sme_kpi_menus.xml",
        "views/sme_readiness_menus.xml",
        "data/ir_cron.xml",
        "data/sme_readiness_template_data.xml",
    ],
    "demo": [
        "demo/crm_sme_kpi_demo.xml",
        "demo/sme_readiness_demo.xml",
    ],
    "assets": {
        "web.assets_backend": ["crm_sme_kpi/static/src/dashboard/*"],
        "web.assets_tests": ["crm_sme_kpi/static/tests/tours/*.js"],
    },
    "post_init_hook": "post_init_hook",
    "uninstall_hook": "uninstall_hook",
    "installable": True,
    "application": False,
}
