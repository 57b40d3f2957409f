#!/usr/bin/env python3
# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""Benchmark of the live effectiveness figures on a big CRM history.

Usage: two databases without demo data, one with crm_sme_kpi, one with only
what it depends on (the anchor)::

    python3 -m odoo -c odoo.conf -d bench_kpi -i crm_sme_kpi \\
        --without-demo=all --stop-after-init
    python3 -m odoo -c odoo.conf -d bench_crm -i crm,calendar,contacts \\
        --without-demo=all --stop-after-init
    python3 benchmarks/bench_kpi.py -c odoo.conf --kpi-db bench_kpi \\
        --crm-db bench_crm

1. Generates (once; ``--skip-generate`` reuses them) the same history in both
   databases: 50 salespeople in 5 teams, 200,000 leads over 24 months,
   2,000,000 done activities (70 % calls, 10 % meetings, 20 % emails) and
   50,000 calendar meetings, with SQL ``INSERT ... SELECT generate_series``.
   In the add-on's database its triggers are off meanwhile, then the figures
   are counted by the full rebuild (``crm.sme.kpi.rollup._rebuild``), timed.
2. Reads, timed as the best of ``--repeat`` runs after a warm-up: Odoo's own
   ``crm.activity.report`` grouped by salesperson x month over all history
   (the anchor), the same grouping of ``crm.sme.kpi.report``, one team's month
   of "salesperson vs team median" (``crm.sme.kpi.summary``), the dashboard's
   server call for that team and month (``get_dashboard``) and the anomaly
   run of last month.
3. Writes, each in its own transaction as a user's click is: 1,000 done
   activities (``mail.activity.action_feedback``) and 1,000 lead writes
   (reassigned, won, moved to another stage in turn), the same in both
   databases, one operation in each in turn, after 20 of each untimed: the
   difference per operation is what the live figures cost. Each write reads
   pages of a random lead; to time them as on a server whose working set is
   in memory rather than this machine's disk (whose reads vary from run to
   run), both databases are first loaded into PostgreSQL's buffers where the
   ``pg_prewarm`` extension is installed in them (as a superuser:
   ``CREATE EXTENSION pg_prewarm``) and ``shared_buffers`` holds them (about
   0.7 GB each). The run says which.
