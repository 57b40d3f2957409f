# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""The connection: where and how to reach one 1C infobase, and what to exchange.

Credentials are readable by administrators only; the password may instead
come from the server configuration file (``onec_password_<code>``), so it
never enters the database. Running the exchange is delegated to
:class:`~odoo.addons.accounting_1c_connector.components.runner.ExchangeRunner`.
"""

import logging
import os
from datetime import timedelta

from odoo import _, api, fields, models, modules, tools
from odoo.exceptions import UserError
from odoo.tools import config

from odoo.addons.base.models.res_partner import _tz_get

from onec_exchange import errors as onec_errors
from onec_exchange.profiles import load_profile

from ..components.adapter import OneCAdapter
from ..components.runner import ExchangeRunner

_logger = logging.getLogger(__name__)

PROTOCOLS = [("odata", "OData standard interface"), ("soap", "SOAP web service")]
PROFILES = [
    ("ut11", "UT 11 / KA 2"),
    ("bp30", "BP 3.0"),
    ("unf", "UNF"),
    ("custom", "Custom profile file"),
]
DEMO_URL_VARIABLE = "SME_ONEC_DEMO_URL"


class OnecConnection(models.Model):
    _name = "onec.connection"
    _description = "1C Connection"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "sequence, name"

    # ---- fields ------------------------------------------------------------------

    name = fields.Char(required=True, tracking=True)
    code = fields.Char(
        required=True,
        help="Short technical name; the server configuration file may hold the "
        "password as onec_password_<code>.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    protocol = fields.Selection(PROTOCOLS, required=True, default="odata")
    base_url = fields.Char(
        string="Web Server URL",
        required=True,
        help="The web server that publishes 1C, e.g. https://1c.example.ru/",
    )
    publication = fields.Char(required=True, help="The infobase's publication name.")
    profile = fields.Selection(
        PROFILES, string="1C Configuration", required=True, default="ut11"
    )
    profile_path = fields.Char(
        string="Profile File",
        groups="base.group_system",
        help="Path of a consultant's copy of a profile (JSON) on the server.",
    )
    soap_alias = fields.Char(string="SOAP Service Alias", default="CRMExchange")
    username = fields.Char(groups="base.group_system")
    password = fields.Char(groups="base.group_system", copy=False)
    timeout = fields.Integer(
        string="Timeout (s)", default=120, help="Bound of every request to 1C."
    )
    page_size = fields.Integer(default=500)
    tz = fields.Selection(
        _tz_get,
        string="1C Time Zone",
        default="Europe/Moscow",
        help="1C dates carry no time zone: they are the 1C server's local time.",
    )
    stream_settlements = fields.Boolean(string="Settlements", default=True)
    stream_orders = fields.Boolean(string="Orders", default=True)
    stream_shipments = fields.Boolean(string="Shipments", default=True)
    stream_payments = fields.Boolean(string="Payments", default=True)
    export_clients = fields.Boolean(string="Export New Clients", default=True)
    interval_minutes = fields.Integer(string="Interval (min)", default=5)
    overlap_minutes = fields.Integer(
        string="Overlap (min)",
        default=24 * 60,
        help="Each run re-reads documents dated this much before the last one "
        "stored (documents entered back-dated); unchanged ones are skipped.",
    )
    full_scan_hours = fields.Integer(
        string="Full Read Every (h)",
        default=24,
        help="Counterparties and old documents (changed or deleted long after "
        "their date) are read in full this often. 0: only the first time.",
    )
    settlements_full_minutes = fields.Integer(
        string="All Balances Every (min)",
        default=60,
        help="In between, a run reads only the balances of customers whose "
        "orders, shipments or payments changed; reading all of them also "
        "catches balances moved by other 1C documents (returns, debt "
        "adjustments). 0: all balances at every run.",
    )
    retry_delay_minutes = fields.Integer(
        string="First Retry After (min)",
        default=5,
        help="A record that could not be stored, or a client that could not be "
        "created in 1C, is tried again after this delay, then after twice as "
        "long at each failed try.",
    )
    retry_max_delay_minutes = fields.Integer(
        string="Longest Retry Delay (min)", default=24 * 60
    )
    retry_max_tries = fields.Integer(
        string="Tries Before a Person Decides",
        default=10,
        help="After this many failed tries the record waits for a person, who "
        "may try it again. 0: try forever.",
    )
    alert_hours = fields.Integer(string="Alert After (h)", default=2)
    responsible_id = fields.Many2one("res.users", default=lambda self: self.env.user)
    dry_run = fields.Boolean(
        string="Test Mode",
        help="Read and map everything, write nothing: for the integration's "
        "test period. Compare with the reconciliation report.",
    )
    last_run_at = fields.Datetime(readonly=True)
    last_success_at = fields.Datetime(readonly=True)
    last_full_scan_at = fields.Datetime(readonly=True)
    settlements_as_of = fields.Datetime(readonly=True)
    settlements_full_at = fields.Datetime(string="All Balances Read At", readonly=True)
    cursor_ids = fields.One2many("onec.sync.state", "connection_id")
    journal_ids = fields.One2many("onec.exchange.run", "connection_id")
    failure_count = fields.Integer(compute="_compute_failure_count")

    _sql_constraints = [
        ("code_uniq", "unique(code)", "The code of a 1C connection must be unique.")
    ]

    def _compute_failure_count(self):
        counts = dict(
            self.env["onec.exchange.failure"]._read_group(
                [("connection_id", "in", self.ids), ("state", "=", "open")],
                ["connection_id"],
                ["__count"],
            )
        )
        for connection in self:
            connection.failure_count = counts.get(connection, 0)

    # ---- actions -------------------------------------------------------------------

    def action_test_connection(self):
        """Button: say exactly what is wrong, or that all is well."""
        self.ensure_one()
        try:
            adapter = self._onec_adapter()
            try:
                info = adapter.check_connection()
            finally:
                adapter.close()
        except onec_errors.OneCError as error:
            raise UserError(self._onec_explain(error)) from error
        return self._onec_notify(
            _("Connection works"),
            _(
                "1C answers at %(url)s (%(protocol)s, profile %(profile)s).",
                url=info.get("url", self.base_url),
                protocol=self.protocol,
                profile=info.get("profile", self.profile),
            ),
            "success",
        )

    def action_run_now(self):
        self.ensure_one()
        return self._onec_action_run(dry_run=self.dry_run)

    def action_dry_run(self):
        self.ensure_one()
        return self._onec_action_run(dry_run=True)

    def action_open_reconciliation(self):
        self.ensure_one()
        wizard = self.env["onec.reconciliation"].create({"connection_id": self.id})
        return {
            "type": "ir.actions.act_window",
            "res_model": "onec.reconciliation",
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_open_failures(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "accounting_1c_connector.onec_exchange_failure_action"
        )
        action["domain"] = [("connection_id", "=", self.id)]
        return action

    def _onec_action_run(self, dry_run):
        journals = self._onec_run(dry_run=dry_run)
        if any(j.state == "skipped" for j in journals):
            return self._onec_notify(
                _("Exchange skipped"),
                _("Another exchange of this connection is running."),
                "warning",
            )
        failed = journals.filtered(lambda j: j.state in ("failed", "partial"))
        message = _(
            "%(streams)s stream(s) run, %(failed)s with errors: see the journal.",
            streams=len(journals),
            failed=len(failed),
        )
        return self._onec_notify(
            _("Test run finished") if dry_run else _("Exchange finished"),
            message,
            "warning" if failed else "success",
        )

    def _onec_notify(self, title, message, kind):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"title": title, "message": message, "type": kind},
        }

    # ---- scheduled action ----------------------------------------------------------

    @api.model
    def _cron_run_exchange(self):
        """Run the connections whose interval has passed; alert on silence.

        Only Odoo's scheduler puts ``cron_id`` in the context; a person's
        *Run Manually* on the scheduled action (``method_direct_trigger``),
        or any other caller, runs every active connection now.
        """
        scheduled = bool(self.env.context.get("cron_id"))
        connections = self.sudo().search([])
        if not scheduled:
            _logger.info(
                "1C exchange started by hand: %s connection(s), interval ignored",
                len(connections),
            )
        for connection in connections:
            if scheduled and not connection._onec_run_due():
                _logger.debug(
                    "1C exchange %s: its interval (%s min) has not passed",
                    connection.name,
                    connection.interval_minutes,
                )
            else:
                connection._onec_run(dry_run=connection.dry_run)
            connection._onec_check_alert()

    @api.model
    def _onec_demo_activate(self, connection_ids):
        """Demo data: activate the demo connection when the stand-in's URL is
        given (Docker quick start); nothing connects during the install."""
        if os.environ.get(DEMO_URL_VARIABLE):
            self.browse(connection_ids).with_context(active_test=False).write(
                {"active": True, "base_url": os.environ[DEMO_URL_VARIABLE]}
            )

    # ---- business methods ----------------------------------------------------------

    def _onec_run(self, dry_run=False, adapter=None):
        """Run the exchange of each connection; returns the journal entries."""
        journals = self.env["onec.exchange.run"]
        for connection in self:
            journals |= ExchangeRunner(connection, adapter, dry_run).run()
        return journals

    def _onec_settings(self):
        self.ensure_one()
        record = self.sudo()
        password = config.get(f"onec_password_{record.code}") or record.password or ""
        base_url = record.base_url
        return {
            "protocol": record.protocol,
            "base_url": base_url,
            "publication": record.publication,
            "profile": record._onec_profile_reference(),
            "username": record.username or "",
            "password": password,
            "timeout": float(record.timeout or 120),
            "soap_alias": record.soap_alias,
            "page_size": record.page_size or 500,
        }

    def _onec_profile_reference(self):
        """A shipped profile's name, or the path of a consultant's copy."""
        self.ensure_one()
        record = self.sudo()
        return record.profile_path if record.profile == "custom" else record.profile

    def _onec_profile(self):
        """The connection's profile (names and labels of 1C's objects), or
        None when a consultant's copy cannot be read (the exchange says why)."""
        self.ensure_one()
        return self._onec_load_profile(self._onec_profile_reference() or "")

    @api.model
    @tools.ormcache("reference")
    def _onec_load_profile(self, reference):
        if not reference:
            return None
        try:
            return load_profile(reference)
        except onec_errors.OneCValidationError as error:
            _logger.info("1C profile %s cannot be loaded: %s", reference, error)
            return None

    def _onec_reads_sales(self):
        """Whether the exchange reads the monthly sales: over OData, with a
        profile that names a sales register."""
        self.ensure_one()
        profile = self._onec_profile()
        return bool(self.protocol == "odata" and profile and profile.data.get("sales"))

    def _onec_adapter(self):
        return OneCAdapter.from_settings(self._onec_settings())

    def _onec_no_commit(self):
        """True in tests: the test transaction must stay whole."""
        return bool(
            self.env.context.get("onec_no_commit")
            or config["test_enable"]
            or modules.module.current_test
            or self.env.registry.in_test_mode()
        )

    def _onec_cursor(self, stream):
        """The cursor of ``stream`` (created the first time)."""
        self.ensure_one()
        cursor = self.env["onec.sync.state"].search(
            [("connection_id", "=", self.id), ("stream", "=", stream)], limit=1
        )
        return cursor or cursor.create({"connection_id": self.id, "stream": stream})

    def _onec_run_due(self):
        """Whether the connection's interval has passed since its last run
        (half a minute early, so a 5-minute cron keeps a 5-minute pace)."""
        self.ensure_one()
        last = self.last_run_at
        return not last or last <= fields.Datetime.now() - timedelta(
            minutes=max(self.interval_minutes, 1) - 0.5
        )

    def _onec_all_balances_due(self):
        """Whether the next settlements read takes every balance."""
        self.ensure_one()
        last, minutes = self.settlements_full_at, self.settlements_full_minutes
        return (
            not last
            or minutes <= 0
            or last <= fields.Datetime.now() - timedelta(minutes=minutes)
        )

    def _onec_retry_delay(self, try_count):
        """The retry policy's delay after ``try_count`` failed tries: the
        first delay, doubled at each try, at most the longest delay."""
        self.ensure_one()
        minutes = self.retry_delay_minutes * 2 ** max(try_count - 1, 0)
        return timedelta(minutes=min(minutes, self.retry_max_delay_minutes))

    def _onec_out_of_tries(self, try_count):
        """Whether, after ``try_count`` failed tries, a person decides."""
        self.ensure_one()
        return 0 < self.retry_max_tries <= try_count

    def _onec_unresolved_placeholders(self):
        return bool(
            self.env["onec.counterparty"]
            .with_context(active_test=False)
            .search_count(
                [("connection_id", "=", self.id), ("data_version", "=", "")], limit=1
            )
        )

    def _onec_check_alert(self):
        """An activity for the responsible person after N hours of failures."""
        self.ensure_one()
        if (
            not self.active
            or self.dry_run  # test runs write nothing, not even their success
            or not self.responsible_id
            or not self.alert_hours
        ):
            return
        since = self.last_success_at or self.create_date
        if since > fields.Datetime.now() - timedelta(hours=self.alert_hours):
            return
        activity_type = self.env.ref("mail.mail_activity_data_warning")
        summary = _("1C exchange has not succeeded")
        if self.activity_ids.filtered(lambda a: a.summary == summary):
            return
        self.activity_schedule(
            activity_type_id=activity_type.id,
            summary=summary,
            note=_(
                "No successful exchange with 1C since %(since)s. See the journal.",
                since=since,
            ),
            user_id=self.responsible_id.id,
        )

    def _onec_explain(self, error):
        """A sentence saying what is wrong, in the reader's language: for the
        Test connection button and the journal. 1C's raw answer stays in the
        server log."""
        if isinstance(error, onec_errors.OneCAuthError):
            return self._onec_explain_auth(error)
        publication_errors = (
            onec_errors.OneCPublicationNotFound,
            onec_errors.OneCEntityNotPublished,
            onec_errors.OneCFormatError,
        )
        if isinstance(error, publication_errors):
            return self._onec_explain_publication(error)
        if isinstance(error, onec_errors.OneCConnectionError):
            return _("The 1C web server cannot be reached: %(error)s", error=error)
        if isinstance(error, onec_errors.OneCServerError):
            return _("1C answered with a server error: %(error)s", error=error)
        return _("1C exchange error: %(error)s", error=error)

    def _onec_explain_publication(self, error):
        """What to change in the publication (or the proxy in front of it)."""
        if isinstance(error, onec_errors.OneCPublicationNotFound):
            return _(
                "No 1C publication named '%(publication)s' on this web server: "
                "check the publication name (%(error)s)",
                publication=self.publication,
                error=error,
            )
        if isinstance(error, onec_errors.OneCFormatError):
            return _(
                "1C answered in Atom/XML, not in the JSON the connector asked "
                "for (%(entity)s): a proxy or the web server in front of 1C "
                "drops the $format option or the Accept header. Let both "
                "through unchanged, or publish the OData interface again.",
                entity=error.entity or "$metadata",
            )
        return _(
            "An object the profile needs is not published in 1C's OData "
            "interface: the 1C administrator must tick it in the publication "
            "settings. %(error)s",
            error=error,
        )

    def _onec_explain_auth(self, error):
        if error.http_status == 403:
            return _(
                "The 1C user of this connection lacks the rights to %(entity)s: "
                "the 1C administrator must grant them.",
                entity=error.entity or _("this object"),
            )
        return _(
            "1C rejected the login or password: check the 1C user and password "
            "of this connection."
        )
