from . import crm_sme_kpi_figures, crm_sme_kpi_report, crm_sme_kpi_summary