4. Checks that the stored figures still equal a full count of the history.
"""

import argparse
import random
import time
from datetime import date

from dateutil.relativedelta import relativedelta

import odoo
from odoo.modules.registry import Registry

SALESPEOPLE = 50
TEAMS = 5
WRITES = 1000
# writes before the timed ones, untimed: the first write of each kind pays
# once per process what the next ones reuse (plans, the registry's caches)
WARM_UP_WRITES = 20
SEED = 20261203


# ---- the history ---------------------------------------------------------------


def create_salespeople(env):
    salesman = env.ref("sales_team.group_sale_salesman")
    users = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            [
                {
                    "name": f"Bench Seller {i:02d}",
                    "login": f"bench_seller_{i:02d}",
                    "groups_id": [(6, 0, salesman.ids)],
                }
                for i in range(SALESPEOPLE)
            ]
        )
    )
    per_team = SALESPEOPLE // TEAMS
    for t in range(TEAMS):
        members = users[t * per_team : (t + 1) * per_team]
        env["crm.team"].create(
            {
                "name": f"Bench Team {t}",
                "crm_team_member_ids": [(0, 0, {"user_id": u.id}) for u in members],
            }
        )
    env.flush_all()
    return users


def has_column(cr, table, column):
    cr.execute(
        "SELECT 1 FROM information_schema.columns"
        " WHERE table_name = %s AND column_name = %s",
        [table, column],
    )
    return bool(cr.fetchone())


def insert_customers(cr, count):
    """One customer company per 10 leads; with the add-on, a third clients."""
    state = has_column(cr, "res_partner", "sme_customer_state")
    cr.execute(
        f"""
        INSERT INTO res_partner (name, is_company, active, type, company_id,
                                 {"sme_customer_state," if state else ""}
                                 create_date, write_date)
        SELECT 'Bench customer ' || g, TRUE, TRUE, 'contact', NULL,
               {"CASE WHEN g %% 3 = 0 THEN 'client' ELSE 'lead' END," if state else ""}
               NOW(), NOW()
          FROM generate_series(1, %(n)s) g;
        UPDATE res_partner SET commercial_partner_id = id
         WHERE commercial_partner_id IS NULL;
        """,
        {"n": count},
    )
    cr.execute("SELECT MIN(id) FROM res_partner WHERE name = 'Bench customer 1'")
    return cr.fetchone()[0]


def insert_leads(env, count, first_partner):
    cr = env.cr
    won = env["crm.stage"].search([("is_won", "=", True)], limit=1)
    other = env["crm.stage"].search([("is_won", "=", False)], limit=1)
    cr.execute(
        """
        INSERT INTO crm_lead (name, type, user_id, team_id, company_id, stage_id,
                              partner_id, active, probability, expected_revenue,
                              date_open, create_date, write_date, date_closed)
        SELECT 'Bench lead ' || g, 'opportunity', u.id, u.team_id, %(company)s,
               CASE WHEN x.won THEN %(won)s ELSE %(other)s END,
               %(p0)s + (g - 1) / 10, TRUE,
               CASE WHEN x.won THEN 100 ELSE 10 END,
               1000 + g %% 5000, x.d, x.d, x.d,
               CASE WHEN x.won THEN x.d + INTERVAL '10 days' END
          FROM generate_series(1, %(n)s) g
          JOIN bench_users u ON u.n = g %% %(sp)s
          -- each salesperson's leads spread over every day, a quarter won
          JOIN LATERAL (SELECT NOW() AT TIME ZONE 'UTC'
                               - (g / %(sp)s %% 720) * INTERVAL '1 day'
                               - INTERVAL '1 hour' AS d,
                               g / %(sp)s %% 4 = 0 AS won) x
            ON TRUE
        """,
        {"n": count, "company": env.company.id, "won": won.id, "other": other.id,
         "sp": SALESPEOPLE, "p0": first_partner},
    )  # fmt: skip
    cr.execute("SELECT MIN(id), MAX(id) FROM crm_lead WHERE name LIKE 'Bench lead %%'")
    return cr.fetchone()


def insert_done_activities(env, count, leads):
    types = {
        c: env["mail.activity.type"].search([("category", "=", c)], limit=1).id
        for c in ("phonecall", "meeting")
    }
    env.cr.execute(
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
        {"n": count, "subtype": env.ref("mail.mt_activities").id,
         "call": types["phonecall"], "meeting": types["meeting"],
         "email": env.ref("mail.mail_activity_data_email").id,
         "lo": leads[0], "hi": leads[1]},
    )  # fmt: skip


def insert_meetings(cr, count, leads):
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
        {"n": count, "lo": leads[0], "hi": leads[1]},
    )


def kpi_triggers(cr):
    """The add-on's triggers, as (table, trigger) pairs."""
    cr.execute(
        r"""
        SELECT c.relname, t.tgname FROM pg_trigger t
          JOIN pg_class c ON c.oid = t.tgrelid
         WHERE t.tgname LIKE 'crm\_sme\_kpi\_%' AND NOT t.tgisinternal
        """
    )
    return cr.fetchall()


def switch_triggers(cr, triggers, on):
    for table, trigger in triggers:
        verb = "ENABLE" if on else "DISABLE"
        cr.execute(f'ALTER TABLE "{table}" {verb} TRIGGER "{trigger}"')


