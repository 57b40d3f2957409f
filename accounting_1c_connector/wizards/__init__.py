from . import onec_reconciliation
