#!/usr/bin/env python3
"""Screenshots of the main screens, per role, in English and Russian.

    python3 tools/screenshots.py -c ODOO_CONF -d DATABASE [--out docs/screenshots]

``DATABASE`` is a demo database with both add-ons installed (``python3 -m
odoo -c ODOO_CONF -d DATABASE -i accounting_1c_connector`` makes one). The
script starts a 1C stand-in, points the demo connection at it and runs the
exchange (the demo's own 1C history, its stories and call lists, came with
the install: "Anna customer 10-1" owes for a shipment of ten weeks ago);
it loads Russian, gives the demo users their login as password, starts Odoo
on a free port, logs in as each role and saves ``<role>-<screen>-<lang>.png``
with headless Chromium. It writes to the database: use a demo one.
"""

import argparse
import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime
from pathlib import Path

import websocket

import odoo
from odoo import api

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# the repository is on sys.path only from the line above
from onec_exchange.standin import StandIn  # noqa: E402

LANGS = ("en_US", "ru_RU")
LINKED_CONTACT = "Anna customer 10-1"
ROLES = {
    "manager": "crm_sme_kpi.demo_user_head",
    "salesperson": "crm_sme_kpi.demo_user_anna",
    "consultant": None,  # made by prepare_database
    "administrator": "base.user_admin",
}
CONSULTANT_LOGIN = "sme_kpi_consultant"
WINDOW = (1440, 900)


def action_url(xmlid, suffix=""):
    return f"/odoo/action-{xmlid}{suffix}"


# role -> [(screen name, url path, JavaScript run once the screen is there)]
def screens(ids):
    kpi, onec = "crm_sme_kpi", "accounting_1c_connector"
    contact = f"/odoo/contacts/{ids['contact']}"
    click_tab = (
        "document.querySelector('.o_notebook_headers .nav-link[name=\"{}\"]').click()"
    )
    return {
        "manager": [
            ("dashboard", action_url(f"{kpi}.crm_sme_kpi_dashboard_action"), None),
            (
                "figures-graph",
                action_url(f"{kpi}.crm_sme_kpi_report_action") + "?view_type=graph",
                None,
            ),
            ("team-median", action_url(f"{kpi}.crm_sme_kpi_summary_action"), None),
            ("flags", action_url(f"{kpi}.crm_kpi_flag_action"), None),
            # everyone's items: the list without its default "My Items"
            (
                "call-list",
                action_url(f"{kpi}.crm_sme_call_item_action"),
                "document.querySelector('.o_searchview_facet .o_facet_remove')"
                "?.click()",
            ),
            ("1c-orders", action_url(f"{onec}.onec_order_action"), None),
            ("1c-sales", action_url(f"{onec}.onec_sales_month_action"), None),
        ],
        "salesperson": [
            ("pipeline", "/odoo/crm", None),
            ("call-list", action_url(f"{kpi}.crm_sme_call_item_action"), None),
            (
                "call-item",
                action_url(f"{kpi}.crm_sme_call_item_action", f"/{ids['call_item']}"),
                None,
            ),
            # the chatter under the form: the Call Today activity and its reason
            (
                "contact-call-today",
                contact,
                "document.querySelector('.o-mail-Activity')"
                "?.scrollIntoView({block: 'center'})",
            ),
            ("dashboard", action_url(f"{kpi}.crm_sme_kpi_dashboard_action"), None),
            ("team-median", action_url(f"{kpi}.crm_sme_kpi_summary_action"), None),
            # the tab scrolled down to the sales chart, with the debt above it
            (
                "contact-1c",
                contact,
                click_tab.format("onec")
                + ";setTimeout(() => document.querySelector('.o_onec_sales_chart')"
                "?.scrollIntoView({block: 'end'}), 300)",
            ),
            (
                "deal-1c-orders",
                f"/odoo/crm/{ids['deal']}",
                click_tab.format("onec_orders"),
            ),
        ],
        "consultant": [
            (
                "readiness",
                action_url(
                    f"{kpi}.action_sme_readiness_assessment", f"/{ids['assessment']}"
                ),
                None,
            ),
            (
                "readiness-payback-1c",
                action_url(
                    f"{kpi}.action_sme_readiness_assessment", f"/{ids['assessment']}"
                ),
                click_tab.format("payback")
                + ";setTimeout(() => document.querySelector('.o_onec_fill_revenue')"
                "?.click(), 300)",
            ),
        ],
        "administrator": [
            (
                "1c-connection",
                action_url(f"{onec}.onec_connection_action", f"/{ids['connection']}"),
                None,
            ),
            ("1c-journal", action_url(f"{onec}.onec_exchange_run_action"), None),
            # the CRM settings scrolled to the call lists' thresholds
            (
                "crm-settings-call-lists",
                "/odoo/settings#crm",
                "setTimeout(() => document.querySelector('#sme_call_list_setting')"
                "?.scrollIntoView({block: 'start'}), 500)",
            ),
        ],
    }


