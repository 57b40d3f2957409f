# the mixins first: models below inherit them
from . import crm_sme_kpi_rollup_source, sme_readiness_thresholds_mixin  # isort: skip
from . import (
    calendar_event,
    crm_kpi_flag,
    crm_lead,
    crm_sme_kpi_demo,
    mail_message,
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
