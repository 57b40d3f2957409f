#!/usr/bin/env python3
# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""Benchmark of the morning call-list run on a big CRM and 1C history.

Usage: two databases with the connector and no demo data, a small one (a
tenth of the history) and a full one, to show that the run's number of
queries does not grow with the number of customers::

    python3 -m odoo -c odoo.conf -d bench_calls_small \\
        -i accounting_1c_connector --without-demo=all --stop-after-init
    python3 -m odoo -c odoo.conf -d bench_calls \\
        -i accounting_1c_connector --without-demo=all --stop-after-init
    python3 benchmarks/bench_call_list.py -c odoo.conf \\
        --small-db bench_calls_small --db bench_calls

1. Generates in each (once; ``--skip-generate`` reuses them) the KPI
   benchmark's CRM history (``bench_kpi.generate``: 50 salespeople, 200,000
   leads of 20,000 customers, 2,000,000 done activities, 50,000 meetings)
   and the connector benchmark's 1C volumes as the mirrors of one
   connection: 20,000 counterparties bound to those customers, 100,000
   orders, 70,000 shipments and 100,000 payments over the last 15 months,
   and a settlement per customer. About one customer in fifty meets each
   rule (overdue debt, a broken rhythm, falling sales; a new client in 150).
   The small database gets a tenth of everything.
2. Times the morning run (``crm.sme.call.item._build_call_lists``), with
   its SQL queries: the first one (gives every item and its activity), the
   next morning unchanged, and a morning after 1C changed (one customer in
   a hundred paid its overdue debt, as many placed an order).