# ---- the database ------------------------------------------------------------------


def prepare_database(conf, db, standin):
    """Demo data the screens show; returns the logins and record ids."""
    odoo.tools.config.parse_config(["-c", conf, "-d", db])
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        env["res.lang"]._activate_lang("ru_RU")
        env["ir.module.module"].search(
            [("state", "=", "installed")]
        )._update_translations(["ru_RU"])
        logins = {role: env.ref(xmlid) for role, xmlid in ROLES.items() if xmlid}
        logins["consultant"] = consultant(env)
        for user in logins.values():
            user.password = user.login
        connection = point_demo_connection(env, standin)
        cr.commit()  # the exchange below commits per stream on its own
        connection._onec_run()
        contact = env["res.partner"].search([("name", "=", LINKED_CONTACT)], limit=1)
        deal = env["crm.lead"].search(
            [("partner_id", "=", contact.id), ("onec_order_ids", "!=", False)], limit=1
        ) or env["crm.lead"].search([("partner_id", "=", contact.id)], limit=1)
        ids = {
            "contact": contact.id,
            "deal": deal.id,
            "connection": connection.id,
            "assessment": env["sme.readiness.assessment"].search([], limit=1).id,
            "call_item": env["crm.sme.call.item"]
            .search([("partner_id", "=", contact.id), ("state", "=", "open")], limit=1)
            .id,
        }
        cr.commit()
        return {role: user.login for role, user in logins.items()}, ids, registry


def consultant(env):
    user = env["res.users"].search([("login", "=", CONSULTANT_LOGIN)])
    return user or env["res.users"].create(
        {
            "name": "Olga Consultant",
            "login": CONSULTANT_LOGIN,
            "groups_id": [
                (4, env.ref("sales_team.group_sale_salesman").id),
                (4, env.ref("crm_sme_kpi.group_sme_readiness_consultant").id),
            ],
        }
    )


def point_demo_connection(env, standin):
    connection = env.ref("accounting_1c_connector.onec_connection_demo").with_context(
        active_test=False
    )
    connection.write(
        {
            "active": True,
            "base_url": standin.host_url,
            "publication": standin.publication,
        }
    )
    return connection


def set_language(registry, logins, lang):
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        env["res.users"].search([("login", "in", list(logins.values()))]).lang = lang


# ---- Odoo and Chromium -----------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url, seconds=90):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} does not answer after {seconds} s")


def start_odoo(conf, db, port):
    cmd = [sys.executable, "-m", "odoo", "-c", conf, "-d", db, "--db-filter", f"^{db}$",
           "--http-port", str(port), "--max-cron-threads", "0"]  # fmt: skip
    env = dict(
        os.environ, PYTHONPATH=f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"
    )
    odoo = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL)
    wait_for_http(f"http://127.0.0.1:{port}/web/login")
    return odoo


