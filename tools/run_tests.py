#!/usr/bin/env python3
"""The product's one test command: ``python3 tools/run_tests.py``.

1. Installs the Python packages the tests need.
2. Always runs the pure-Python tests of the 1C exchange package (``tests/``).
3. When this ``python3`` can import Odoo 18, runs the Odoo suite:
   - finds a PostgreSQL on loopback, or starts its own (and stops it after);
   - installs both add-ons on a fresh database with demo data and runs their
     tests (browser tours included) through pytest-odoo, and at the same time
     Odoo's own ``crm`` tests on a copy of that database;
   - meanwhile installs both add-ons without demo data, then uninstalls them;
   - fails on any WARNING, ERROR, CRITICAL or traceback in the Odoo logs that
     ``tools/log_allowlist.txt`` does not list with a reason.
4. Prints which parts ran and why others did not, and ends with the line
   ``N passed, N failed`` that counts the tests of every part (a failed stage
   such as an install or the log check counts as one failure).

Environment: ``ODOO_DB_HOST``/``ODOO_DB_PORT``/``ODOO_DB_USER``/
``ODOO_DB_PASSWORD`` point at an existing server (default 127.0.0.1:5432,
odoo/odoo); ``SKIP_INSTALL=1`` skips pip and apt; ``ODOO_TEST_PATHS`` limits
the add-on tests (pytest paths, space separated); ``SKIP_CRM_TESTS=1`` skips
Odoo's own crm tests (for quick local runs, never in CI).
"""

import contextlib
import glob
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ["crm_sme_kpi", "accounting_1c_connector"]
ALLOWLIST = ROOT / "tools" / "log_allowlist.txt"
LOG_PROBLEM = re.compile(
    r"^\S+ \S+ \d+ (WARNING|ERROR|CRITICAL) |^Traceback \(most recent"
)


@dataclass
class Part:
    name: str
    ran: bool = False
    why_not: str = ""
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    seconds: float = 0.0
    notes: list = field(default_factory=list)


def say(msg):
    print(f"[run_tests] {msg}", flush=True)


def run(cmd, **kwargs):
    say("$ " + " ".join(str(c) for c in cmd))
    return subprocess.run([str(c) for c in cmd], check=False, **kwargs)


# ---- environment -----------------------------------------------------------


def install_python_packages(with_odoo):
    files = ["requirements.txt", "requirements-test.txt"]
    if with_odoo:
        files.append("requirements-odoo-test.txt")
    args = []
    for name in files:
        args += ["-r", ROOT / name]
    pip = [sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    # the package itself too: Odoo checks the add-on's external dependency by
    # its distribution name (tests still import it from this checkout)
    if run(pip + args).returncode or run(pip + ["--no-deps", ROOT]).returncode:
        raise SystemExit("pip could not install the test requirements")


# Debian packages the Odoo suite needs, by the command that shows they are there
ODOO_DEBIAN_PACKAGES = {
    "chromium": "chromium",  # Odoo's HttpCase browser tests (crm's tours)
    "wkhtmltopdf": "wkhtmltopdf",  # QWeb PDF reports
}


def apt_install(packages):
    if not shutil.which("apt-get"):
        say(f"no apt-get: cannot install {', '.join(packages)}")
        return
    say(f"installing Debian packages: {', '.join(packages)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(["apt-get", "update", "-qq"], env=env)
    run(["apt-get", "install", "-y", "-qq", *packages], env=env)


def install_debian_packages():
    missing = [
        pkg for cmd, pkg in ODOO_DEBIAN_PACKAGES.items() if not shutil.which(cmd)
    ]
    if missing:
        apt_install(missing)


def odoo_version():
    probe = run(
        [sys.executable, "-c", "import odoo.release as r; print(r.version_info[0])"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return probe.stdout.strip() if probe.returncode == 0 else ""


def odoo_root():
    import odoo  # only importable on machines with Odoo

    return Path(odoo.__file__).resolve().parent


def test_env():
    env = dict(os.environ)
    # the exchange package is imported from this checkout, not from site-packages
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT), env.get("PYTHONPATH")])
    )
    return env


# ---- PostgreSQL ------------------------------------------------------------


@dataclass
class Database:
    host: str
    port: int
    user: str
    password: str


def connect(db):
    import psycopg2  # an Odoo requirement

    return psycopg2.connect(
        host=db.host,
        port=db.port,
        user=db.user,
        password=db.password,
        dbname="postgres",
        connect_timeout=5,
    )


