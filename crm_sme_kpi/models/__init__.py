from . import (
    crm_kpi_flag,
    crm_lead,
    crm_sme_kpi_demo,
    res_company,
    res_config_settings,
    res_partner,
)