def generate(env, args):
    """The history; returns how long inserting it took (s)."""
    cr = env.cr
    triggers = kpi_triggers(cr)
    switch_triggers(cr, triggers, on=False)
    users = create_salespeople(env)
    cr.execute(
        """
        CREATE TEMP TABLE bench_users AS
        SELECT u.id, u.partner_id, row_number() OVER (ORDER BY u.id) - 1 AS n,
               (SELECT crm_team_id FROM crm_team_member m WHERE m.user_id = u.id
                 ORDER BY m.id LIMIT 1) AS team_id
          FROM res_users u WHERE u.id IN %s
        """,
        [tuple(users.ids)],
    )
    t0 = time.perf_counter()
    first_partner = insert_customers(cr, args.leads // 10)
    leads = insert_leads(env, args.leads, first_partner)
    insert_done_activities(env, args.activities, leads)
    insert_meetings(cr, args.meetings, leads)
    cr.execute("DROP TABLE bench_users")
    switch_triggers(cr, triggers, on=True)
    spent = time.perf_counter() - t0
    cr.commit()
    cr.execute("ANALYZE")
    return spent


# ---- measuring ---------------------------------------------------------------


def best_of(repeat, func):
    """(best time in s, every time in ms, the result) of ``func``."""
    func()  # warm-up
    timings = []
    for _i in range(repeat):
        t0 = time.perf_counter()
        result = func()
        timings.append(time.perf_counter() - t0)
    return min(timings), [round(t * 1000) for t in timings], result


def write_operations(env, count=WRITES, seed=SEED):
    """The same ``count`` done activities and ``count`` lead writes (on deals
    not won yet) in any database with the same history: ``(kind, function of
    env)`` pairs."""
    rng = random.Random(seed)
    bench = [("name", "=like", "Bench lead %")]
    leads = env["crm.lead"].search(bench, order="id").ids
    open_leads = (
        env["crm.lead"]
        .search([*bench, ("stage_id.is_won", "=", False)], order="id")
        .ids
    )
    stages = env["crm.stage"].search([("is_won", "=", False)], order="sequence").ids
    won = env["crm.stage"].search([("is_won", "=", True)], limit=1).id
    sellers = env["res.users"].search([("login", "=like", "bench_seller_%")]).ids
    call = env["mail.activity.type"].search([("category", "=", "phonecall")], limit=1)

    def done_activity(index):
        def run(env):
            lead = env["crm.lead"].browse(leads[index])
            seller = lead.user_id
            activity = (
                env["mail.activity"]
                .with_user(seller)
                .create(
                    {
                        "res_model_id": env["ir.model"]._get_id("crm.lead"),
                        "res_id": lead.id,
                        "activity_type_id": call.id,
                        "user_id": seller.id,
                    }
                )
            )
            activity.action_feedback(feedback="Called")

        return run

    def lead_write(index, step):
        """A real change each time: another salesperson, won, another stage."""

        def run(env):
            lead = env["crm.lead"].browse(open_leads[index])
            if step % 3 == 0:
                others = [s for s in sellers if s != lead.user_id.id]
                lead.write({"user_id": others[step % len(others)]})
            elif step % 3 == 1:
                lead.write({"stage_id": won})
            else:
                others = [s for s in stages if s != lead.stage_id.id]
                lead.write({"stage_id": others[step % len(others)]})

        return run

    activities = [("done activity", done_activity(rng.randrange(len(leads))))
                  for _i in range(count)]  # fmt: skip
    writes = [("lead write", lead_write(rng.randrange(len(open_leads)), step))
              for step in range(count)]  # fmt: skip
    return activities + writes


def load_into_buffers(registry):
    """Load the database's tables and indexes into PostgreSQL's buffers with
    pg_prewarm, if installed: the line that says what was done."""
    with registry.cursor() as cr:
        cr.execute(
            """SELECT current_setting('shared_buffers'),
                      pg_size_pretty(pg_database_size(current_database())),
                      EXISTS (SELECT 1 FROM pg_extension
                               WHERE extname = 'pg_prewarm')"""
        )
        buffers, size, installed = cr.fetchone()
        if not installed:
            return f"{registry.db_name} ({size}): not warmed up, no pg_prewarm"
        cr.execute(
            """SELECT SUM(pg_prewarm(c.oid)) FROM pg_class c
                WHERE c.relnamespace = 'public'::regnamespace
                  AND c.relkind IN ('r', 'i', 'm')"""
        )
        pages = int(cr.fetchone()[0])
    return f"{registry.db_name} ({size}): {pages} pages, shared_buffers {buffers}"


def run_in_turn(operations, cursors):
    """Run the operations (per database, the same list), each in its own
    transaction, operation by operation in all databases in turn (the order
    alternating), so that the machine's load weighs on all alike: the
    seconds spent per kind, per database."""
    envs = [environment(cr) for cr in cursors]
    spent = [{} for _env in envs]
    for env in envs:
        env.invalidate_all()
    for index in range(len(operations[0])):
        order = list(range(len(envs)))
        for db in order if index % 2 == 0 else order[::-1]:
            kind, run = operations[db][index]
            t0 = time.perf_counter()
            run(envs[db])
            cursors[db].commit()  # what a user's click costs includes the commit
            spent[db][kind] = spent[db].get(kind, 0.0) + time.perf_counter() - t0
            envs[db].invalidate_all()
    return spent


def time_writes(registries):
    """Milliseconds per operation of each kind, for each database, after a
    few untimed ones."""
    cursors = [registry.cursor() for registry in registries]
    try:
        untimed = [
            write_operations(environment(cr), WARM_UP_WRITES, SEED + 1)
            for cr in cursors
        ]
        run_in_turn(untimed, cursors)
        timed = [write_operations(environment(cr)) for cr in cursors]
        spent = run_in_turn(timed, cursors)
    finally:
        for cr in cursors:
            cr.close()
    return [{kind: total * 1000 / WRITES for kind, total in s.items()} for s in spent]


def anchor_read(env):
    def read():
        env.invalidate_all()
        return env["crm.activity.report"]._read_group(
            [], ["user_id", "date:month"], ["__count"]
        )

    return read


def our_read(env):
    def read():
        env.invalidate_all()
        return env["crm.sme.kpi.report"]._read_group(
            [],
            ["user_id", "date:month"],
            ["leads_received:sum", "leads_converted:sum", "calls:sum",
             "meetings:sum", "won_count:sum", "won_revenue:sum"],
        )  # fmt: skip

    return read


def team_month_read(env, month):
    team = env["crm.team"].search([("name", "=", "Bench Team 0")], limit=1)

    def read():
        env.invalidate_all()
        return env["crm.sme.kpi.summary"].search_read(
            [("period_type", "=", "month"), ("date", "=", month),
             ("team_id", "=", team.id)],
            ["user_id", "conversion_rate", "median_conversion_rate",
             "meetings_per_won", "median_meetings_per_won"],
        )  # fmt: skip

    return read


def dashboard_call(env, month):
    """The dashboard's one server call for a team and month."""
    team = env["crm.team"].search([("name", "=", "Bench Team 0")], limit=1)

    def call():
        env.invalidate_all()
        return env["crm.sme.kpi.dashboard"].get_dashboard(team.id, "month", month)

    return call


def anomaly_run(env, month):
    def run():
        env.cr.execute("SAVEPOINT before_flags")
        created = env["crm.kpi.flag"]._evaluate_flags(month)
        env.cr.execute("ROLLBACK TO SAVEPOINT before_flags")
        env.invalidate_all()
        return created

    return run


def history_size(cr):
    cr.execute(
        """SELECT (SELECT COUNT(*) FROM crm_lead),
                  (SELECT COUNT(*) FROM mail_message
                    WHERE mail_activity_type_id IS NOT NULL),
                  (SELECT COUNT(*) FROM calendar_event)"""
    )
    return cr.fetchone()


# ---- the run -------------------------------------------------------------------


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("--kpi-db", required=True, help="with crm_sme_kpi")
    parser.add_argument("--crm-db", required=True, help="without it (the anchor)")
    parser.add_argument("--leads", type=int, default=200_000)
    parser.add_argument("--activities", type=int, default=2_000_000)
    parser.add_argument("--meetings", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-generate", action="store_true")
    parser.add_argument("--skip-writes", action="store_true")
    return parser.parse_args()


def say(line):
    print(line, flush=True)


def environment(cr):
    return odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})


