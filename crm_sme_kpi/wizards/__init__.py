from . import sme_readiness_start
