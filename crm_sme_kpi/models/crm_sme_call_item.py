# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""Whom to call today: the salesperson's daily call list.

Each rule finds the customers (or leads) that need a call and says why; the
list run turns them into *items*, at most one open per rule and customer (or
lead), each with an activity of the "Call" type due today for the customer's
salesperson, so the list shows where a salesperson already works: the
activity menu, the contact, the pipeline.

* Marking the activity done works the item (``done``), the same day or not.
* An item whose reason has gone by the next run (debt paid, order arrived,
  the lead contacted) closes by itself (``resolved``) and its activity goes.
* Deleting the activity dismisses the item.
* A worked or dismissed item is not given again for the company's *repeat
  days*, whatever its rule still says.

Rules are methods returning *candidates* (plain dicts, see
``_call_candidates``); this module has the CRM's own rule (a lead left
without its first contact), other modules add theirs (the 1C connector: debt,
ordering rhythm, turnover, new clients); ``_last_contacts`` tells them when
a customer was last called or met. An item stores its rule and figures,
never a sentence: its reason is written when read, in the reader's language.
"""

import logging

import pytz

from odoo import _, api, fields, models
from odoo.tools import SQL, format_date

from ..lead_contacts import LEAD_CONTACTS

_logger = logging.getLogger(__name__)

CALL_RULES = [("no_first_contact", "Lead without first contact")]
ITEM_STATES = [
    ("open", "To Call"),
    ("done", "Called"),
    ("resolved", "Reason Gone"),
    ("dismissed", "Dismissed"),
]
# the item's identity: one open item per key
KEY_FIELDS = ("rule", "company_id", "partner_id", "lead_id")


def local_tz(user):
    """The salesperson's time zone, else their company's, else UTC (the
    figures' rule)."""
    return pytz.timezone(user.tz or user.company_id.partner_id.tz or "UTC")


def local_date(user, moment):
    """The salesperson's day of a UTC ``moment``."""
    return pytz.utc.localize(moment).astimezone(local_tz(user)).date()


def company_now(company, moment):
    """A UTC ``moment`` in the company's time zone (its address's, else UTC):
    its lists are built from its morning hour, once a day of its own."""
    return pytz.utc.localize(moment).astimezone(
        pytz.timezone(company.partner_id.tz or "UTC")
    )


class CrmSmeCallItem(models.Model):
    _name = "crm.sme.call.item"
    _description = "Call List Item"
    _order = "date desc, id desc"

    name = fields.Char(compute="_compute_texts")
    reason = fields.Text(
        compute="_compute_texts", help="Why this customer is on the call list."
    )
    rule = fields.Selection(CALL_RULES, required=True, readonly=True, index=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    lead_id = fields.Many2one(
        "crm.lead", string="Lead", readonly=True, index=True, ondelete="cascade"
    )
    user_id = fields.Many2one(
        "res.users", string="Salesperson", required=True, readonly=True, index=True
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    date = fields.Date(
        string="Given On",
        required=True,
        readonly=True,
        index=True,
        help="The salesperson's day the item was put on their list.",
    )
    state = fields.Selection(
        ITEM_STATES, default="open", required=True, readonly=True, index=True
    )
    closed_at = fields.Datetime(string="Closed At", readonly=True)
    worked_same_day = fields.Boolean(
        string="Called the Same Day",
        readonly=True,
        help="The call was logged on the day the item was given.",
    )
    activity_id = fields.Many2one(
        "mail.activity", readonly=True, index="btree_not_null", ondelete="set null"
    )
    figures = fields.Json(readonly=True, help="What the rule found (its sentence).")

    def init(self):
        # at most one open item per key: the run relies on it
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS crm_sme_call_item_open_uniq
                ON crm_sme_call_item (rule, company_id, COALESCE(partner_id, 0),
                                      COALESCE(lead_id, 0))
             WHERE state = 'open'
            """
        )

    # ---- computes ------------------------------------------------------------

    @api.depends_context("lang")
    @api.depends("rule", "figures", "lead_id.name", "partner_id.name")
    def _compute_texts(self):
        call = self.env.ref("crm_sme_kpi.mail_activity_type_sme_call").name
        for item in self:
            subject = item.lead_id.name or item.partner_id.name or ""
            item.name = f"{call}: {subject}"
            item.reason = item._reason() if item.rule else False

    def _reason(self):
        """The sentence that says why: ``_reason_<rule>`` in the reader's
        language, its figures formatted for that language."""
        self.ensure_one()
        return getattr(self, f"_reason_{self.rule}")(self.figures or {})

    def _reason_no_first_contact(self, figures):
        return _(
            "Lead received on %(date)s, nobody has contacted it yet: the first "
            "contact was due within %(hours)s hours.",
            date=self._format_date(figures.get("date_open")),
            hours=figures.get("hours"),
        )

    def _format_date(self, text):
        return format_date(self.env, fields.Date.to_date(text)) if text else ""

    def _days_since(self, text):
        """Whole days from the date ``text`` (ISO) to today."""
        day = fields.Date.to_date(text)
        return (fields.Date.context_today(self) - day).days if day else 0

    # ---- the list run --------------------------------------------------------

    @api.model
    def _cron_build_call_lists(self):
        """Hourly: build the lists of each company whose morning hour has come
        (its own time zone) and whose list of today is not built yet."""
        now = fields.Datetime.now()
        due = self.env["res.company"]
        for company in self.env["res.company"].sudo().search([]):
            local = company_now(company, now)
            last = company.sme_call_list_date
            if local.hour >= company.sme_call_list_hour and (
                not last or last < local.date()
            ):
                due |= company
        if due:
            self._build_call_lists(due)
        return True

    @api.model
    def action_build_call_lists(self):
        """Button: build today's lists of the user's companies now."""
        self.check_access("write")
        self._build_call_lists(self.env.companies)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _("The call lists are up to date."),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    @api.model
    def _build_call_lists(self, companies):
        """Give, keep or close the items of ``companies`` from what the rules
        find now. The number of queries does not grow with the customers.

        :return: ``(given, closed)`` items
        """
        # the run writes for every salesperson; no e-mail per activity given
        calls = self.sudo().with_context(mail_activity_quick_update=True)
        now = fields.Datetime.now()
        wanted = calls._wanted(companies, now)
        items = calls.search_fetch(
            [("state", "=", "open"), ("company_id", "in", companies.ids)],
            [*KEY_FIELDS, "user_id", "figures", "activity_id"],
        )
        by_key = {item._key(): item for item in items}
        closed = items.filtered(lambda item: item._key() not in wanted)
        closed._close("resolved", now)
        calls._refresh(by_key, wanted)
        resting = calls._resting_keys(companies, now)
        given = calls._give(
            [
                c
                for key, c in wanted.items()
                if key not in by_key and key not in resting
            ],
            now,
        )
        for company in companies.sudo():
            company.sme_call_list_date = company_now(company, now).date()
        _logger.info(
            "Call lists of %s: %d given, %d closed, %d kept",
            companies.mapped("name"),
            len(given),
            len(closed),
            len(by_key) - len(closed),
        )
        return given, closed

    @api.model
    def _wanted(self, companies, now):
        """The candidates of every rule with a salesperson, by key."""
        candidates = self._call_candidates(companies, now)
        self._assign_salespeople([c for c in candidates if not c.get("user_id")])
        return {
            tuple(c.get(f) or False for f in KEY_FIELDS): c
            for c in candidates
            if c.get("user_id")
        }

    @api.model
    def _call_candidates(self, companies, now):
        """Who needs a call now, as dicts: ``rule``, ``company_id``,
        ``partner_id`` (the commercial partner) or ``lead_id`` (or both),
        ``user_id`` when the rule knows it (else the customer's salesperson),
        ``figures`` (JSON: what the rule's sentence names; dates, not day
        counts, so that an unchanged reason does not change every day).

        Override to add rules: ``super()`` plus yours.
        """
        return self._no_first_contact_candidates(companies, now)

    @api.model
    def _no_first_contact_candidates(self, companies, now):
        """Open leads received within the company's window and left past its
        first-contact deadline without any done activity (the figures'
        "contacted late, still missing")."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT l.id, l.user_id, c.id, cp.id, l.date_open,
                       c.sme_kpi_first_contact_hours
                  FROM crm_lead l
                  JOIN res_users u ON u.id = l.user_id AND u.active
                  JOIN res_company c ON c.id = COALESCE(l.company_id, u.company_id)
                  LEFT JOIN crm_stage s ON s.id = l.stage_id
                  LEFT JOIN res_partner p ON p.id = l.partner_id
                  LEFT JOIN res_partner cp ON cp.id = p.commercial_partner_id
                 WHERE l.active AND NOT COALESCE(s.is_won, FALSE)
                   AND c.id = ANY(%(companies)s)
                   AND l.date_open >= %(now)s
                       - make_interval(days => c.sme_call_lead_days)
                   AND l.date_open < %(now)s
                       - make_interval(hours => c.sme_kpi_first_contact_hours)
                   AND NOT EXISTS (SELECT 1 %(contacts)s)
                """,
                companies=companies.ids,
                now=now,
                contacts=LEAD_CONTACTS,
            )
        )
        return [
            {
                "rule": "no_first_contact",
                "lead_id": lead_id,
                "user_id": user_id,
                "company_id": company_id,
                "partner_id": partner_id,
                "figures": {
                    "date_open": fields.Date.to_string(opened.date()),
                    "hours": hours,
                },
            }
            for lead_id, user_id, company_id, partner_id, opened, hours in (
                self.env.cr.fetchall()
            )
        ]

    @api.model
    def _last_contacts(self, partner_ids, now):
        """``{customer id: when}`` of the latest call or meeting with each of
        the commercial partners ``partner_ids``: a done activity of a call or
        meeting type on a contact of the customer or on a lead of theirs, or
        a meeting already started with one of their contacts among its
        attendees or on one of their leads."""
        if not partner_ids:
            return {}
        self.env.cr.execute(
            SQL(
                """
                WITH family AS (
                    SELECT id, commercial_partner_id AS customer
                      FROM res_partner
                     WHERE commercial_partner_id = ANY(%(partners)s)
                ), leads AS (
                    SELECT l.id, f.customer
                      FROM crm_lead l
                      JOIN family f ON f.id = l.partner_id
                ), contacts AS (
                    SELECT f.customer, m.date
                      FROM mail_message m
                      JOIN family f ON m.model = 'res.partner' AND m.res_id = f.id
                      JOIN mail_activity_type t ON t.id = m.mail_activity_type_id
                     WHERE t.category IN ('phonecall', 'meeting')
                    UNION ALL
                    SELECT l.customer, m.date
                      FROM mail_message m
                      JOIN leads l ON m.model = 'crm.lead' AND m.res_id = l.id
                      JOIN mail_activity_type t ON t.id = m.mail_activity_type_id
                     WHERE t.category IN ('phonecall', 'meeting')
                    UNION ALL
                    SELECT f.customer, e.start
                      FROM calendar_event e
                      JOIN calendar_event_res_partner_rel a
                        ON a.calendar_event_id = e.id
                      JOIN family f ON f.id = a.res_partner_id
                     WHERE e.active AND e.start <= %(now)s
                    UNION ALL
                    SELECT l.customer, e.start
                      FROM calendar_event e
                      JOIN leads l ON l.id = e.opportunity_id
                     WHERE e.active AND e.start <= %(now)s
                )
                SELECT customer, MAX(date) FROM contacts GROUP BY customer
                """,
                partners=list(partner_ids),
                now=now,
            )
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _assign_salespeople(self, candidates):
        """The customer's salesperson (an active internal user), else the
        salesperson of its latest deal; candidates without either stay
        unassigned (and are not given)."""
        partner_ids = list({c["partner_id"] for c in candidates})
        if not partner_ids:
            return
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT cp.id, COALESCE(own.id, (
                           SELECT l.user_id
                             FROM crm_lead l
                             JOIN res_partner p ON p.id = l.partner_id
                             JOIN res_users u ON u.id = l.user_id
                                             AND u.active AND NOT u.share
                            WHERE p.commercial_partner_id = cp.id
                            ORDER BY l.create_date DESC, l.id DESC
                            LIMIT 1))
                  FROM res_partner cp
                  LEFT JOIN res_users own ON own.id = cp.user_id
                                         AND own.active AND NOT own.share
                 WHERE cp.id = ANY(%s)
                """,
                partner_ids,
            )
        )
        salesperson = dict(self.env.cr.fetchall())
        for candidate in candidates:
            candidate["user_id"] = salesperson.get(candidate["partner_id"])

    def _key(self):
        return (
            self.rule,
            self.company_id.id,
            self.partner_id.id or False,
            self.lead_id.id or False,
        )

    @api.model
    def _resting_keys(self, companies, now):
        """Keys worked or dismissed within the company's repeat days: not
        given again yet."""
        self.env.cr.execute(
            SQL(
                """
                SELECT i.rule, i.company_id, COALESCE(i.partner_id, 0),
                       COALESCE(i.lead_id, 0)
                  FROM crm_sme_call_item i
                  JOIN res_company c ON c.id = i.company_id
                 WHERE i.state IN ('done', 'dismissed')
                   AND i.company_id = ANY(%s)
                   AND i.closed_at > %s - make_interval(days => c.sme_call_repeat_days)
                """,
                companies.ids,
                now,
            )
        )
        return {
            (rule, company, partner or False, lead or False)
            for rule, company, partner, lead in self.env.cr.fetchall()
        }

    def _refresh(self, by_key, wanted):
        """Kept items follow their reason: new figures, another salesperson."""
        for key, item in by_key.items():
            candidate = wanted.get(key)
            if not candidate:
                continue
            if candidate["user_id"] != item.user_id.id:
                item.user_id = candidate["user_id"]
                item.activity_id.user_id = candidate["user_id"]
            if candidate["figures"] != item.figures:
                item.figures = candidate["figures"]
                item.activity_id.note = item._activity_note()

    def _give(self, candidates, now):
        """New items, each with its activity due today for its salesperson:
        the activities first, from drafts of the items, so that each item
        is inserted with its activity (two batches, whatever their number)."""
        if not candidates:
            return self.browse()
        users = self.env["res.users"].browse({c["user_id"] for c in candidates})
        today = {user.id: local_date(user, now) for user in users}
        vals_list = [
            {
                **{f: c.get(f) or False for f in KEY_FIELDS},
                "user_id": c["user_id"],
                "figures": c["figures"],
                "date": today[c["user_id"]],
            }
            for c in candidates
        ]
        drafts = [self.new(vals) for vals in vals_list]
        # the activities name their record: read the names at once
        self.env["res.partner"].browse(
            {vals["partner_id"] for vals in vals_list if not vals["lead_id"]} - {False}
        ).mapped("display_name")
        self.env["crm.lead"].browse(
            {vals["lead_id"] for vals in vals_list} - {False}
        ).mapped("display_name")
        call_type = self.env.ref("crm_sme_kpi.mail_activity_type_sme_call")
        activities = self.env["mail.activity"].create(
            [draft._activity_values(call_type) for draft in drafts]
        )
        return self.create(
            [
                dict(vals, activity_id=activity.id)
                for vals, activity in zip(vals_list, activities, strict=True)
            ]
        )

    def _activity_values(self, call_type):
        """The item's activity of ``call_type``: on the lead for a lead rule,
        else on the customer; its text in the salesperson's language."""
        self.ensure_one()
        record = self.lead_id or self.partner_id
        return {
            "activity_type_id": call_type.id,
            "res_model_id": self.env["ir.model"]._get_id(record._name),
            "res_id": record.id,
            "user_id": self.user_id.id,
            "date_deadline": self.date,
            "summary": self._in_user_lang()._rule_label(),
            "note": self._activity_note(),
            "sme_call_listed": True,
        }

    def _in_user_lang(self):
        return self.with_context(lang=self.user_id.lang or self.env.lang)

    def _rule_label(self):
        return dict(self._fields["rule"]._description_selection(self.env))[self.rule]

    def _activity_note(self):
        return self._in_user_lang()._reason()

    def _close(self, state, now):
        """Close open items and their activities (``resolved``: the reason is
        gone; ``dismissed``: the activity was deleted)."""
        items = self.filtered(lambda item: item.state == "open")
        if not items:
            return
        items.write({"state": state, "closed_at": now})
        items.activity_id.exists().unlink()

    def _mark_worked(self, now):
        """The salesperson logged the call: the item is done, and worked the
        same day when it is still the day it was given for them."""
        for item in self.filtered(lambda item: item.state == "open"):
            item.write(
                {
                    "state": "done",
                    "closed_at": now,
                    "worked_same_day": local_date(item.user_id, now) == item.date,
                }
            )

    # ---- the dashboard -------------------------------------------------------

    @api.model
    def _worked_counts(self, users, date_from, date_to):
        """``{user id: (given, worked the same day)}`` of the items given on
        ``date_from`` <= day < ``date_to``."""
        groups = self.sudo()._read_group(
            [
                ("user_id", "in", users.ids),
                ("date", ">=", date_from),
                ("date", "<", date_to),
                ("company_id", "in", self.env.companies.ids),
            ],
            ["user_id", "worked_same_day"],
            ["__count"],
        )
        counts = {}
        for user, worked, count in groups:
            given, same_day = counts.get(user.id, (0, 0))
            counts[user.id] = (given + count, same_day + (count if worked else 0))
        return counts