def can_connect(db):
    import psycopg2

    try:
        connect(db).close()
    except psycopg2.OperationalError:
        return False
    return True


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_bin_dir(install):
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found and install:
        apt_install(["postgresql"])
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise SystemExit("no PostgreSQL server binaries (initdb) found")
    return Path(found[-1]).parent


@contextlib.contextmanager
def postgres(install):
    """Yield a reachable server: the configured one, or our own on loopback."""
    wanted = Database(
        os.environ.get("ODOO_DB_HOST", "127.0.0.1"),
        int(os.environ.get("ODOO_DB_PORT", "5432")),
        os.environ.get("ODOO_DB_USER", "odoo"),
        os.environ.get("ODOO_DB_PASSWORD", "odoo"),
    )
    if can_connect(wanted):
        say(f"using PostgreSQL at {wanted.host}:{wanted.port} as {wanted.user}")
        yield wanted
        return
    bindir = postgres_bin_dir(install)
    workdir = Path(tempfile.mkdtemp(prefix="sme-crm-pg-"))
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_postgres:
        shutil.chown(workdir, "postgres")
    datadir = workdir / "data"
    port = free_port()
    # the superuser is named odoo: Odoo refuses to connect as 'postgres'
    run(
        as_postgres
        + [
            bindir / "initdb",
            "-D",
            datadir,
            "-U",
            "odoo",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ],
        stdout=subprocess.DEVNULL,
    )
    # durability is not needed for a throw-away test cluster: trade it for speed
    options = (
        f"-h 127.0.0.1 -p {port} -k {workdir} -c fsync=off -c synchronous_commit=off"
        " -c full_page_writes=off -c max_connections=200"
    )
    started = run(
        as_postgres
        + [
            bindir / "pg_ctl",
            "-D",
            datadir,
            "-o",
            options,
            "-l",
            workdir / "server.log",
            "-w",
            "start",
        ]
    )
    if started.returncode:
        raise SystemExit("could not start a PostgreSQL server for the tests")
    say(f"started our own PostgreSQL on 127.0.0.1:{port}")
    try:
        yield Database("127.0.0.1", port, "odoo", "odoo")
    finally:
        run(
            as_postgres
            + [bindir / "pg_ctl", "-D", datadir, "-m", "fast", "-w", "stop"],
            stdout=subprocess.DEVNULL,
        )
        shutil.rmtree(workdir, ignore_errors=True)
        say("stopped our PostgreSQL")


# ---- Odoo --------------------------------------------------------------------


