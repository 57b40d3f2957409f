"""What runs, in which order, and at the same time as what."""

import contextlib
import os
import sys
from concurrent.futures import ThreadPoolExecutor

from .installs import (
    ODOO_REQUIREMENTS,
    REQUIREMENTS,
    ensure_venv,
    install_debian_packages,
    locked,
    pip_install,
    why_own_venv,
)
from .odoo import odoo_suite, odoo_version
from .pythons import PythonRun, minor, other_pythons, python_version
from .shell import ROOT, RUN_DIR, say
from .summary import Part, exit_code, summary_lines, timed

OWN_VENV = ROOT / ".venv"


def test_python(with_odoo, install):
    """The Python the tests run with, its packages installed: this one or,
    where pip may not install into it, the virtual environment ``.venv/``
    made from it (seeing this Python's packages when it imports Odoo, so that
    the Odoo suite keeps them)."""
    files = REQUIREMENTS + (ODOO_REQUIREMENTS if with_odoo else [])
    python, why, made = sys.executable, why_own_venv(), False
    with contextlib.ExitStack() as stack:
        if why:
            say(
                f"{python} is {why}: the tests run in the virtual environment "
                f"{OWN_VENV.name}/ (made once, then reused)"
            )
            stack.enter_context(locked(OWN_VENV))
            python, made = ensure_venv(OWN_VENV, python, with_odoo, install=install)
        # a new virtual environment is filled even with SKIP_INSTALL=1
        if (install or made) and not pip_install(python, files, with_package=True):
            raise SystemExit("pip could not install the test requirements")
    return str(python)


def why_no_odoo(version):
    if version:
        return f"{sys.executable} imports Odoo {version}, not 18"
    return f"{sys.executable} cannot import Odoo 18"


def run_pythons(runs, parts):
    """The pure-Python parts one after another (they share the CPUs with the
    Odoo suite)."""
    for python_run, part in zip(runs, parts, strict=True):
        timed(part, python_run)
        python_run.report(part)


def main():
    install = os.environ.get("SKIP_INSTALL") != "1"
    version = odoo_version(sys.executable)
    with_odoo = version == "18"
    python = test_python(with_odoo, install)
    if install and with_odoo:
        install_debian_packages()
    RUN_DIR.mkdir(parents=True)
    running = python_version(python)
    runs = [PythonRun(python, running)] + [
        PythonRun(other, other_version, ROOT / f".venv-{minor(other_version)}", install)
        for other, other_version in other_pythons(running)
    ]
    python_parts = [Part(run.name()) for run in runs]
    odoo = Part("Odoo suite (add-ons + crm, install/uninstall, log check)")
    # the Odoo suite takes minutes: the Python parts run meanwhile
    with ThreadPoolExecutor(max_workers=1) as pool:
        pythons = pool.submit(run_pythons, runs, python_parts)
        if with_odoo:
            timed(odoo, odoo_suite, python, install)
        else:
            odoo.why_not = why_no_odoo(version)
        pythons.result()
    parts = [*python_parts, odoo]
    for line in summary_lines(parts):
        print(line)
    return exit_code(parts)
