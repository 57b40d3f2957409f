from . import test_exchange, test_faults, test_module