def main():
    args = parse_args()
    odoo.tools.config.parse_config(["-c", args.config])
    kpi, crm = Registry(args.kpi_db), Registry(args.crm_db)
    if not args.skip_generate:
        for name, registry in (("crm only", crm), ("crm_sme_kpi", kpi)):
            with registry.cursor() as cr:
                spent = generate(environment(cr), args)
            say(f"history inserted ({name}): {spent:.1f} s")
        with kpi.cursor() as cr:
            t0 = time.perf_counter()
            rows = environment(cr)["crm.sme.kpi.rollup"]._rebuild()
            say(
                f"full rebuild of the figures: {time.perf_counter() - t0:.2f} s,"
                f" {rows} salesperson-days"
            )
    month = date.today().replace(day=1) - relativedelta(months=1)
    with crm.cursor() as crm_cr, kpi.cursor() as kpi_cr:
        crm_env, kpi_env = environment(crm_cr), environment(kpi_cr)
        leads, done, meetings = history_size(kpi_cr)
        say(f"history: {leads} leads, {done} done activities, "
                     f"{meetings} calendar events in each database")  # fmt: skip
        anchor_s, anchor_ms, anchor_rows = best_of(args.repeat, anchor_read(crm_env))
        ours_s, ours_ms, ours_rows = best_of(args.repeat, our_read(kpi_env))
        team_s, team_ms, team_rows = best_of(
            args.repeat, team_month_read(kpi_env, month)
        )
        board_s, board_ms, _board = best_of(args.repeat, dashboard_call(kpi_env, month))
        flag_s, flag_ms, flags = best_of(args.repeat, anomaly_run(kpi_env, month))
        say(
            f"salesperson x month, all history — Odoo's crm.activity.report "
            f"(anchor): {anchor_s * 1000:.0f} ms {anchor_ms}, "
            f"{len(anchor_rows)} groups"
        )
        say(
            f"salesperson x month, all history — crm.sme.kpi.report: "
            f"{ours_s * 1000:.1f} ms {ours_ms}, {len(ours_rows)} groups; "
            f"1/{anchor_s / ours_s:.0f} of the anchor (target: <= 1/15, < 100 ms)"
        )
        say(
            f"one team's month, salesperson vs team median: {team_s * 1000:.1f} ms "
            f"{team_ms}, {len(team_rows)} rows (target: < 50 ms)"
        )
        say(
            f"the dashboard's server call, one team's month: "
            f"{board_s * 1000:.1f} ms {board_ms} (target: < 100 ms)"
        )
        say(f"anomaly run for {month}: {flag_s * 1000:.0f} ms {flag_ms}, "
            f"{len(flags)} flags")  # fmt: skip
    if not args.skip_writes:
        for registry in (crm, kpi):
            say(f"before the writes: {load_into_buffers(registry)}")
        anchor_ops, our_ops = time_writes([crm, kpi])
        for kind, anchor_op in anchor_ops.items():
            say(
                f"{kind}, {WRITES} in their own transactions: crm only "
                f"{anchor_op:.2f} ms/op, crm_sme_kpi {our_ops[kind]:.2f} ms/op, "
                f"+{our_ops[kind] - anchor_op:.2f} ms/op (target: <= +3 ms)"
            )
        with kpi.cursor() as cr:
            rollup = environment(cr)["crm.sme.kpi.rollup"]
            stored, counted = rollup._stored_and_counted()
            say(
                f"after the writes: {len(stored)} stored salesperson-days, "
                f"{len(set(stored) ^ set(counted))} differ from a full count"
            )


if __name__ == "__main__":
    main()
