#!/usr/bin/env python3
"""Benchmark of accounting_1c_connector against the 1C stand-in.

1. Starts the stand-in in a separate process (as a real 1C would be) with
   20,000 counterparties, 100,000 orders and 100,000 payments (plus the
   shipments the seed makes, about 70 % of the orders).
2. Creates a fresh database ``connector_bench`` with the add-on (no demo).
3. First import: one exchange run of a new connection (counterparties,
   orders, shipments, payments, settlements).
4. Routine run after 50 documents changed in 1C (20 new orders, 15 new
   payments, 15 recent orders edited by an accountant).
   With ``--daily``, then the daily full read (every counterparty and
   document again, documents deleted for good archived).
5. Prints, per run: time, records per second, SQL queries and peak memory
   (resident set size above the level at the start of the run, sampled).
   Drops the database at the end.

Usage (from the repository root)::

    python3 benchmarks/bench_connector.py [--counterparties N] [--orders N]
        [--payments N] [--keep] [--daily]

Environment: ODOO_DB_HOST/PORT/USER/PASSWORD (default 127.0.0.1:5432,
odoo/odoo).
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

import odoo
from odoo.tools import config as odoo_config

ROOT = Path(__file__).resolve().parent.parent
DB = "connector_bench"
USER, PASSWORD = "Администратор", "пароль"
ORDERS = "Document_ЗаказКлиента"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PeakRss:
    """Samples this process's resident set size while a block runs."""

    def __init__(self):
        self.page = os.sysconf("SC_PAGE_SIZE")

    def rss(self):
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * self.page

    def __enter__(self):
        self.start = self.peak = self.rss()
        self.running = True
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def _sample(self):
        while self.running:
            self.peak = max(self.peak, self.rss())
            time.sleep(0.02)

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()
        self.peak = max(self.peak, self.rss())

    @property
    def megabytes(self):
        return (self.peak - self.start) / 2**20


def start_standin(args, port):
    cmd = [
        sys.executable, "-m", "onec_exchange.standin", "--port", str(port),
        "--profile", "ut11", "--seed", "1",
        "--counterparties", str(args.counterparties),
        "--orders", str(args.orders), "--payments", str(args.payments),
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env)
    line = process.stdout.readline()  # printed once the data is seeded
    if not line:
        raise SystemExit("the stand-in did not start")
    return process, json.loads(line)


def write_config(workdir):
    odoo_root = Path(odoo.__file__).resolve().parent
    config = workdir / "odoo.conf"
    config.write_text(
        "[options]\n"
        f"addons_path = {odoo_root.parent / 'addons'},{odoo_root / 'addons'},{ROOT}\n"
        f"data_dir = {workdir / 'data'}\n"
        f"db_host = {os.environ.get('ODOO_DB_HOST', '127.0.0.1')}\n"
        f"db_port = {os.environ.get('ODOO_DB_PORT', '5432')}\n"
        f"db_user = {os.environ.get('ODOO_DB_USER', 'odoo')}\n"
        f"db_password = {os.environ.get('ODOO_DB_PASSWORD', 'odoo')}\n"
        "log_level = warn\nmax_cron_threads = 0\nworkers = 0\n"
    )
    return config


def create_database(config):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run(
        [sys.executable, "-m", "odoo", "-c", str(config), "-d", DB,
         "-i", "accounting_1c_connector", "--without-demo=all",
         "--stop-after-init", "--no-http"],
        check=True, env=env,
    )  # fmt: skip


def drop_database(config):
    odoo.service.db.exp_drop(DB)


def change_documents(standin_url, counterparty_refs):
    """20 new orders, 15 new payments, 15 recent orders edited: 50 in all."""
    session = requests.Session()
    session.auth = (USER.encode(), PASSWORD.encode())
    control = f"{standin_url}_standin/"
    odata = f"{standin_url}odata/standard.odata/"
    recent = session.get(
        f"{odata}{ORDERS}?$format=json&$orderby=Date%20desc&$top=15&$select=Ref_Key",
        timeout=60,
    ).json()["value"]
    for row in recent:
        response = session.patch(
            f"{control}objects/order/{row['Ref_Key']}",
            json={"comment": "изменён бухгалтером"},
            timeout=60,
        )
        response.raise_for_status()
    for number in range(20):
        session.post(
            f"{control}orders",
            json={"counterparty_ref": counterparty_refs[number], "amount": "1000"},
            timeout=60,
        ).raise_for_status()
    for number in range(15):
        session.post(
            f"{control}payments",
            json={"counterparty_ref": counterparty_refs[number], "amount": "500"},
            timeout=60,
        ).raise_for_status()


