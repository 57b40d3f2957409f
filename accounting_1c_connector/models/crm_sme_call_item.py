# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""The call list's rules read from the 1C mirrors.

* ``overdue_no_contact``: overdue debt above the company's amount and no call
  or meeting logged with the customer lately;
* ``broken_rhythm``: a regular customer whose last order is late by their own
  rhythm (the median interval between their orders of the year);
* ``falling_turnover``: the sales of the last three complete months well below
  the same months a year before;
* ``new_client_waiting``: a client in 1C that has placed no order since it
  became a client.

The company of a 1C figure is its connection's. Only posted documents not
marked for deletion count. An archived connection's figures count as long as
they are kept, as the customer card shows them: archiving stops the exchange,
not what the CRM knows of 1C. Every rule is one query for all companies and
customers, at most one candidate per customer and company.
"""

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.tools import SQL, format_amount, format_date, formatLang

ONEC_CALL_RULES = [
    ("overdue_no_contact", "Overdue debt, no recent contact"),
    ("broken_rhythm", "Ordering rhythm broken"),
    ("falling_turnover", "Falling sales in 1C"),
    ("new_client_waiting", "New client without an order"),
]
# the rhythm: orders of this many last days
RHYTHM_DAYS = 365
# the turnover: complete months compared with the same months a year before
TURNOVER_MONTHS = 3


class CrmSmeCallItem(models.Model):
    _inherit = "crm.sme.call.item"

    rule = fields.Selection(
        selection_add=ONEC_CALL_RULES,
        ondelete={rule: "cascade" for rule, _label in ONEC_CALL_RULES},
    )

    # ---- the reasons ---------------------------------------------------------

    def _reason_overdue_no_contact(self, figures):
        amount = self._format_money(figures.get("amount"), figures)
        if not figures.get("last_contact"):
            return _(
                "Overdue debt in 1C: %(amount)s; no call or meeting logged ever.",
                amount=amount,
            )
        return _(
            "Overdue debt in 1C: %(amount)s; no call or meeting logged since "
            "%(date)s (%(days)s days).",
            amount=amount,
            date=self._format_date(figures["last_contact"]),
            days=self._days_since(figures["last_contact"]),
        )

    def _reason_broken_rhythm(self, figures):
        days = figures.get("median_days")
        last = figures.get("last_order")
        values = {
            "days": days,
            "date": self._format_date(last),
            "since": self._days_since(last),
        }
        if days and days >= 14 and not days % 7:
            return _(
                "Usually orders every %(weeks)s weeks (%(days)s days); nothing "
                "since %(date)s (%(since)s days).",
                weeks=days // 7,
                **values,
            )
        return _(
            "Usually orders every %(days)s days; nothing since %(date)s "
            "(%(since)s days).",
            **values,
        )

    def _reason_falling_turnover(self, figures):
        recent, before = figures.get("recent") or 0.0, figures.get("before") or 0.0
        return _(
            "Sales in 1C of %(months)s: %(recent)s, %(share)s%% of the same "
            "months a year before (%(before)s).",
            months=self._format_months(
                figures.get("month_from"), figures.get("month_to")
            ),
            recent=self._format_money(recent, figures),
            before=self._format_money(before, figures),
            # rounded down: below 70 % never reads as 70 %
            share=int(100 * recent / before) if before else 0,
        )

    def _reason_new_client_waiting(self, figures):
        since = figures.get("client_since")
        return _(
            "A client since %(date)s (%(days)s days), in 1C, and no order in 1C yet.",
            date=self._format_date(since),
            days=self._days_since(since),
        )

    def _format_money(self, amount, figures):
        """``amount`` in the figures' currency (its Odoo currency when 1C's
        code names one, else the bare code)."""
        currency = self.env["res.currency"].sudo().browse(figures.get("currency_id"))
        if currency:
            return format_amount(self.env, amount or 0.0, currency)
        return f"{formatLang(self.env, amount or 0.0)} {figures.get('currency') or ''}"

    def _format_months(self, first, last):
        """``Sep 2026 – Nov 2026`` from the first days of the first and last
        months (ISO)."""
        return " – ".join(
            format_date(self.env, fields.Date.to_date(month), date_format="LLL yyyy")
            for month in (first, last)
            if month
        )

    # ---- the candidates ------------------------------------------------------

    @api.model
    def _call_candidates(self, companies, now):
        self.env.flush_all()
        return [
            *super()._call_candidates(companies, now),
            *self._overdue_no_contact_candidates(companies, now),
            *self._broken_rhythm_candidates(companies, now),
            *self._falling_turnover_candidates(companies, now),
            *self._new_client_waiting_candidates(companies, now),
        ]

    @api.model
    def _overdue_no_contact_candidates(self, companies, now):
        """Per customer and company, the currency of the largest overdue debt
        above the company's amount; named when the last call or meeting with
        the customer is older than the company's days (or none)."""
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (s.partner_id, c.company_id)
                       s.partner_id, c.company_id, s.currency_code,
                       MAX(s.currency_id), SUM(s.overdue),
                       co.onec_call_no_contact_days
                  FROM onec_settlement s
                  JOIN onec_connection c ON c.id = s.connection_id
                  JOIN res_company co ON co.id = c.company_id
                 WHERE c.company_id = ANY(%(companies)s)
                   AND s.partner_id IS NOT NULL
                 GROUP BY s.partner_id, c.company_id, s.currency_code, co.id
                HAVING SUM(s.overdue) > co.onec_call_overdue_amount
                 ORDER BY s.partner_id, c.company_id, SUM(s.overdue) DESC
                """,
                companies=companies.ids,
            )
        )
        debts = self.env.cr.fetchall()
        last_contacts = self._last_contacts([row[0] for row in debts], now)
        candidates = []
        for partner_id, company_id, code, currency_id, overdue, days in debts:
            last = last_contacts.get(partner_id)
            if last and last >= now - relativedelta(days=days):
                continue
            candidates.append(
                {
                    "rule": "overdue_no_contact",
                    "company_id": company_id,
                    "partner_id": partner_id,
                    "figures": {
                        "amount": round(float(overdue), 2),
                        "currency": code,
                        "currency_id": currency_id,
                        "last_contact": last and fields.Date.to_string(last.date()),
                    },
                }
            )
        return candidates

    @api.model
    def _broken_rhythm_candidates(self, companies, now):
        """Customers with at least the company's number of orders over the
        last year whose last order is older than the company's factor times
        their median interval between consecutive orders of that year."""
        self.env.cr.execute(
            SQL(
                """
                WITH orders AS (
                    SELECT o.partner_id, c.company_id, o.date::date AS day,
                           o.date::date - lag(o.date::date) OVER (
                               PARTITION BY o.partner_id, c.company_id
                               ORDER BY o.date) AS gap
                      FROM onec_order o
                      JOIN onec_connection c ON c.id = o.connection_id
                     WHERE c.company_id = ANY(%(companies)s)
                       AND o.partner_id IS NOT NULL AND o.active AND o.posted
                       AND o.date >= %(since)s AND o.date <= %(now)s
                ), rhythm AS (
                    -- the first order has no gap: percentile_cont skips NULLs
                    SELECT partner_id, company_id, COUNT(*) AS orders,
                           MAX(day) AS last_day,
                           percentile_cont(0.5) WITHIN GROUP (ORDER BY gap) AS median
                      FROM orders
                     GROUP BY partner_id, company_id
                )
                SELECT r.partner_id, r.company_id, r.median, r.last_day
                  FROM rhythm r
                  JOIN res_company co ON co.id = r.company_id
                 WHERE r.orders >= co.onec_call_rhythm_orders
                   AND r.median > 0
                   AND %(now)s::date - r.last_day
                       > co.onec_call_rhythm_factor * r.median
                """,
                companies=companies.ids,
                since=now - relativedelta(days=RHYTHM_DAYS),
                now=now,
            )
        )
        return [
            {
                "rule": "broken_rhythm",
                "company_id": company_id,
                "partner_id": partner_id,
                "figures": {
                    "median_days": round(median),
                    "last_order": fields.Date.to_string(last_day),
                },
            }
            for partner_id, company_id, median, last_day in self.env.cr.fetchall()
        ]

    @api.model
    def _falling_turnover_candidates(self, companies, now):
        """Per customer and company, the currency of the largest sales a year
        before: named when the shipments of the last complete months are
        below the company's share of those of the same months a year before
        (1C's sales register mirror keeps twelve months only, so the
        shipments say what was sold)."""
        recent_to = fields.Date.to_date(now).replace(day=1)
        recent_from = recent_to - relativedelta(months=TURNOVER_MONTHS)
        year = relativedelta(years=1)
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (partner_id, company_id) *
                  FROM (
                    SELECT s.partner_id, c.company_id, s.currency_code,
                           MAX(s.currency_id) AS currency_id,
                           COALESCE(SUM(s.amount) FILTER (
                               WHERE s.date >= %(recent_from)s), 0) AS recent,
                           COALESCE(SUM(s.amount) FILTER (
                               WHERE s.date < %(before_to)s), 0) AS year_before
                      FROM onec_shipment s
                      JOIN onec_connection c ON c.id = s.connection_id
                      JOIN res_company co ON co.id = c.company_id
                     WHERE c.company_id = ANY(%(companies)s)
                       AND s.partner_id IS NOT NULL AND s.active AND s.posted
                       AND (s.date >= %(before_from)s AND s.date < %(before_to)s
                            OR s.date >= %(recent_from)s AND s.date < %(recent_to)s)
                     GROUP BY s.partner_id, c.company_id, s.currency_code, co.id
                    HAVING COALESCE(SUM(s.amount) FILTER (
                               WHERE s.date >= %(recent_from)s), 0)
                           < co.onec_call_turnover_share / 100
                             * COALESCE(SUM(s.amount) FILTER (
                                   WHERE s.date < %(before_to)s), 0)
                  ) falling
                 WHERE year_before > 0
                 ORDER BY partner_id, company_id, year_before DESC
                """,
                companies=companies.ids,
                recent_from=recent_from,
                recent_to=recent_to,
                before_from=recent_from - year,
                before_to=recent_to - year,
            )
        )
        last_month = fields.Date.to_string(recent_to - relativedelta(months=1))
        return [
            {
                "rule": "falling_turnover",
                "company_id": company_id,
                "partner_id": partner_id,
                "figures": {
                    "recent": round(float(recent), 2),
                    "before": round(float(before), 2),
                    "currency": code,
                    "currency_id": currency_id,
                    "month_from": fields.Date.to_string(recent_from),
                    "month_to": last_month,
                },
            }
            for partner_id, company_id, code, currency_id, recent, before in (
                self.env.cr.fetchall()
            )
        ]

    @api.model
    def _new_client_waiting_candidates(self, companies, now):
        """Clients for the company's days at least, in 1C (a counterparty of
        a connection of the company, or created there by the export), and
        without an order in 1C dated on or after the day they became
        clients."""
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT p.id, c.company_id, p.sme_client_since::date
                  FROM res_partner p
                  JOIN onec_connection c
                    ON p.company_id IS NULL OR p.company_id = c.company_id
                  JOIN res_company co ON co.id = c.company_id
                 WHERE c.company_id = ANY(%(companies)s)
                   AND p.active AND p.id = p.commercial_partner_id
                   AND p.sme_customer_state = 'client'
                   AND p.sme_client_since <= %(now)s
                       - make_interval(days => co.onec_call_new_client_days)
                   AND (EXISTS (
                           SELECT 1 FROM onec_counterparty b
                            WHERE b.connection_id = c.id AND b.partner_id = p.id
                              AND b.active)
                        OR EXISTS (
                           SELECT 1 FROM onec_client_export x
                            WHERE x.connection_id = c.id AND x.partner_id = p.id
                              AND x.state = 'done'))
                   AND NOT EXISTS (
                           SELECT 1
                             FROM onec_order o
                             JOIN onec_connection oc ON oc.id = o.connection_id
                            WHERE oc.company_id = c.company_id
                              AND o.partner_id = p.id AND o.active AND o.posted
                              AND o.date::date >= p.sme_client_since::date)
                """,
                companies=companies.ids,
                now=now,
            )
        )
        return [
            {
                "rule": "new_client_waiting",
                "company_id": company_id,
                "partner_id": partner_id,
                "figures": {"client_since": fields.Date.to_string(since)},
            }
            for partner_id, company_id, since in self.env.cr.fetchall()
        ]