"""

import argparse
import time
from collections import Counter
from types import SimpleNamespace

from bench_kpi import environment, generate, say

import odoo
from odoo.modules.registry import Registry

CUSTOMERS, ORDERS, SHIPMENTS, PAYMENTS = 20_000, 100_000, 70_000, 100_000
KPI_HISTORY = {"leads": 200_000, "activities": 2_000_000, "meetings": 50_000}


def bench_customers(cr):
    cr.execute(
        "SELECT id FROM res_partner WHERE name LIKE 'Bench customer %%' ORDER BY id"
    )
    return [row[0] for row in cr.fetchall()]


def insert_mirrors(env, scale):
    """The 1C side: a connection and its mirrors, dated over 15 months."""
    cr = env.cr
    connection = env["onec.connection"].create(
        {
            "name": "Bench 1C",
            "code": "bench",
            "base_url": "http://127.0.0.1:9",
            "publication": "trade",
            "profile": "ut11",
            "last_success_at": odoo.fields.Datetime.now(),
        }
    )
    env.flush_all()
    cr.execute(
        """
        CREATE TEMP TABLE bench_cp AS
        SELECT row_number() OVER (ORDER BY id) - 1 AS n, id AS partner_id
          FROM res_partner WHERE name LIKE 'Bench customer %%';
        INSERT INTO onec_counterparty (connection_id, company_id, partner_id, ref,
                                       name, inn, active, create_date, write_date)
        SELECT %(conn)s, %(company)s, partner_id, 'cp-' || n,
               'Bench customer ' || n, '77' || lpad(n::text, 8, '0'), TRUE,
               NOW(), NOW()
          FROM bench_cp;
        CREATE TEMP TABLE bench_map AS
        SELECT b.n, c.id AS counterparty_id, c.partner_id
          FROM bench_cp b JOIN onec_counterparty c ON c.partner_id = b.partner_id;
        """,
        {"conn": connection.id, "company": env.company.id},
    )
    count = int(CUSTOMERS * scale)
    common = {"conn": connection.id, "company": env.company.id, "count": count}
    # orders: five per customer, each customer its own rhythm (20-79 days),
    # one in fifty of them late
    insert_documents(
        cr, "onec_order", int(ORDERS * scale), common,
        days_ago="(20 + m.n %% 60) * ((4 - j %% 5)"
        " + CASE WHEN m.n %% 50 = 2 THEN 3 ELSE 1 END)",
        amount="1000 + g %% 9000",
    )  # fmt: skip
    # shipments in pairs a year apart (the same months), one customer in
    # fifty buying less than a third of what it bought a year before
    insert_documents(
        cr, "onec_shipment", int(SHIPMENTS * scale), common,
        days_ago="15 + m.n %% 60 + j %% 2 * 365 + j / 2 * 120",
        amount="CASE WHEN m.n %% 50 = 3 AND j %% 2 = 0 THEN 300 ELSE 1000 END",
    )  # fmt: skip
    insert_documents(
        cr, "onec_payment", int(PAYMENTS * scale), common,
        days_ago="g * 7 %% 450", amount="1000",
    )  # fmt: skip
    cr.execute(
        """
        INSERT INTO onec_settlement (connection_id, company_id, counterparty_id,
                                     partner_id, counterparty_ref, balance,
                                     overdue, currency_code, create_date,
                                     write_date)
        SELECT %(conn)s, %(company)s, m.counterparty_id, m.partner_id,
               'cp-' || m.n, (m.n %% 1000) * 100.0,
               CASE WHEN m.n %% 50 = 1 THEN 10000 + m.n %% 1000 * 100.0 ELSE 0 END,
               'RUB', NOW(), NOW()
          FROM bench_map m;
        -- the clients became clients over a year ago, but a few of them
        -- two weeks ago and have not ordered since
        UPDATE res_partner p
           SET sme_client_since = NOW() - CASE WHEN m.n %% 150 = 2 THEN 15
                                               ELSE 400 END * INTERVAL '1 day'
          FROM bench_map m
         WHERE p.id = m.partner_id AND p.sme_customer_state = 'client';
        DROP TABLE bench_cp;
        DROP TABLE bench_map;
        """,
        common,
    )
    return connection


def insert_documents(cr, table, total, common, *, days_ago, amount):
    """``total`` posted documents in ``table``: the ``g``-th for the customer
    ``m.n = g % count``, its ``j``-th; ``days_ago`` and ``amount`` are SQL of
    ``g``, ``m.n`` and ``j`` (this script's own, never a user's)."""
    cr.execute(
        f"""
        INSERT INTO {table} (connection_id, company_id, counterparty_id,
                             partner_id, ref, name, date, amount, posted,
                             active, currency_code, create_date, write_date)
        SELECT %(conn)s, %(company)s, m.counterparty_id, m.partner_id,
               '{table}-' || g, 'B' || g,
               NOW() AT TIME ZONE 'UTC' - ({days_ago}) * INTERVAL '1 day',
               {amount}, TRUE, TRUE, 'RUB', NOW(), NOW()
          FROM generate_series(0, %(total)s - 1) g
          JOIN bench_map m ON m.n = g %% %(count)s
          JOIN LATERAL (SELECT g / %(count)s AS j) x ON TRUE
        """,
        dict(common, total=total),
    )


def change_1c(env, scale):
    """What a day of 1C brings: debts paid, new orders."""
    changed = int(CUSTOMERS * scale / 100)
    env.cr.execute(
        """
        UPDATE onec_settlement SET overdue = 0, balance = 0
         WHERE id IN (SELECT id FROM onec_settlement WHERE overdue > 0
                       ORDER BY id LIMIT %(n)s);
        INSERT INTO onec_order (connection_id, company_id, counterparty_id,
                                partner_id, ref, name, date, amount, posted,
                                active, currency_code, create_date, write_date)
        SELECT connection_id, company_id, id, partner_id,
               'new-' || id, 'N' || id, NOW() AT TIME ZONE 'UTC', 5000, TRUE,
               TRUE, 'RUB', NOW(), NOW()
          FROM onec_counterparty ORDER BY id DESC LIMIT %(n)s;
        """,
        {"n": changed},
    )
    env.invalidate_all()
    return changed


def morning_run(env):
    """One list run: seconds, queries, items given per rule, items closed."""
    items = env["crm.sme.call.item"]
    env.invalidate_all()
    queries = env.cr.sql_log_count
    t0 = time.perf_counter()
    given, closed = items._build_call_lists(env.company)
    env.flush_all()
    spent = time.perf_counter() - t0
    return spent, env.cr.sql_log_count - queries, Counter(given.mapped("rule")), closed


def prepare(registry, scale):
    with registry.cursor() as cr:
        env = environment(cr)
        spent = generate(
            env, SimpleNamespace(**{k: int(v * scale) for k, v in KPI_HISTORY.items()})
        )
        t0 = time.perf_counter()
        insert_mirrors(env, scale)
        spent += time.perf_counter() - t0
        env["crm.sme.kpi.rollup"]._rebuild()
        cr.commit()
        cr.execute("ANALYZE")
        say(f"{registry.db_name}: history inserted in {spent:.1f} s")


def forget_lists(env):
    """Start from no list at all (a run of this script before left some)."""
    call_type = env.ref("crm_sme_kpi.mail_activity_type_sme_call")
    env.cr.execute(
        "DELETE FROM mail_activity WHERE activity_type_id = %s;"
        " DELETE FROM crm_sme_call_item;",
        [call_type.id],
    )
    env.cr.commit()


def measure(registry, scale):
    """The three mornings, each committed as the scheduled action's would be."""
    rows = []
    with registry.cursor() as cr:
        env = environment(cr)
        forget_lists(env)
        customers = len(bench_customers(cr))
        for label in ("first run", "next morning, unchanged", "after 1C changes"):
            if label == "after 1C changes":
                change_1c(env, scale)
                cr.commit()
            spent, queries, given, closed = morning_run(env)
            cr.commit()
            rows.append((label, spent, queries, given, len(closed)))
        cr.execute("SELECT COUNT(*) FROM crm_sme_call_item WHERE state = 'open'")
        open_items = cr.fetchone()[0]
    return customers, open_items, rows


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("--small-db", required=True, help="a tenth of the history")
    parser.add_argument("--db", required=True, help="the whole history")
    parser.add_argument("--skip-generate", action="store_true")
    return parser.parse_args()


def main():
    args = parse_args()
    odoo.tools.config.parse_config(["-c", args.config])
    runs = [(Registry(args.small_db), 0.1), (Registry(args.db), 1.0)]
    if not args.skip_generate:
        for registry, scale in runs:
            prepare(registry, scale)
    for registry, scale in runs:
        customers, open_items, rows = measure(registry, scale)
        say(f"{registry.db_name}: {customers} customers, {open_items} items open after")
        for label, spent, queries, given, closed in rows:
            rules = ", ".join(f"{rule} {n}" for rule, n in sorted(given.items()))
            say(
                f"  {label}: {spent:.2f} s, {queries} queries, "
                f"{sum(given.values())} given ({rules or 'none'}), {closed} closed"
                " (target: < 10 s)"
            )


if __name__ == "__main__":
    main()
