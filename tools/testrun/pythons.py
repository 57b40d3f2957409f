"""The pure-Python tests and byte-compiling of the add-ons under each Python
that Odoo 18 supports: Ubuntu 22.04's 3.10 to the ``odoo:18`` image's 3.12."""

import os
import re
import shutil
import tempfile
from pathlib import Path

from .installs import REQUIREMENTS, ensure_venv, locked, pip_install
from .junit import junit_counts
from .shell import ROOT, RUN_DIR, probe, run_logged, say, test_env

SUPPORTED = ("3.10", "3.11", "3.12")
PURE_TESTS = ["tests", "tools/testrun/tests"]
COMPILED = ["crm_sme_kpi", "accounting_1c_connector", "onec_exchange"]
LOG_TAIL = 40


def python_version(python):
    """``python``'s version as ``"3.10.13"``, or ``""`` when it does not run."""
    return probe(python, "import sys; print('%d.%d.%d' % sys.version_info[:3])")


def minor(version):
    return version.rsplit(".", 1)[0]


def version_key(version):
    return tuple(int(n) for n in re.findall(r"\d+", version))


def candidate_pythons():
    """pyenv's Pythons, then those on PATH named ``python3.X``."""
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    found = sorted((pyenv / "versions").glob("*/bin/python3"))
    found += [shutil.which(f"python{v}") for v in SUPPORTED]
    return [str(path) for path in found if path]


def other_pythons(running_version):
    """``(python, version)`` for the newest Python of each supported minor
    version found on the machine, except the running one's."""
    newest = {}
    for python in candidate_pythons():
        version = python_version(python)
        key = minor(version)
        if key not in SUPPORTED or key == minor(running_version):
            continue
        if key not in newest or version_key(version) > version_key(newest[key][1]):
            newest[key] = (python, version)
    return [newest[key] for key in sorted(newest)]


class PythonRun:
    """The pure-Python tests and the byte-compile under one Python, its
    output in a log file of its own (it runs beside the Odoo suite)."""

    def __init__(self, python, version, venv=None, install=True):
        self.python = python
        self.version = version
        self.venv = venv
        self.install = install
        self.log = RUN_DIR / f"python-{version}.log"

    def name(self):
        python = self.venv / "bin" / "python" if self.venv else Path(self.python)
        if python.is_relative_to(ROOT):
            python = python.relative_to(ROOT)
        return f"pure-Python tests + byte-compile, Python {self.version} ({python})"

    def runner(self, cmd, **kwargs):
        return run_logged(cmd, self.log, **kwargs)

    def __call__(self, part):
        python = self.python
        if self.venv:
            python = self.prepare_venv(part)
            if not python:
                return
        self.pure_tests(part, python)
        self.byte_compile(part, python)

    def prepare_venv(self, part):
        with locked(self.venv):
            python, made = ensure_venv(self.venv, self.python, runner=self.runner)
            installed = not (self.install or made) or pip_install(
                python, REQUIREMENTS, with_package=False, runner=self.runner
            )
        ok = part.stage(installed, f"pip install into {self.venv.name}/")
        return python if ok else None

    def pure_tests(self, part, python):
        junit = RUN_DIR / f"pure-{self.version}.xml"
        self.runner(
            [python, "-m", "pytest", "-p", "no:odoo", "-p", "no:cacheprovider",
             "-q", f"--junitxml={junit}", *PURE_TESTS],
            env=test_env(),
            cwd=ROOT,
        )  # fmt: skip
        junit_counts(junit, part)

    def byte_compile(self, part, python):
        # the compiled files are thrown away, not left beside the sources
        with tempfile.TemporaryDirectory(prefix="sme-crm-pyc-") as cache:
            done = self.runner(
                [python, "-m", "compileall", "-q", *COMPILED],
                env=test_env(PYTHONPYCACHEPREFIX=cache),
                cwd=ROOT,
            )
        part.stage(done.returncode == 0, f"byte-compile {', '.join(COMPILED)}")

    def report(self, part):
        """One line when done; the log's end when something failed."""
        say(part.status() + f" (log: {self.log})")
        if part.failed and self.log.exists():
            for line in self.log.read_text(errors="replace").splitlines()[-LOG_TAIL:]:
                print(f"    | {line}", flush=True)