def session_id(base, db, login):
    body = json.dumps(
        {"jsonrpc": "2.0", "params": {"db": db, "login": login, "password": login}}
    ).encode()
    request = urllib.request.Request(
        f"{base}/web/session/authenticate", body, {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as answer:
        if json.load(answer).get("error"):
            raise RuntimeError(f"{login} cannot log in")
        cookie = answer.headers["Set-Cookie"]
    return cookie.split("session_id=")[1].split(";")[0]


class Chromium:
    """Headless Chromium driven over the DevTools protocol."""

    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="sme-shots-")
        port = free_port()
        self.process = subprocess.Popen(
            [
                shutil.which("chromium") or "chromium",
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                f"--remote-debugging-port={port}",
                f"--user-data-dir={self.profile}",
                f"--window-size={WINDOW[0]},{WINDOW[1]}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_http(f"http://127.0.0.1:{port}/json/version", 30)
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/json", timeout=10
        ) as answer:
            page = next(t for t in json.load(answer) if t["type"] == "page")
        # no Origin header: newer Chromium refuses DevTools clients that send one
        # it was not started to allow
        self.ws = websocket.create_connection(
            page["webSocketDebuggerUrl"], timeout=60, suppress_origin=True
        )
        self.next_id = 0
        width, height = WINDOW
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(
            json.dumps({"id": self.next_id, "method": method, "params": params})
        )
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.call(
            "Runtime.evaluate", expression=expression, returnByValue=True
        )
        return result.get("result", {}).get("value")

    def open(self, url, cookie, then=None):
        self.call("Network.enable")
        self.call("Network.setCookie", name="session_id", value=cookie, url=url)
        self.call("Page.navigate", url=url)
        self.wait_until_ready(url)
        if then:
            self.evaluate(then)
            time.sleep(0.5)
            self.wait_until_ready(url)

    def wait_until_ready(self, url, seconds=60):
        ready = """(() => {
            const screen = document.querySelector('.o_action_manager > .o_action');
            return !!(screen && screen.querySelector('.o_content, .o_form_view')
                && !document.querySelector('.o_blockUI, .o_loading_indicator')
                && !document.querySelector('.o_error_dialog'));
        })()"""
        deadline = time.time() + seconds
        while time.time() < deadline:
            if self.evaluate(ready):
                time.sleep(1.5)  # charts animate, fonts settle
                return
            time.sleep(0.3)
        raise RuntimeError(f"{url}: the screen did not load in {seconds} s")

    def save(self, path):
        shot = self.call("Page.captureScreenshot", format="png")
        path.write_bytes(base64.b64decode(shot["data"]))

    def close(self):
        self.ws.close()
        self.process.terminate()
        self.process.wait(30)
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("-d", "--database", required=True, help="a demo database")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    # the year up to today: the card's chart shows the last twelve months
    month = datetime.now().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    standin = StandIn(
        profile="ut11",
        counterparties=12,
        orders=40,
        seed=7,
        start=month.replace(year=month.year - 1),
    )
    standin.start()
    logins, ids, registry = prepare_database(args.config, args.database, standin)
    browser = Chromium()
    try:
        for lang in LANGS:
            # a server per language: a running one keeps the users' language cached
            set_language(registry, logins, lang)
            port = free_port()
            odoo = start_odoo(args.config, args.database, port)
            try:
                shoot_screens(
                    browser,
                    f"http://127.0.0.1:{port}",
                    args,
                    lang,
                    logins=logins,
                    ids=ids,
                )
            finally:
                odoo.terminate()
                odoo.wait(30)
    finally:
        browser.close()
        standin.stop()


def shoot_screens(browser, base, args, lang, *, logins, ids):
    out = Path(args.out)
    for role, role_screens in screens(ids).items():
        cookie = session_id(base, args.database, logins[role])
        for name, path, then in role_screens:
            target = out / f"{role}-{name}-{lang[:2]}.png"
            browser.open(base + path, cookie, then)
            browser.save(target)
            print(target)


if __name__ == "__main__":
    main()
