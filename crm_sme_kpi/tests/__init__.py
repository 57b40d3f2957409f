from . import (
    test_client_status,
    test_kpi_figures,
    test_kpi_flags,
    test_kpi_multi_company,
    test_module,
    test_sme_readiness_access,
    test_sme_readiness_deal_volume,
    test_sme_readiness_payback,
    test_sme_readiness_report,
    test_sme_readiness_scoring,
    test_sme_readiness_template,
    test_sme_readiness_verdict,
)
