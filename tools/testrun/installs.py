"""Installs: Python packages with pip, Debian packages with apt, and the
virtual environments the command makes where pip may not install."""

import contextlib
import fcntl
import importlib.util
import os
import shutil
import sys
import sysconfig
from pathlib import Path

from .shell import ROOT, run, say

REQUIREMENTS = ["requirements.txt", "requirements-test.txt"]
ODOO_REQUIREMENTS = ["requirements-odoo-test.txt"]
# Debian packages the Odoo suite needs, by the command that shows they are there
ODOO_DEBIAN_PACKAGES = {
    "chromium": "chromium",  # Odoo's HttpCase browser tests (crm's tours)
    "wkhtmltopdf": "wkhtmltopdf",  # QWeb PDF reports
}


# ---- pip ---------------------------------------------------------------------


def why_own_venv():
    """Why pip cannot install into the running Python; empty when it can."""
    in_venv = sys.prefix != sys.base_prefix
    marker = Path(sysconfig.get_path("stdlib")) / "EXTERNALLY-MANAGED"
    if marker.exists() and not in_venv:
        return "externally managed (PEP 668), pip refuses to install into it"
    if importlib.util.find_spec("pip") is None:
        return "without pip"
    return ""


def pip_install(python, requirement_files, with_package, runner=run):
    """Install the requirement files into ``python``'s environment and, with
    ``with_package``, this checkout's package too: Odoo checks the add-on's
    external dependency by its distribution name (the tests still import it
    from the checkout). Returns whether pip succeeded."""
    pip = [python, "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    args = [arg for name in requirement_files for arg in ("-r", ROOT / name)]
    if runner(pip + args).returncode:
        return False
    return not with_package or runner([*pip, "--no-deps", ROOT]).returncode == 0


# ---- virtual environments ------------------------------------------------------


@contextlib.contextmanager
def locked(path):
    """Hold a lock named after ``path``: two runs at once in one checkout
    must not build the same virtual environment together."""
    with path.with_name(path.name + ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def venv_config(path):
    cfg = path / "pyvenv.cfg"
    if not cfg.exists():
        return {}
    pairs = (line.partition("=") for line in cfg.read_text().splitlines())
    return {key.strip(): value.strip() for key, _, value in pairs}


def venv_is_of(path, base_python, system_site):
    """Whether ``path`` is a working virtual environment of ``base_python``."""
    config = venv_config(path)
    home = Path(config.get("home", "")).resolve()
    return (
        (path / "bin" / "python").exists()
        and home == Path(base_python).resolve().parent
        and config.get("include-system-site-packages") == str(system_site).lower()
    )


def ensure_venv(path, base_python, system_site=False, runner=run, install=True):
    """A virtual environment of ``base_python`` at ``path``, made the first
    time and reused after: ``(its python, whether it was made now)``."""
    if venv_is_of(path, base_python, system_site):
        return path / "bin" / "python", False
    shutil.rmtree(path, ignore_errors=True)
    cmd = [base_python, "-m", "venv", path]
    if system_site:
        cmd.insert(-1, "--system-site-packages")
    if runner(cmd).returncode and install and apt_install(["python3-venv"]):
        # Debian's and Ubuntu's Python has no ensurepip without it
        shutil.rmtree(path, ignore_errors=True)
        runner(cmd)
    if not venv_is_of(path, base_python, system_site):
        raise SystemExit(f"{base_python} could not make a virtual environment")
    return path / "bin" / "python", True


# ---- apt -----------------------------------------------------------------------


def apt_install(packages):
    """Install Debian packages; returns whether apt-get did."""
    if not shutil.which("apt-get"):
        say(f"no apt-get: cannot install {', '.join(packages)}")
        return False
    say(f"installing Debian packages: {', '.join(packages)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(["apt-get", "update", "-qq"], env=env)
    return run(["apt-get", "install", "-y", "-qq", *packages], env=env).returncode == 0


def install_debian_packages():
    missing = [
        pkg for cmd, pkg in ODOO_DEBIAN_PACKAGES.items() if not shutil.which(cmd)
    ]
    if missing:
        apt_install(missing)