class OneCClock:
    """Time spent waiting for 1C (the stand-in) inside the adapter."""

    seconds = 0.0

    @classmethod
    def install(cls):
        # odoo.addons holds the add-ons once the configuration is parsed
        from odoo.addons.accounting_1c_connector.components import adapter  # noqa: PLC0415

        def timed_generator(function):
            def wrapper(*args, **kwargs):
                iterator = function(*args, **kwargs)
                while True:
                    start = time.perf_counter()
                    try:
                        page = next(iterator)
                    except StopIteration:
                        return
                    finally:
                        cls.seconds += time.perf_counter() - start
                    yield page

            return wrapper

        def timed(function):
            def wrapper(*args, **kwargs):
                start = time.perf_counter()
                try:
                    return function(*args, **kwargs)
                finally:
                    cls.seconds += time.perf_counter() - start

            return wrapper

        klass = adapter.OneCAdapter
        klass.pages = timed_generator(klass.pages)
        for name in (
            "fetch",
            "settlements",
            "find_counterparty",
            "create_counterparty",
        ):
            setattr(klass, name, timed(getattr(klass, name)))


def measure(label, env, connection):
    env.cr.commit()
    queries = odoo.sql_db.sql_counter
    OneCClock.seconds = 0.0
    start = time.perf_counter()
    with PeakRss() as memory:
        journals = connection._onec_run()
    seconds = time.perf_counter() - start
    queries = odoo.sql_db.sql_counter - queries
    read = sum(journals.mapped("count_read"))
    failed = journals.filtered(lambda j: j.state not in ("done", "partial"))
    print(f"\n== {label}")
    for journal in journals.sorted("id"):
        print(
            f"   {journal.stream:<13} {journal.state:<8} read {journal.count_read:>7}"
            f"  created {journal.count_created:>7}  updated {journal.count_updated:>5}"
            f"  unchanged {journal.count_unchanged:>7}  failed {journal.count_failed}"
        )
    print(
        f"   time {seconds:.2f} s, {read / seconds:,.0f} records/s ({read} read), "
        f"{queries} SQL queries, peak memory +{memory.megabytes:.0f} MiB"
    )
    own = seconds - OneCClock.seconds
    print(
        f"   of which waiting for 1C (stand-in) {OneCClock.seconds:.2f} s; "
        f"connector {own:.2f} s ({read / own:,.0f} records/s)"
    )
    if failed:
        print("   FAILED:", failed.mapped("error"))
    return seconds, read, queries


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counterparties", type=int, default=20000)
    parser.add_argument("--orders", type=int, default=100000)
    parser.add_argument("--payments", type=int, default=100000)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument(
        "--daily", action="store_true", help="also time the daily full read"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    workdir = Path(tempfile.mkdtemp(prefix="connector-bench-"))
    config = write_config(workdir)
    odoo_config.parse_config(["-c", str(config)])
    port = free_port()
    seeding = time.perf_counter()
    standin, info = start_standin(args, port)
    print(f"stand-in seeded in {time.perf_counter() - seeding:.0f} s: {info['odata']}")
    try:
        drop_database(config) if DB in odoo.service.db.list_dbs(True) else None
        create_database(config)
        registry = odoo.modules.registry.Registry(DB)
        OneCClock.install()
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            connection = env["onec.connection"].create(
                {
                    "name": "Benchmark",
                    "code": "bench",
                    "base_url": f"http://127.0.0.1:{port}/",
                    "publication": "trade",
                    "profile": "ut11",
                    "username": USER,
                    "password": PASSWORD,
                    "page_size": 1000,
                    "tz": "UTC",
                }
            )
            first = measure("first import", env, connection)
            refs = env["onec.counterparty"].search([], limit=20).mapped("ref")
            change_documents(info["odata"].split("odata/")[0], refs)
            env.invalidate_all()
            routine = measure("routine run (50 changed documents)", env, connection)
            if args.daily:
                connection.last_full_scan_at = "2000-01-01 00:00:00"
                measure(
                    "daily full read (everything again, deletions)", env, connection
                )
            cr.commit()
        registry.delete(DB)
        print(
            "\nsummary: first import "
            f"{first[1] / first[0]:,.0f} rec/s; routine run {routine[0]:.2f} s, "
            f"{routine[2]} queries"
        )
    finally:
        standin.terminate()
        standin.wait()
        if not args.keep:
            drop_database(config)


if __name__ == "__main__":
    main()
