#!/usr/bin/env python3
"""The product's one test command: ``python3 tools/run_tests.py``.

1. Installs the Python packages the tests need; where pip may not install
   into this ``python3`` (externally managed, PEP 668, or without pip), into
   the virtual environment ``.venv/`` it makes from it (once, then reused).
2. Always runs the pure-Python tests of the 1C exchange package (``tests/``)
   and of this command (``tools/testrun/tests/``), and byte-compiles both
   add-ons and ``onec_exchange``; the same again under every other Python
   3.10-3.12 found on the machine (pyenv's, ``python3.X`` on the path), each
   in its own virtual environment ``.venv-3.X/``.
3. When this ``python3`` can import Odoo 18, runs the Odoo suite meanwhile:
   - finds a PostgreSQL on loopback, or starts its own (and stops it after);
   - installs both add-ons on a fresh database with demo data and runs their
     tests (browser tours included) through pytest-odoo, and at the same time
     Odoo's own ``crm`` tests on a copy of that database;
   - meanwhile installs both add-ons without demo data, then uninstalls them;
   - fails on any WARNING, ERROR, CRITICAL or traceback in the Odoo logs that
     ``tools/log_allowlist.txt`` does not list with a reason.
4. Prints which parts ran, in how long, and why others did not, and ends with
   the line ``N passed, N failed`` that counts the tests of every part (a
   failed stage such as an install, a byte-compile or the log check counts as
   one failure).

Environment: ``ODOO_DB_HOST``/``ODOO_DB_PORT``/``ODOO_DB_USER``/
``ODOO_DB_PASSWORD`` point at an existing server (default 127.0.0.1:5432,
odoo/odoo); ``SKIP_INSTALL=1`` skips pip and apt; ``ODOO_TEST_PATHS`` limits
the add-on tests (pytest paths, space separated); ``SKIP_CRM_TESTS=1`` skips
Odoo's own crm tests (for quick local runs, never in CI).

The parts live in ``tools/testrun/``; a run's logs in ``.test-run/<run>/``.
"""

import sys

# run as a script, this file's folder (tools/) is on the path
from testrun.main import main

if __name__ == "__main__":
    sys.exit(main())
