# Copyright 2026 SME CRM Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html)
from datetime import datetime

from odoo.tests import TransactionCase, new_test_user
from odoo.tools import SQL


class KpiCase(TransactionCase):
    """Hand-built CRM history: leads, done activities and meetings, dated."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(
                cls.env.context,
                tracking_disable=True,
                mail_notrack=True,
                mail_create_nolog=True,
                no_mail_to_attendees=True,
            )
        )
        cls.company = cls.env.company
        cls.call_type = cls.env.ref("mail.mail_activity_data_call")
        cls.meeting_type = cls.env.ref("mail.mail_activity_data_meeting")
        cls.email_type = cls.env.ref("mail.mail_activity_data_email")
        cls.subtype = cls.env.ref("mail.mt_activities")
        cls.won_stage = cls.env["crm.stage"].create(
            {"name": "KPI Won", "is_won": True, "sequence": 90}
        )
        cls.nego_stage = cls.env["crm.stage"].create(
            {"name": "KPI Negotiation", "sequence": 80}
        )
        cls.new_stage = cls.env["crm.stage"].create({"name": "KPI New", "sequence": 1})
        cls.company.sme_kpi_negotiation_stage_id = cls.nego_stage
        cls.manager = cls._user("kpi_manager", "sales_team.group_sale_manager")

    @classmethod
    def _user(cls, login, groups="sales_team.group_sale_salesman", company=None):
        company = company or cls.company
        return new_test_user(
            cls.env,
            login=login,
            groups=groups,
            company_id=company.id,
            company_ids=[(6, 0, company.ids)],
            name=login.replace("_", " ").title(),
        )

    @classmethod
    def _team(cls, name, users, leader=None, company=None):
        return cls.env["crm.team"].create(
            {
                "name": name,
                "user_id": leader.id if leader else False,
                "company_id": (company or cls.company).id,
                "crm_team_member_ids": [(0, 0, {"user_id": u.id}) for u in users],
            }
        )

    @classmethod
    def _set_dates(cls, record, **dates):
        """Write dates the ORM computes (assignment, closing, creation)."""
        record.flush_recordset()
        assignments = SQL(", ").join(
            SQL("%s = %s", SQL.identifier(name), value) for name, value in dates.items()
        )
        cls.env.cr.execute(
            SQL(
                "UPDATE %s SET %s WHERE id IN %s",
                SQL.identifier(record._table),
                assignments,
                tuple(record.ids),
            )
        )
        record.invalidate_recordset()

    @classmethod
    def _lead(cls, user, opened, *, partner=None, won=None, lost=None,
              revenue=0.0, stage=None, company=None):  # fmt: skip
        """A deal assigned on ``opened``; won or lost on the given date."""
        partner = partner or cls.env["res.partner"].create(
            {"name": f"Customer of {user.name}", "is_company": True}
        )
        lead = cls.env["crm.lead"].create(
            {
                "name": f"Deal {partner.name}",
                "type": "opportunity",
                "user_id": user.id,
                "partner_id": partner.id,
                "expected_revenue": revenue,
                "stage_id": (stage or cls.new_stage).id,
                "company_id": (company or cls.company).id,
            }
        )
        dates = {"date_open": opened, "create_date": opened}
        if won:
            lead.stage_id = cls.won_stage
            dates["date_closed"] = won
        if lost:
            lead.action_set_lost()
            dates["date_closed"] = lost
        cls._set_dates(lead, **dates)
        return lead

    @classmethod
    def _done(cls, record, user, activity_type, date):
        """A done activity as Odoo logs it: a message with the activity type."""
        return cls.env["mail.message"].create(
            {
                "model": record._name,
                "res_id": record.id,
                "message_type": "notification",
                "subtype_id": cls.subtype.id,
                "mail_activity_type_id": activity_type.id,
                "author_id": user.partner_id.id,
                "date": date,
                "body": "done",
            }
        )

    @classmethod
    def _meeting(cls, user, start, lead=None, partner=None):
        vals = {
            "name": "Meeting",
            "user_id": user.id,
            "start": start,
            "stop": start.replace(hour=start.hour + 1),
            "partner_ids": [(6, 0, user.partner_id.ids)],
        }
        if lead:
            vals.update(
                opportunity_id=lead.id,
                res_model_id=cls.env["ir.model"]._get_id("crm.lead"),
                res_id=lead.id,
            )
        if partner:
            vals.update(
                res_model_id=cls.env["ir.model"]._get_id("res.partner"),
                res_id=partner.id,
            )
        return cls.env["calendar.event"].create(vals)

    def _summary(self, user, date, period_type="month"):
        rows = self.env["crm.sme.kpi.summary"].search(
            [
                ("user_id", "=", user.id),
                ("date", "=", date),
                ("period_type", "=", period_type),
            ]
        )
        self.assertLessEqual(len(rows), 1)
        return rows


def dt(*args):
    return datetime(*args)
