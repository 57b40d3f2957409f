from . import (
    test_call_list,
    test_card_and_security,
    test_deal_linker,
    test_exchange,
    test_export,
    test_faults,
    test_payback_from_1c,
    test_module,
    test_real_1c,
    test_tours,
    test_ui_guards,
)
