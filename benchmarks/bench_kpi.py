#!/usr/bin/env python3
# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""Benchmark of the crm_sme_kpi reports on a big CRM history.

Usage (on a database where crm_sme_kpi is installed, without demo data)::

    python3 benchmarks/bench_kpi.py -c odoo.conf -d kpi_bench

1. Generates (once; ``--skip-generate`` reuses them) 50 salespeople in 5 teams,
   200,000 leads over 24 months, 2,000,000 done activities (70 % calls, 10 %
   meetings, 20 % emails) and 50,000 calendar meetings, with SQL
   ``INSERT ... SELECT generate_series``.
2. Times, in one run, the refresh of the stored figures (the materialized
   view ``crm_sme_kpi_report``, ``_refresh_figures``: the price paid hourly and
   at each anomaly run for fast reports), the dashboard's main query —
   salesperson x month over the last 12 months, through the ORM
   (``_read_group`` on ``crm.sme.kpi.report``) — and the same grouping by a
   hand-written SQL query over the base tables; then the "salesperson vs team
   median" rows of one month and the anomaly run
   (``crm.kpi.flag._evaluate_flags``, which reads its month live from the
   base tables, not the stored figures).
Each timing is the best of ``--repeat`` runs after a warm-up, all printed.
"""

import argparse
import time
from datetime import date

from dateutil.relativedelta import relativedelta

import odoo
from odoo.modules.registry import Registry

SALESPEOPLE = 50
TEAMS = 5

HAND_WRITTEN_SQL = """
WITH sp AS (
    SELECT u.id, u.partner_id,
           (SELECT crm_team_id FROM crm_team_member m
             WHERE m.user_id = u.id AND m.active ORDER BY create_date, id LIMIT 1)
               AS team_id
      FROM res_users u
), facts AS (
    SELECT l.user_id, date_trunc('month', l.date_open) AS month,
           1 AS leads, (s.is_won OR cp.sme_customer_state = 'client')::int AS conv,
           0 AS calls, 0 AS meetings, 0 AS won, 0.0 AS revenue
      FROM crm_lead l
      LEFT JOIN crm_stage s ON s.id = l.stage_id
      LEFT JOIN res_partner p ON p.id = l.partner_id
      LEFT JOIN res_partner cp ON cp.id = p.commercial_partner_id
     WHERE l.user_id IS NOT NULL AND l.date_open >= %(start)s
    UNION ALL
    SELECT l.user_id, date_trunc('month', l.date_closed), 0, 0, 0, 0, 1,
           l.expected_revenue
      FROM crm_lead l JOIN crm_stage s ON s.id = l.stage_id
     WHERE s.is_won AND l.active AND l.user_id IS NOT NULL
       AND l.date_closed >= %(start)s
    UNION ALL
    SELECT sp.id, date_trunc('month', m.date), 0, 0,
           (t.category = 'phonecall')::int, (t.category = 'meeting')::int, 0, 0.0
      FROM mail_message m
      JOIN mail_activity_type t ON t.id = m.mail_activity_type_id
      JOIN sp ON sp.partner_id = m.author_id
     WHERE m.mail_activity_type_id IS NOT NULL AND m.date >= %(start)s
       AND m.model IN ('crm.lead', 'res.partner')
       AND t.category IN ('phonecall', 'meeting')
    UNION ALL
    SELECT e.user_id, date_trunc('month', e.start), 0, 0, 0, 1, 0, 0.0
      FROM calendar_event e
     WHERE e.active AND e.start >= %(start)s AND e.start < NOW()
       AND (e.opportunity_id IS NOT NULL OR e.res_model IN ('crm.lead', 'res.partner'))
)
SELECT user_id, month, SUM(leads), SUM(conv), SUM(calls), SUM(meetings), SUM(won),
       SUM(revenue)
  FROM facts GROUP BY user_id, month
