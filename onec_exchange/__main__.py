"""``python -m onec_exchange``: the stand-in's command line (see ``--help``)."""

import sys

from .standin.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
