# the rollup first: the report views read its table
from . import crm_sme_kpi_rollup  # isort: skip
from . import (
    crm_sme_kpi_dashboard,
    crm_sme_kpi_figures,
    crm_sme_kpi_report,
    crm_sme_kpi_summary,
)
