from . import crm_kpi_flag, crm_lead, res_company, res_config_settings, res_partner
