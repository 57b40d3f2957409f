from . import (
    test_client_status,
    test_kpi_figures,
    test_kpi_flags,
    test_kpi_multi_company,
    test_module,
)
