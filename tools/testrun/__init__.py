"""The parts of the test command ``python3 tools/run_tests.py``.

- ``shell``: the checkout, printing, running commands, their environment;
- ``installs``: pip and apt, and the virtual environments the command makes;
- ``pythons``: the pure-Python tests and byte-compiling under each Python;
- ``postgres``: the configured PostgreSQL server, or a throwaway one;
- ``odoo``: the Odoo suite (installs, add-on and crm tests, uninstall);
- ``junit``: counting tests in a JUnit report;
- ``logcheck``: the Odoo log check and its allow-list;
- ``summary``: the parts, their counts and the closing line;
- ``main``: what runs, in which order, and at the same time as what.

Plain standard library on Python 3.10+, so that any ``python3`` can run it.
"""
