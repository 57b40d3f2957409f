"""The Odoo suite: both add-ons installed with demo data and their tests
(browser tours included) run through pytest-odoo while Odoo's own ``crm``
tests run on a copy of that database; meanwhile both add-ons are installed
without demo data in another database and uninstalled; then the log check."""

import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .junit import junit_counts
from .logcheck import check_logs
from .postgres import postgres
from .shell import ROOT, RUN_DIR, RUN_ID, free_port, probe, run, test_env

ADDONS = ["crm_sme_kpi", "accounting_1c_connector"]
UNINSTALL_SCRIPT = """
modules = env["ir.module.module"].search([("name", "in", {addons!r})])
modules.button_immediate_uninstall()
env.cr.commit()  # the shell rolls back otherwise
left = modules.filtered(lambda m: m.state != "uninstalled")
assert not left, left.mapped("name")
"""


def odoo_version(python):
    """The major version of Odoo that ``python`` imports, or ``""``."""
    return probe(python, "import odoo.release as r; print(r.version_info[0])")


def odoo_root(python):
    return Path(probe(python, "import odoo; print(odoo.__file__)")).resolve().parent


class Odoo:
    """Runs Odoo commands with one Python against one server with one
    configuration file."""

    def __init__(self, python, db, workdir):
        self.python = python
        self.db = db
        self.workdir = workdir
        self.config = workdir / "odoo.conf"
        self.logs = []
        root = odoo_root(python)
        addons_path = ",".join(
            str(p)
            for p in [root.parent / "addons", root / "addons", ROOT]
            if p.is_dir()
        )
        self.crm_tests = root.parent / "addons" / "crm" / "tests"
        self.config.write_text(
            "[options]\n"
            f"addons_path = {addons_path}\n"
            f"data_dir = {workdir / 'data'}\n"
            f"db_host = {db.host}\ndb_port = {db.port}\n"
            f"db_user = {db.user}\ndb_password = {db.password}\n"
            "log_level = info\nhttp_interface = 127.0.0.1\n"
            # a free port: two runs (or a running Odoo) on one machine do not clash
            f"http_port = {free_port()}\n"
            "max_cron_threads = 0\nworkers = 0\n"
        )

    def logfile(self, stage):
        path = self.workdir / f"{stage}.log"
        self.logs.append(path)
        return path

    def odoo(self, *args, **kwargs):
        """``python -m odoo`` with this run's configuration."""
        cmd = [self.python, "-m", "odoo", *args]
        return run(cmd, env=test_env(), **kwargs).returncode == 0

    def cli(self, stage, *args):
        return self.odoo("-c", self.config, f"--logfile={self.logfile(stage)}", *args)

    def shell(self, stage, dbname, code):
        return self.odoo(
            "shell", "-c", self.config, "-d", dbname,
            f"--logfile={self.logfile(stage)}", "--no-http",
            input=code, text=True,
        )  # fmt: skip

    def pytest(self, stage, dbname, paths, junit):
        cmd = [
            self.python, "-m", "pytest", "-p", "no:cacheprovider", "-q",
            "-p", "tools.testrun.pytest_plugin",
            f"--odoo-config={self.config}", f"--odoo-database={dbname}",
            "--odoo-log-level=info", "--odoo-http",
            f"--odoo-extra=logfile={self.logfile(stage)}",
            # runs at the same time each serve on their own port
            f"--odoo-extra=http-port={free_port()}",
            f"--junitxml={junit}", "--rootdir", ROOT, *paths,
        ]  # fmt: skip
        return run(cmd, env=test_env(), cwd=ROOT).returncode

    def copy_database(self, source, target):
        """``target``: a copy of ``source``, its attachments' files too."""
        self.drop(target)
        self.db.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
        filestore = self.workdir / "data" / "filestore"
        if (filestore / source).is_dir():
            shutil.copytree(filestore / source, filestore / target)

    def drop(self, dbname):
        self.db.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


def crm_copy(dbname):
    return f"{dbname}_crm"


def test_with_demo(part, odoo, dbname):
    """Install the add-ons with demo data, then run their tests and, on a
    copy of that database at the same time, crm's."""
    installed = odoo.cli(
        "install_demo", "-d", dbname, "-i", ",".join(ADDONS),
        "--stop-after-init", "--no-http",
    )  # fmt: skip
    if not part.stage(installed, "install with demo data"):
        return
    suites = [
        ("addons", dbname, os.environ.get("ODOO_TEST_PATHS", " ".join(ADDONS)).split())
    ]
    if os.environ.get("SKIP_CRM_TESTS") == "1":
        part.notes.append("Odoo's own crm tests skipped (SKIP_CRM_TESTS=1)")
    else:
        odoo.copy_database(dbname, crm_copy(dbname))
        suites.append(("crm", crm_copy(dbname), [odoo.crm_tests]))
    with ThreadPoolExecutor() as pool:
        reports = list(pool.map(lambda suite: run_suite(odoo, *suite), suites))
    for junit in reports:
        junit_counts(junit, part)


def run_suite(odoo, name, dbname, paths):
    junit = odoo.workdir / f"{name}.xml"
    odoo.pytest(f"test_{name}", dbname, paths, junit)
    return junit


def install_and_uninstall_bare(odoo, dbname):
    """Install the add-ons without demo data, then uninstall them; returns
    the step that failed, if one did."""
    installed = odoo.cli(
        "install_bare", "-d", dbname, "-i", ",".join(ADDONS),
        "--without-demo=all", "--stop-after-init", "--no-http",
    )  # fmt: skip
    if not installed:
        return "install without demo data"
    if not odoo.shell("uninstall", dbname, UNINSTALL_SCRIPT.format(addons=ADDONS)):
        return "uninstall"
    return None


def odoo_suite(part, python, install):
    workdir = RUN_DIR / "odoo"
    workdir.mkdir(parents=True)
    demo_db, bare_db = f"smecrm_demo_{RUN_ID}", f"smecrm_bare_{RUN_ID}"
    with postgres(install) as db:
        odoo = Odoo(python, db, workdir)
        try:
            # two databases at once: the bare install does not wait for the tests
            with ThreadPoolExecutor() as pool:
                bare = pool.submit(install_and_uninstall_bare, odoo, bare_db)
                test_with_demo(part, odoo, demo_db)
                failed_step = bare.result()
            part.stage(not failed_step, failed_step)
        finally:
            for name in (demo_db, crm_copy(demo_db), bare_db):
                odoo.drop(name)
    check_logs(part, odoo.logs, workdir)
