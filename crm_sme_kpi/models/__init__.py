# the mixin first: models below inherit it
from . import sme_readiness_thresholds_mixin  # isort: skip
from . import (
    crm_kpi_flag,
    crm_lead,
    crm_sme_call_item,
    crm_sme_kpi_demo,
    mail_activity,
    res_company,
    res_config_settings,
    res_partner,
    sme_readiness_answer,
    sme_readiness_assessment,
    sme_readiness_item_mixin,
    sme_readiness_item_option,
    sme_readiness_partner,
    sme_readiness_template,
    sme_readiness_template_item,
)
