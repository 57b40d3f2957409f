from . import (
    sme_readiness_answer,
    sme_readiness_assessment,
    sme_readiness_item_mixin,
    sme_readiness_item_option,
    sme_readiness_partner,
    sme_readiness_template,
    sme_readiness_template_item,
)
