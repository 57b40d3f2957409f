# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
{
    "name": "CRM SME KPI",
    "summary": "Lead vs client, salesperson effectiveness reports, anomaly flags "
    "and CRM implementation-readiness assessments",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/sme-crm/sme-crm",
    "author": "SME CRM Team",
    "license": "LGPL-3",
    "depends": ["crm", "calendar", "contacts", "mail"],
    "data": [],
    "demo": [],
    "installable": True,
    "application": False,
}
