# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
"""Demo history of the "SME Demo Sales" team, dated relative to today.

Reproduces the two stories of the consultant's article in the last two months:
Boris wins deals with no call or meeting logged (a personal phone), Victor gets
the most leads and converts the fewest. The others are unremarkable.
"""

from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

# login: (leads, won, calls per lead, meetings)
DEMO_PLAN = {
    "sme_kpi_anna": (10, 5, 2, 4),
    "sme_kpi_boris": (8, 5, 0, 0),
    "sme_kpi_victor": (16, 2, 3, 4),
    "sme_kpi_galina": (10, 4, 2, 4),
    "sme_kpi_dmitry": (8, 4, 2, 4),
}
# login: (call-list items given last month, called the same day); Boris, who
# works from his own phone, leaves his list alone
DEMO_CALL_LISTS = {
    "sme_kpi_anna": (12, 11),
    "sme_kpi_boris": (12, 3),
    "sme_kpi_victor": (14, 9),
    "sme_kpi_galina": (10, 9),
    "sme_kpi_dmitry": (9, 8),
}


class CrmSmeKpiDemo(models.AbstractModel):
    _name = "crm.sme.kpi.demo"
    _description = "Sales Effectiveness Demo Data"

    @api.model
    def _load_demo(self):
        """Create the team's last two months and flag the last one."""
        demo = self.with_context(
            tracking_disable=True, mail_notrack=True, mail_create_nolog=True,
            no_mail_to_attendees=True,
        )  # fmt: skip
        demo.env.company.sme_kpi_negotiation_stage_id = self.env.ref("crm.stage_lead3")
        last_month = fields.Date.today().replace(day=1) - relativedelta(months=1)
        for month in (last_month - relativedelta(months=1), last_month):
            for login, plan in DEMO_PLAN.items():
                user = demo.env["res.users"].search([("login", "=", login)])
                demo._demo_month(user, month, *plan)
        demo._demo_contact_other_leads(last_month)
        demo.env["crm.kpi.flag"]._evaluate_flags(last_month)
        demo._demo_call_list_history(last_month)
        demo._demo_leads_to_contact()
        demo.env["crm.sme.call.item"]._build_call_lists(demo.env.company)

    @api.model
    def _demo_call_list_history(self, month):
        """Last month's call lists, called the same day or left until their
        reason went: the dashboard's call-list column of that month."""
        items = []
        for login, (given, called) in DEMO_CALL_LISTS.items():
            user = self.env["res.users"].search([("login", "=", login)])
            leads = self.env["crm.lead"].search(
                [
                    ("user_id", "=", user.id),
                    ("date_open", ">=", month),
                    ("date_open", "<", month + relativedelta(months=1)),
                ],
                order="date_open, id",
            )
            for i in range(given):
                lead = leads[i % len(leads)]
                day = lead.date_open.date() + timedelta(days=1)
                worked = i < called
                closed = datetime.combine(day, time(15))
                items.append(
                    {
                        "rule": "no_first_contact",
                        "lead_id": lead.id,
                        "partner_id": lead.partner_id.commercial_partner_id.id,
                        "user_id": user.id,
                        "company_id": self.env.company.id,
                        "date": day,
                        "state": "done" if worked else "resolved",
                        "closed_at": closed if worked else closed + timedelta(days=1),
                        "worked_same_day": worked,
                        "figures": {
                            "date_open": fields.Date.to_string(lead.date_open.date()),
                            "hours": self.env.company.sme_kpi_first_contact_hours,
                        },
                    }
                )
        self.env["crm.sme.call.item"].create(items)

    @api.model
    def _demo_leads_to_contact(self):
        """Web requests of the last days of last month that Victor and
        Dmitry have not answered: their call lists name them. Last month's,
        so that the dashboard still opens on last month and its flags."""
        team = self.env.ref("crm_sme_kpi.demo_team_sme")
        last_month_end = datetime.combine(
            fields.Date.today().replace(day=1) - timedelta(days=1), time(10)
        )
        opened = min(fields.Datetime.now() - timedelta(hours=30), last_month_end)
        for login, subject in (
            ("sme_kpi_victor", "Website request: 40 office chairs"),
            ("sme_kpi_dmitry", "Website request: meeting room furniture"),
        ):
            user = self.env["res.users"].search([("login", "=", login)])
            lead = self.env["crm.lead"].create(
                {"name": subject, "type": "lead", "user_id": user.id,
                 "team_id": team.id, "contact_name": subject.split(": ")[1]},
            )  # fmt: skip
            lead.flush_recordset()
            self.env.cr.execute(
                "UPDATE crm_lead SET date_open = %s, create_date = %s WHERE id = %s",
                (opened, opened, lead.id),
            )
            lead.invalidate_recordset()

    @api.model
    def _demo_contact_other_leads(self, month):
        """Log a first contact on the standard demo leads of ``month``.

        Odoo's own demo leads carry no done activity; without this their
        salespeople would be flagged too, hiding the article's two stories.
        """
        leads = self.env["crm.lead"].search(
            [
                ("date_open", ">=", month),
                ("date_open", "<", month + relativedelta(months=1)),
                ("user_id.login", "not in", list(DEMO_PLAN)),
            ]
        )
        email = self.env.ref("mail.mail_activity_data_email")
        self._demo_done_activities(
            [
                (lead, lead.user_id, email, lead.date_open + timedelta(hours=1))
                for lead in leads
            ]
        )

    @api.model
    def _demo_month(self, user, month, leads, won, calls, meetings):  # noqa: PLR0917
        team = self.env.ref("crm_sme_kpi.demo_team_sme")
        stages = {
            "won": self.env.ref("crm.stage_lead4"),
            "open": self.env.ref("crm.stage_lead3"),
        }
        types = {
            "call": self.env.ref("mail.mail_activity_data_call"),
            "email": self.env.ref("mail.mail_activity_data_email"),
        }
        for i in range(leads):
            opened = datetime.combine(month, time(9)) + timedelta(days=i % 20)
            partner = self.env["res.partner"].create(
                {
                    "name": f"{user.name.split()[0]} customer {month:%m}-{i + 1}",
                    "is_company": True,
                }
            )
            is_won = i < won
            lead = self.env["crm.lead"].create(
                {
                    "name": f"Deal with {partner.name}",
                    "type": "opportunity",
                    "partner_id": partner.id,
                    "user_id": user.id,
                    "team_id": team.id,
                    "expected_revenue": 50000 + 10000 * (i % 5),
                    "stage_id": stages["won" if is_won else "open"].id,
                }
            )
            lead.flush_recordset()
            self.env.cr.execute(
                "UPDATE crm_lead SET date_open = %s, create_date = %s,"
                " date_last_stage_update = %s, date_closed = %s WHERE id = %s",
                (opened, opened, opened, opened + timedelta(days=5) if is_won else None,
                 lead.id),
            )  # fmt: skip
            lead.invalidate_recordset()
            first = types["call"] if calls else types["email"]
            contacts = [(first, opened + timedelta(hours=2))] + [
                (types["call"], opened + timedelta(days=j, hours=1))
                for j in range(1, calls)
            ]
            self._demo_done_activities(
                [(lead, user, activity_type, date) for activity_type, date in contacts]
            )
            if i < meetings:
                start = opened + timedelta(days=1, hours=2)
                self.env["calendar.event"].create(
                    {
                        "name": f"Meeting: {partner.name}",
                        "user_id": user.id,
                        "start": start,
                        "stop": start + timedelta(hours=1),
                        "opportunity_id": lead.id,
                        "res_model_id": self.env["ir.model"]._get_id("crm.lead"),
                        "res_id": lead.id,
                        "partner_ids": [(6, 0, (user.partner_id | partner).ids)],
                    }
                )

    @api.model
    def _demo_done_activities(self, entries):
        """Log done activities as Odoo does: ``(record, user, type, date)``."""
        subtype = self.env.ref("mail.mt_activities")
        return self.env["mail.message"].create(
            [
                {
                    "model": record._name,
                    "res_id": record.id,
                    "message_type": "notification",
                    "subtype_id": subtype.id,
                    "mail_activity_type_id": activity_type.id,
                    "author_id": user.partner_id.id,
                    "date": date,
                    "body": activity_type.name,
                }
                for record, user, activity_type, date in entries
            ]
        )