class Odoo:
    """Runs Odoo commands against one server with one configuration file."""

    def __init__(self, db, workdir):
        self.db = db
        self.workdir = workdir
        self.config = workdir / "odoo.conf"
        self.logs = []
        root = odoo_root()
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

    def cli(self, stage, *args):
        cmd = [
            sys.executable,
            "-m",
            "odoo",
            "-c",
            self.config,
            f"--logfile={self.logfile(stage)}",
            *args,
        ]
        return run(cmd, env=test_env()).returncode == 0

    def shell(self, stage, dbname, code):
        cmd = [
            sys.executable,
            "-m",
            "odoo",
            "shell",
            "-c",
            self.config,
            "-d",
            dbname,
            f"--logfile={self.logfile(stage)}",
            "--no-http",
        ]
        return run(cmd, input=code, text=True, env=test_env()).returncode == 0

    def pytest(self, stage, dbname, paths, junit):
        cmd = [
            sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
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
        conn = connect(self.db)
        conn.autocommit = True
        with conn.cursor() as cr:
            cr.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
        conn.close()
        filestore = self.workdir / "data" / "filestore"
        if (filestore / source).is_dir():
            shutil.copytree(filestore / source, filestore / target)

    def drop(self, dbname):
        conn = connect(self.db)
        conn.autocommit = True
        with conn.cursor() as cr:
            cr.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        conn.close()


def junit_counts(path, part):
    """Count tests from a JUnit report; a test's subtests count once with it."""
    if not path.exists():
        part.failed += 1
        part.notes.append("pytest wrote no report")
        return
    outcomes = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        key = (case.get("classname"), case.get("name"))
        if case.find("failure") is not None or case.find("error") is not None:
            outcomes[key] = "failed"
        elif case.find("skipped") is not None:
            outcomes.setdefault(key, "skipped")
        elif outcomes.get(key) != "failed":
            outcomes[key] = "passed"
    results = list(outcomes.values())
    part.passed += results.count("passed")
    part.failed += results.count("failed")
    part.skipped += results.count("skipped")


def load_allowlist():
    patterns = []
    for raw in ALLOWLIST.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        pattern, _, reason = line.partition(" ## ")
        if not reason.strip():
            raise SystemExit(
                f"{ALLOWLIST.name}: every entry needs ' ## reason': {line}"
            )
        patterns.append(re.compile(pattern.strip()))
    return patterns


def log_problems(logs):
    allowed = load_allowlist()
    problems = []
    for log in logs:
        if not log.exists():
            continue
        for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
            if LOG_PROBLEM.search(line) and not any(p.search(line) for p in allowed):
                problems.append(f"{log.name}: {line}")
    return problems


def stage(part, ok, what):
    if not ok:
        part.failed += 1
        part.notes.append(f"FAILED: {what}")
    return ok


UNINSTALL_SCRIPT = """
modules = env["ir.module.module"].search([("name", "in", {addons!r})])
modules.button_immediate_uninstall()
env.cr.commit()  # the shell rolls back otherwise
left = modules.filtered(lambda m: m.state != "uninstalled")
assert not left, left.mapped("name")
"""


def test_with_demo(part, odoo, dbname):
    """Install the add-ons with demo data, then run their tests and, on a
    copy of that database at the same time, crm's."""
    installed = odoo.cli(
        "install_demo", "-d", dbname, "-i", ",".join(ADDONS),
        "--stop-after-init", "--no-http",
    )  # fmt: skip
    if not stage(part, installed, "install with demo data"):
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


def crm_copy(dbname):
    return f"{dbname}_crm"


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


def check_logs(part, odoo):
    problems = log_problems(odoo.logs)
    if problems:
        part.notes.append(
            f"log check: {len(problems)} unexpected line(s), logs in {odoo.workdir}"
        )
        part.notes.extend("  " + p for p in problems[:40])
    stage(part, not problems, "log check")


def odoo_suite(part, install):
    workdir = ROOT / ".test-run" / f"odoo-{os.getpid()}"
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    demo_db, bare_db = f"smecrm_demo_{os.getpid()}", f"smecrm_bare_{os.getpid()}"
    with postgres(install) as db:
        odoo = Odoo(db, workdir)
        try:
            # two databases at once: the bare install does not wait for the tests
            with ThreadPoolExecutor() as pool:
                bare = pool.submit(install_and_uninstall_bare, odoo, bare_db)
                test_with_demo(part, odoo, demo_db)
                failed_step = bare.result()
            stage(part, not failed_step, failed_step)
        finally:
            for name in (demo_db, crm_copy(demo_db), bare_db):
                odoo.drop(name)
    check_logs(part, odoo)


# ---- main --------------------------------------------------------------------


def pure_suite(part):
    junit = ROOT / ".test-run" / "pure.xml"
    junit.parent.mkdir(exist_ok=True)
    run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:odoo",
            "-p",
            "no:cacheprovider",
            "-q",
            f"--junitxml={junit}",
            ROOT / "tests",
        ],
        env=test_env(),
        cwd=ROOT,
    )
    junit_counts(junit, part)


def timed(part, func, *args):
    start = time.monotonic()
    part.ran = True
    try:
        func(part, *args)
    finally:
        part.seconds = time.monotonic() - start


def main():
    install = os.environ.get("SKIP_INSTALL") != "1"
    version = odoo_version()
    with_odoo = version == "18"
    if install:
        install_python_packages(with_odoo)
        if with_odoo:
            install_debian_packages()
    pure = Part("pure-Python tests (onec_exchange)")
    odoo = Part("Odoo suite (add-ons + crm, install/uninstall, log check)")
    timed(pure, pure_suite)
    if with_odoo:
        timed(odoo, odoo_suite, install)
    else:
        odoo.why_not = (
            f"python3 ({sys.executable}) imports Odoo {version}, not 18"
            if version
            else f"python3 ({sys.executable}) cannot import Odoo 18"
        )
    print("\n========== summary ==========")
    for part in (pure, odoo):
        if part.ran:
            counts = (
                f"{part.passed} passed, {part.failed} failed, {part.skipped} skipped"
            )
            print(f"RAN     {part.name}: {counts} in {part.seconds:.0f} s")
        else:
            print(f"NOT RUN {part.name}: {part.why_not}")
        for note in part.notes:
            print(f"        {note}")
    passed, failed = pure.passed + odoo.passed, pure.failed + odoo.failed
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
