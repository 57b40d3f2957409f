"""The PostgreSQL server of the Odoo suite: the configured one when it
answers, else a throwaway cluster of our own on loopback."""

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

try:
    import psycopg2  # an Odoo requirement: there when the Odoo suite runs
except ImportError:
    psycopg2 = None

from .installs import apt_install
from .shell import free_port, run, say


@dataclass
class Database:
    host: str
    port: int
    user: str
    password: str

    def connect(self):
        return psycopg2.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password,
            dbname="postgres",
            connect_timeout=5,
        )

    def can_connect(self):
        try:
            self.connect().close()
        except psycopg2.OperationalError:
            return False
        return True

    def execute(self, sql):
        """Run one statement outside a transaction (CREATE/DROP DATABASE)."""
        conn = self.connect()
        conn.autocommit = True
        try:
            with conn.cursor() as cr:
                cr.execute(sql)
        finally:
            conn.close()


def configured_database():
    return Database(
        os.environ.get("ODOO_DB_HOST", "127.0.0.1"),
        int(os.environ.get("ODOO_DB_PORT", "5432")),
        os.environ.get("ODOO_DB_USER", "odoo"),
        os.environ.get("ODOO_DB_PASSWORD", "odoo"),
    )


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
    wanted = configured_database()
    if wanted.can_connect():
        say(f"using PostgreSQL at {wanted.host}:{wanted.port} as {wanted.user}")
        yield wanted
        return
    with throwaway_cluster(postgres_bin_dir(install)) as own:
        yield own


@contextlib.contextmanager
def throwaway_cluster(bindir):
    workdir = Path(tempfile.mkdtemp(prefix="sme-crm-pg-"))
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_postgres:
        shutil.chown(workdir, "postgres")
    datadir = workdir / "data"
    port = free_port()
    # the superuser is named odoo: Odoo refuses to connect as 'postgres'
    run(
        [*as_postgres, bindir / "initdb", "-D", datadir, "-U", "odoo",
         "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    # durability is not needed for a throw-away test cluster: trade it for speed
    options = (
        f"-h 127.0.0.1 -p {port} -k {workdir} -c fsync=off -c synchronous_commit=off"
        " -c full_page_writes=off -c max_connections=200"
    )
    pg_ctl = [*as_postgres, bindir / "pg_ctl", "-D", datadir]
    started = run([*pg_ctl, "-o", options, "-l", workdir / "server.log", "-w", "start"])
    if started.returncode:
        raise SystemExit("could not start a PostgreSQL server for the tests")
    say(f"started our own PostgreSQL on 127.0.0.1:{port}")
    try:
        yield Database("127.0.0.1", port, "odoo", "odoo")
    finally:
        run([*pg_ctl, "-m", "fast", "-w", "stop"], stdout=subprocess.DEVNULL)
        shutil.rmtree(workdir, ignore_errors=True)
        say("stopped our PostgreSQL")