"""


def generate(env, leads, activities, meetings):
    cr = env.cr
    company = env.company
    users = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            [
                {
                    "name": f"Bench Seller {i:02d}",
                    "login": f"bench_seller_{i:02d}",
                    "groups_id": [
                        (6, 0, env.ref("sales_team.group_sale_salesman").ids)
                    ],
                }
                for i in range(SALESPEOPLE)
            ]
        )
    )
    per_team = SALESPEOPLE // TEAMS
    for t in range(TEAMS):
        env["crm.team"].create(
            {
                "name": f"Bench Team {t}",
                "crm_team_member_ids": [
                    (0, 0, {"user_id": u.id})
                    for u in users[t * per_team : (t + 1) * per_team]
                ],
            }
        )
    env.flush_all()
    won = env["crm.stage"].search([("is_won", "=", True)], limit=1)
    other = env["crm.stage"].search([("is_won", "=", False)], limit=1)
    types = {
        c: env["mail.activity.type"].search([("category", "=", c)], limit=1).id
        for c in ("phonecall", "meeting")
    }
    email = env.ref("mail.mail_activity_data_email").id
    cr.execute("CREATE TEMP TABLE bench_users AS SELECT id, partner_id, "
               "row_number() OVER (ORDER BY id) - 1 AS n FROM res_users "
               "WHERE id IN %s", [tuple(users.ids)])  # fmt: skip
    t0 = time.time()
    # one customer company per 10 leads; a third of them clients
    cr.execute(
        """
        INSERT INTO res_partner (name, is_company, active, type, sme_customer_state,
                                 company_id, create_date, write_date)
        SELECT 'Bench customer ' || g, TRUE, TRUE, 'contact',
               CASE WHEN g %% 3 = 0 THEN 'client' ELSE 'lead' END, NULL,
               NOW(), NOW()
          FROM generate_series(1, %(n)s) g;
        UPDATE res_partner SET commercial_partner_id = id
         WHERE commercial_partner_id IS NULL;
        """,
        {"n": leads // 10},
    )
    cr.execute("SELECT MIN(id) FROM res_partner WHERE name = 'Bench customer 1'")
    first_partner = cr.fetchone()[0]
    cr.execute(
        """
        INSERT INTO crm_lead (name, type, user_id, team_id, company_id, stage_id,
                              partner_id, active, probability, expected_revenue,
                              date_open, create_date, write_date, date_closed)
        SELECT 'Bench lead ' || g, 'opportunity', u.id, NULL, %(company)s,
               CASE WHEN g %% 4 = 0 THEN %(won)s ELSE %(other)s END,
               p.id, TRUE, CASE WHEN g %% 4 = 0 THEN 100 ELSE 10 END,
               1000 + g %% 5000, d, d, d,
               CASE WHEN g %% 4 = 0 THEN d + INTERVAL '10 days' END
          FROM generate_series(1, %(n)s) g
          JOIN bench_users u ON u.n = g %% %(sp)s
          JOIN LATERAL (SELECT NOW() AT TIME ZONE 'UTC'
                        - (g %% 720) * INTERVAL '1 day' - INTERVAL '1 hour' AS d) x
            ON TRUE
          JOIN LATERAL (SELECT %(p0)s + (g - 1) / 10 AS id) p ON TRUE
        """,
        {"n": leads, "company": company.id, "won": won.id, "other": other.id,
         "sp": SALESPEOPLE, "p0": first_partner},
    )  # fmt: skip
    cr.execute("SELECT MIN(id), MAX(id) FROM crm_lead WHERE name LIKE 'Bench lead %%'")
    lo, hi = cr.fetchone()
    cr.execute(
        """
        INSERT INTO mail_message (model, res_id, message_type, subtype_id,
                                  mail_activity_type_id, author_id, date, body,
                                  create_date, write_date)
        SELECT 'crm.lead', l.id, 'notification', %(subtype)s,
               CASE WHEN g %% 10 < 7 THEN %(call)s
                    WHEN g %% 10 = 7 THEN %(meeting)s ELSE %(email)s END,
               u.partner_id, l.date_open + (g %% 48) * INTERVAL '1 hour', 'done',
               NOW(), NOW()
          FROM generate_series(1, %(n)s) g
          JOIN crm_lead l ON l.id = %(lo)s + g %% (%(hi)s - %(lo)s + 1)
          JOIN bench_users u ON u.id = l.user_id
        """,
        {"n": activities, "subtype": env.ref("mail.mt_activities").id,
         "call": types["phonecall"], "meeting": types["meeting"], "email": email,
         "lo": lo, "hi": hi},
    )  # fmt: skip
    cr.execute(
        """
        INSERT INTO calendar_event (name, start, stop, user_id, opportunity_id,
                                    res_model, res_id, active, show_as, privacy,
                                    create_date, write_date)
        SELECT 'Bench meeting', l.date_open + INTERVAL '1 day',
               l.date_open + INTERVAL '25 hours', l.user_id, l.id, 'crm.lead',
               l.id, TRUE, 'busy', 'public', NOW(), NOW()
          FROM generate_series(1, %(n)s) g
          JOIN crm_lead l ON l.id = %(lo)s + (g * 4) %% (%(hi)s - %(lo)s + 1)
        """,
        {"n": meetings, "lo": lo, "hi": hi},
    )  # fmt: skip
    cr.execute("ANALYZE")
    print(f"generated in {time.time() - t0:.1f} s")


def best_of(repeat, func, label):
    func()  # warm-up
    timings = []
    for _i in range(repeat):
        t0 = time.perf_counter()
        result = func()
        timings.append(time.perf_counter() - t0)
    print(f"{label}: " + ", ".join(f"{t * 1000:.0f}" for t in timings) + " ms")
    return min(timings), result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--leads", type=int, default=200_000)
    parser.add_argument("--activities", type=int, default=2_000_000)
    parser.add_argument("--meetings", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-generate", action="store_true")
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
    registry = Registry(args.database)
    if not args.skip_generate:
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            generate(env, args.leads, args.activities, args.meetings)
    start = date.today().replace(day=1) - relativedelta(months=12)
    last_month = date.today().replace(day=1) - relativedelta(months=1)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        report = env["crm.sme.kpi.report"]

        def orm():
            env.invalidate_all()
            return report._read_group(
                [("date", ">=", start)],
                ["user_id", "date:month"],
                ["leads_received:sum", "leads_converted:sum", "calls:sum",
                 "meetings:sum", "won_count:sum", "won_revenue:sum"],
            )  # fmt: skip

        def hand_sql():
            cr.execute(HAND_WRITTEN_SQL, {"start": start})
            return cr.fetchall()

        def summary():
            env.invalidate_all()
            return env["crm.sme.kpi.summary"].search_read(
                [("period_type", "=", "month"), ("date", "=", last_month)],
                ["user_id", "conversion_rate", "median_conversion_rate"],
            )

        def refresh():
            return report._refresh_figures()

        def anomaly():
            env.cr.execute("SAVEPOINT before_flags")
            created = env["crm.kpi.flag"]._evaluate_flags(last_month)
            env.cr.execute("ROLLBACK TO SAVEPOINT before_flags")
            env.invalidate_all()
            return created

        refresh_s, _at = best_of(args.repeat, refresh, "refresh of the figures")
        orm_s, orm_rows = best_of(args.repeat, orm, "ORM")
        sql_s, sql_rows = best_of(args.repeat, hand_sql, "hand-written SQL")
        sum_s, sum_rows = best_of(args.repeat, summary, "summary")
        flag_s, created = best_of(args.repeat, anomaly, "anomaly run")
        cr.execute("SELECT COUNT(*) FROM crm_lead")
        n_leads = cr.fetchone()[0]
        cr.execute("SELECT COUNT(*) FROM mail_message "
                   "WHERE mail_activity_type_id IS NOT NULL")  # fmt: skip
        n_done = cr.fetchone()[0]
        print(f"data: {n_leads} leads, {n_done} done activities")
        print(f"refresh of the stored figures (CONCURRENTLY): {refresh_s:.2f} s")
        print(f"report salesperson x month (ORM _read_group): {orm_s * 1000:.0f} ms, "
              f"{len(orm_rows)} groups")  # fmt: skip
        print(f"same grouping, hand-written SQL on base tables: "
              f"{sql_s * 1000:.0f} ms, {len(sql_rows)} groups; "
              f"ratio ORM/SQL {orm_s / sql_s:.2f}")  # fmt: skip
        print(f"salesperson vs team median, one month: {sum_s * 1000:.0f} ms, "
              f"{len(sum_rows)} rows")  # fmt: skip
        print(f"anomaly run for {last_month}: {flag_s:.2f} s, {len(created)} flags")
        cr.rollback()


if __name__ == "__main__":
    main()
